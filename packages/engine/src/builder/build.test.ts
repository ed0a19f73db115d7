import { mkdtemp, readFile, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEnvelope } from '@aura/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../bus/index.ts';
import { defaultRules } from '../permission/index.ts';
import { resolveModel } from '../provider/index.ts';
import { createLocalSandbox } from '../sandbox/local.ts';
import { openStore, type Store } from '../store/index.ts';
import { builtinTools } from '../tool/index.ts';
import { startBuild } from './build.ts';
import type { BuilderHooks } from './types.ts';

let store: Store;
let workspace: string;
let events: EventEnvelope[];
let sessionId: string;
const bus = new EventBus();

beforeEach(async () => {
  workspace = await realpath(await mkdtemp(join(tmpdir(), 'aura-build-')));
  store = await openStore({ sqlitePath: ':memory:' });
  sessionId = (await store.createSession({ directory: workspace, mode: 'build' })).id;
  events = [];
  bus.subscribe(sessionId, (e) => events.push(e));
});
afterEach(async () => {
  await store.close();
});

/** A template whose check fails while any .js file contains the word BUG. */
const hooks = (started: string[] = []): BuilderHooks => ({
  async prepareWorkspace() {
    await writeFile(
      join(workspace, 'check.js'),
      "const fs=require('fs');for(const f of fs.readdirSync('.'))if(f.endsWith('.js')&&f!=='check.js'&&fs.readFileSync(f,'utf8').includes('BUG')){console.error(f+': contains BUG');process.exit(1)}\n",
    );
    return { name: 'fixture', check: 'node check.js' };
  },
  async startServer() {
    started.push('dev');
    return { url: 'http://p-test.localhost:3000/' };
  },
});

const plan = (phases: number) => ({
  object: {
    summary: 'A tiny app',
    phases: Array.from({ length: phases }, (_, i) => ({
      name: `Phase ${i + 1}`,
      description: `Does part ${i + 1}`,
      files: [{ path: `part${i + 1}.js`, purpose: 'code' }],
      dependencies: [],
      commands: [],
    })),
  },
});

async function build(steps: unknown[], extra: { fixRounds?: number; hooks?: BuilderHooks } = {}) {
  const script = join(workspace, '..', `script-${Date.now()}-${Math.random()}.json`);
  await writeFile(script, JSON.stringify({ steps }));
  const model = await resolveModel(`script:${script}`, { config: {}, env: {} });
  const sandbox = createLocalSandbox({ workspace });
  const run = startBuild({
    store,
    bus,
    sessionId,
    text: 'Build me a tiny app',
    model,
    workspace,
    sandbox,
    tools: builtinTools({}),
    permissions: { rules: defaultRules, mode: 'yes' },
    hooks: extra.hooks ?? hooks(),
    fixRounds: extra.fixRounds,
    verifySettleMs: 0,
  });
  const result = await run.done;
  await sandbox.dispose();
  return result;
}

const states = () => events.flatMap((e) => (e.type === 'state_change' ? [e.data.state] : []));

