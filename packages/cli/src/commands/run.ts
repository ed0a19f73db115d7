import { mkdir, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type AgentRun,
  builtinTools,
  ConfigError,
  closeRun,
  connectMcpServers,
  createSandbox,
  dataDir,
  defaultModelId,
  EventBus,
  loadConfig,
  ModelIdError,
  type PermissionRule,
  ProviderConfigError,
  resolveModel,
  ScriptError,
  type Store,
  saveRule,
  startBuild,
  startRun,
  webToolContext,
  workspaceRules,
} from '@aura/engine';
import type { EventEnvelope } from '@aura/protocol';
import { oneOf, parseCommandArgs, positiveInt } from '../args.ts';
import { cliBuildHooks } from '../build-hooks.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { askOnTerminal } from '../permission-prompt.ts';
import { TextRenderer } from '../render-text.ts';
import { openCliStore } from '../store.ts';
import { createStyle } from '../style.ts';

const options = {
  dir: { type: 'string' },
  model: { type: 'string', short: 'm' },
  format: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  session: { type: 'string', short: 's' },
  'max-steps': { type: 'string' },
  data: { type: 'string' },
  mode: { type: 'string' },
  sandbox: { type: 'string' },
} as const;

const runHelp = `Usage: aura run PROMPT [--dir DIR] [--model P/M] [--mode chat|build] [--format text|json] [--yes] [--session ID] [--max-steps N] [--data DIR] [--sandbox local|bwrap|docker]

--mode build runs the app builder: design a phase plan, implement each phase, install dependencies,
start the dev server and verify (type-check + runtime errors) with automatic fix rounds.
--sandbox: where commands run. local (default): as you, in the directory. bwrap: in a bubblewrap
sandbox (namespaces, read-only system, the directory at /workspace). docker: in a container.\n`;

export async function runCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(runHelp);
    return exitCodes.ok;
  }
  const { values, positionals } = parseCommandArgs(args, options);
  const prompt = positionals.join(' ').trim();
  if (!prompt) throw new UsageError(`a prompt is required.\n${runHelp}`);
  const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
  const maxSteps = positiveInt(values['max-steps'], '--max-steps');
  const mode = oneOf(values.mode, ['chat', 'build'] as const, '--mode', 'chat');
  const sandbox = oneOf(values.sandbox, ['local', 'bwrap', 'docker'] as const, '--sandbox', 'local');

  const store = await openCliStore(values.data);
  try {
    return await runWithStore(store, {
      ...values,
      prompt,
      format,
      maxSteps,
      mode,
      sandbox,
      dataDir: dataDir(values.data),
    });
  } finally {
    await store.close();
  }
}

interface RunArgs {
  prompt: string;
  mode: 'chat' | 'build';
  sandbox: 'local' | 'bwrap' | 'docker';
  dataDir: string;
  format: 'text' | 'json';
  maxSteps: number | undefined;
  dir?: string;
  model?: string;
  yes?: boolean;
  session?: string;
}

async function runWithStore(store: Store, args: RunArgs): Promise<number> {
  const bus = new EventBus();
  const existing = args.session ? await store.getSession(args.session) : undefined;
  if (args.session && !existing)
    throw new UsageError(`session ${args.session} not found (see aura session list)`);
  const directory = resolve(args.dir ?? existing?.directory ?? process.cwd());
  await mkdir(directory, { recursive: true });
  const workspace = await realpath(directory);
  if (existing && workspace !== existing.directory) {
    throw new UsageError(`session ${existing.id} belongs to ${existing.directory}, not ${workspace}`);
  }
  const config = await guard(() =>
    loadConfig({ dir: workspace, onNotice: (message) => process.stderr.write(`aura: ${message}\n`) }),
  );
  const modelId = args.model ?? existing?.model ?? (await guard(() => defaultModelId(config, process.env)));
  const model = await guard(() => resolveModel(modelId, { config, env: process.env }));

  const session =
    existing ?? (await store.createSession({ directory: workspace, model: model.id, mode: args.mode }));
  if (existing && existing.model !== model.id) await store.updateSession(session.id, { model: model.id });

  const rules = await workspaceRules(store, config, workspace);
  const style = createStyle(process.stdout);
  const renderer = new TextRenderer(process.stdout, style);
  const sandbox = createSandbox({ workspace, driver: args.sandbox });

  // A reader that goes away (`aura run … | head`) cancels the run instead of crashing it.
  let stdoutClosed = false;
  let run: AgentRun | undefined;
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stdoutClosed = true;
    run?.cancel('the output pipe was closed');
  };
  process.stdout.on('error', onStdoutError);

  bus.subscribe(session.id, (event: EventEnvelope) => {
    if (stdoutClosed) return;
    if (args.format === 'json') process.stdout.write(`${JSON.stringify(event)}\n`);
    else renderer.render(event);
    if (event.type === 'permission_request') {
      void askOnTerminal(event.data.description, () => run?.cancel()).then((answer) =>
        run?.replyPermission(event.data.requestId, answer),
      );
    }
  });

  if (existing && !['IDLE', 'COMPLETE', 'INTERRUPTED'].includes(existing.state)) {
    // The process that ran it was killed: say so in the log before continuing.
    await closeRun(store, bus, existing.id, {
      runId: 'interrupted',
      status: 'interrupted',
      error: 'The previous run was killed before it finished.',
      state: 'IDLE',
      previous: existing.state,
    });
  }

  const mcp = await connectMcpServers(config.mcp ?? {}, {
    onNotice: (message) => process.stderr.write(`aura: ${message}\n`),
  });
  const web = webToolContext(config);
  const runOptions = {
    store,
    bus,
    sessionId: session.id,
    text: args.prompt,
    model,
    mode: args.mode,
    workspace,
    sandbox,
    tools: [...builtinTools({ webSearch: Boolean(web.webSearch) }), ...mcp.tools],
    permissions: {
      rules,
      mode: args.yes ? ('yes' as const) : ('ask' as const),
      persist: (rule: PermissionRule) => saveRule(store, workspace, rule),
    },
    toolContext: web,
    maxSteps: args.maxSteps ?? config.maxSteps,
  };
  const hooks =
    args.mode === 'build'
      ? cliBuildHooks({
          workspace,
          sandbox,
          dataDir: args.dataDir,
          note: (m) => process.stderr.write(`aura: ${m}\n`),
        })
      : undefined;
  run = hooks ? startBuild({ ...runOptions, hooks }) : startRun(runOptions);

  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(exitCodes.cancelled);
    if (args.format === 'text') process.stderr.write('\ncancelling… (Ctrl-C again to quit immediately)\n');
    run.cancel();
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await run.done;
    if (args.format === 'text' && !stdoutClosed)
      renderer.finish(await store.sessionUsage(session.id), session.id);
    if (result.status === 'completed') return exitCodes.ok;
    if (result.status === 'cancelled') return exitCodes.cancelled;
    return exitCodes.agentError;
  } finally {
    process.off('SIGINT', onSigint);
    process.stdout.off('error', onStdoutError);
    await hooks?.dispose();
    await mcp.close();
    await sandbox.dispose();
  }
}

const usageErrors = [ConfigError, ModelIdError, ProviderConfigError, ScriptError];

/** Configuration mistakes are the caller's to fix: report them as usage errors (exit 2). */
async function guard<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (usageErrors.some((type) => error instanceof type)) throw new UsageError((error as Error).message);
    throw error;
  }
}
