import { mkdtemp, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEnvelope } from '@aura/protocol';
import { type AgentRun, type StartRunOptions, startRun } from '../src/agent/index.ts';
import { EventBus } from '../src/bus/index.ts';
import type { AuraConfig } from '../src/config/index.ts';
import { defaultRules } from '../src/permission/index.ts';
import { resolveModel } from '../src/provider/index.ts';
import { createLocalSandbox } from '../src/sandbox/index.ts';
import { openStore, type Store } from '../src/store/index.ts';
import { builtinTools } from '../src/tool/index.ts';

export interface Harness {
  store: Store;
  bus: EventBus;
  workspace: string;
  sessionId: string;
  events: EventEnvelope[];
  /** Runs one turn of a script through the real loop, tools and store. */
  run(
    steps: unknown[],
    opts?: Partial<Pick<StartRunOptions, 'maxSteps' | 'permissions' | 'signal'>> & {
      config?: AuraConfig;
      contextWindow?: number;
      text?: string;
      onEvent?: (event: EventEnvelope, run: AgentRun) => void;
    },
  ): Promise<{ run: AgentRun; result: Awaited<AgentRun['done']> }>;
  close(): Promise<void>;
}

export async function createHarness(): Promise<Harness> {
  const workspace = await realpath(await mkdtemp(join(tmpdir(), 'aura-ws-')));
  const scripts = await mkdtemp(join(tmpdir(), 'aura-script-'));
  const store = await openStore({ sqlitePath: ':memory:' });
  const bus = new EventBus();
  const session = await store.createSession({ directory: workspace, model: 'script:test' });
  const events: EventEnvelope[] = [];
  bus.subscribe(session.id, (event) => events.push(event));
  const sandbox = createLocalSandbox({ workspace });
  let scriptCount = 0;

  return {
    store,
    bus,
    workspace,
    sessionId: session.id,
    events,
    async run(steps, opts = {}) {
      scriptCount += 1;
      const scriptPath = join(scripts, `script-${scriptCount}.json`);
      await writeFile(scriptPath, JSON.stringify({ steps }));
      const model = await resolveModel(`script:${scriptPath}`, {
        config: { retry: { stallTimeoutMs: 5_000 }, ...opts.config },
        env: {},
      });
      if (opts.contextWindow) model.contextWindow = opts.contextWindow;
      const run = startRun({
        store,
        bus,
        sessionId: session.id,
        text: opts.text ?? 'do the thing',
        model,
        workspace,
        sandbox,
        tools: builtinTools({}),
        permissions: opts.permissions ?? { rules: defaultRules, mode: 'yes' },
        maxSteps: opts.maxSteps,
        signal: opts.signal,
      });
      const unsubscribe = opts.onEvent
        ? bus.subscribe(session.id, (event) => opts.onEvent?.(event, run))
        : undefined;
      try {
        return { run, result: await run.done };
      } finally {
        unsubscribe?.();
      }
    },
    async close() {
      await sandbox.dispose();
      await store.close();
    },
  };
}

export function eventsOfType<T extends EventEnvelope['type']>(events: EventEnvelope[], type: T) {
  return events.filter((e): e is Extract<EventEnvelope, { type: T }> => e.type === type);
}