describe('app builder', () => {
  it("reports a failed file operation as the builder's own error, not the provider's", async () => {
    const failing: BuilderHooks = {
      ...hooks(),
      async prepareWorkspace() {
        throw Object.assign(new Error("EEXIST: file already exists, mkdir '/w/node_modules'"), {
          code: 'EEXIST',
          syscall: 'mkdir',
        });
      },
    };
    const result = await build([plan(1), { text: 'Never reached.' }], { hooks: failing });
    expect(result.status).toBe('error');
    const error = events.find((e) => e.type === 'error');
    expect(error?.data).toMatchObject({
      message: expect.stringMatching(/^A file or process operation failed while building: EEXIST/),
    });
    expect(JSON.stringify(error)).not.toContain('provider');
  });

  it('walks the state machine phase by phase, streaming files, and completes', async () => {
    const started: string[] = [];
    const result = await build(
      [
        plan(2),
        {
          text: 'Phase one.',
          tools: [{ name: 'write', input: { path: 'part1.js', content: 'console.log(1)\n' } }],
        },
        { text: 'Done with phase one.' },
        { tools: [{ name: 'write', input: { path: 'part2.js', content: 'console.log(2)\n' } }] },
        { text: 'Done.' },
      ],
      { hooks: hooks(started) },
    );
    expect(result.status).toBe('completed');
    expect(states()).toEqual([
      'DESIGNING_PHASE',
      'IMPLEMENTING_PHASE',
      'INSTALLING_DEPS',
      'STARTING_SERVER',
      'VERIFYING',
      'DESIGNING_PHASE',
      'IMPLEMENTING_PHASE',
      'INSTALLING_DEPS',
      'STARTING_SERVER',
      'VERIFYING',
      'COMPLETE',
    ]);
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'phase_designed')).toHaveLength(2);
    expect(events.find((e) => e.type === 'file_start')).toMatchObject({ data: { path: 'part1.js' } });
    expect(events.find((e) => e.type === 'file_end')).toMatchObject({
      data: { path: 'part1.js', bytes: 15 },
    });
    expect(
      events.filter((e) => e.type === 'files_written').map((e) => e.type === 'files_written' && e.data.files),
    ).toEqual([['part1.js'], ['part2.js']]);
    expect(events.find((e) => e.type === 'server_started')).toMatchObject({
      data: { url: 'http://p-test.localhost:3000/' },
    });
    expect(events.find((e) => e.type === 'generation_complete')).toMatchObject({
      data: { files: ['part1.js', 'part2.js'], phases: 2 },
    });
    expect(started).toEqual(['dev', 'dev']);
    expect(events.at(-1)).toMatchObject({ type: 'run_finished', data: { status: 'completed' } });
    expect((await store.getSession(sessionId))?.state).toBe('COMPLETE');
  });

  it('feeds a failing check back to the model and completes after a fix round', async () => {
    const result = await build([
      plan(1),
      { tools: [{ name: 'write', input: { path: 'part1.js', content: 'BUG\n' } }] },
      { text: 'Written.' },
      { tools: [{ name: 'write', input: { path: 'part1.js', content: 'fixed\n' } }] },
      { text: 'Fixed.' },
    ]);
    expect(result.status).toBe('completed');
    const verification = events.filter((e) => e.type === 'error' && e.data.kind === 'verification');
    expect(verification).toHaveLength(1);
    expect(verification[0]?.type === 'error' && verification[0].data.message).toContain(
      'part1.js: contains BUG',
    );
    expect(await readFile(join(workspace, 'part1.js'), 'utf8')).toBe('fixed\n');
    expect(states().filter((s) => s === 'VERIFYING')).toHaveLength(2);
  });

  it('reports the problems and fails after the bounded number of fix rounds', async () => {
    const bug = { tools: [{ name: 'write', input: { path: 'part1.js', content: 'BUG\n' } }] };
    const result = await build(
      [plan(1), bug, { text: 'w' }, bug, { text: 'still' }, bug, { text: 'still' }],
      { fixRounds: 2 },
    );
    expect(result.status).toBe('error');
    expect(result.error).toMatch(/after 2 automatic fix round/);
    expect(events.filter((e) => e.type === 'error' && e.data.kind === 'verification')).toHaveLength(2);
    expect(events.some((e) => e.type === 'generation_complete')).toBe(false);
  });

  it('treats runtime errors from the preview as problems to fix', async () => {
    let served = 0;
    const withPreviewError: BuilderHooks = {
      ...hooks(),
      async startServer() {
        served += 1;
        if (served === 1) {
          await store.appendEvent(sessionId, {
            type: 'preview_error',
            data: { kind: 'error', message: 'ReferenceError: count is not defined', url: '/' },
          });
        }
        return { url: 'http://p-test.localhost:3000/' };
      },
    };
    const result = await build(
      [
        plan(1),
        { tools: [{ name: 'write', input: { path: 'part1.js', content: 'x\n' } }] },
        { text: 'w' },
        { tools: [{ name: 'write', input: { path: 'part1.js', content: 'let count = 0\n' } }] },
        { text: 'fixed' },
      ],
      { hooks: withPreviewError },
    );
    expect(result.status).toBe('completed');
    const verification = events.find((e) => e.type === 'error' && e.data.kind === 'verification');
    expect(verification?.type === 'error' && verification.data.message).toContain(
      'ReferenceError: count is not defined',
    );
  });

  it('fails clearly when the plan is not valid', async () => {
    const result = await build([{ object: { summary: 'no phases', phases: [] } }]);
    expect(result.status).toBe('error');
    expect(events.at(-2)).toMatchObject({ type: 'run_finished', data: { status: 'error' } });
    expect(events.at(-1)).toMatchObject({ type: 'state_change', data: { state: 'IDLE' } });
    expect((await store.getSession(sessionId))?.state).toBe('IDLE');
  });

  it('keeps an "always" answer for the rest of the build', async () => {
    const script = join(workspace, '..', `script-always-${Date.now()}.json`);
    const exec = { tools: [{ name: 'exec', input: { command: 'echo ok' } }] };
    await writeFile(
      script,
      JSON.stringify({ steps: [plan(2), exec, { text: 'one' }, exec, { text: 'two' }] }),
    );
    const model = await resolveModel(`script:${script}`, { config: {}, env: {} });
    const sandbox = createLocalSandbox({ workspace });
    let asked = 0;
    const run = startBuild({
      store,
      bus,
      sessionId,
      text: 'Build me a tiny app',
      model,
      workspace,
      sandbox,
      tools: builtinTools({}),
      permissions: { rules: defaultRules, mode: 'ask' },
      hooks: hooks(),
      verifySettleMs: 0,
    });
    const unsubscribe = bus.subscribe(sessionId, (event) => {
      if (event.type !== 'permission_request') return;
      asked += 1;
      run.replyPermission(event.data.requestId, { reply: 'always' });
    });
    const result = await run.done;
    unsubscribe();
    await sandbox.dispose();
    expect(result.status).toBe('completed');
    expect(asked).toBe(1);
  });
});
