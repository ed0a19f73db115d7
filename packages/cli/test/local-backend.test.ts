import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Store, sqliteFile } from '@aura/engine';
import type { EventEnvelope, EventType } from '@aura/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatError } from '../src/chat/backend.ts';
import { type LocalChatBackend, type LocalChatOptions, openLocalChat } from '../src/chat/local.ts';
import { writeScript } from './cli-helpers.ts';

const everythingServer = fileURLToPath(
  new URL('../../../node_modules/@modelcontextprotocol/server-everything/dist/index.js', import.meta.url),
);

/** server-everything processes this test process started and that are still alive. */
function mcpServersRunning(): number {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), '-f', 'server-everything'], { encoding: 'utf8' })
      .trim()
      .split('\n').length;
  } catch {
    return 0; // pgrep exits 1 when nothing matches
  }
}

let home: string;
let workspace: string;
let dataDir: string;
const opened: LocalChatBackend[] = [];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'aura-local-chat-'));
  workspace = join(home, 'project');
  dataDir = join(home, 'data');
  await mkdir(workspace);
  // The user config comes from here; no database or provider from the developer's shell.
  process.env.XDG_CONFIG_HOME = join(home, 'config');
  delete process.env.DATABASE_URL;
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((backend) => backend.close()));
});

async function userConfig(yaml: string): Promise<void> {
  await mkdir(join(home, 'config', 'aura'), { recursive: true });
  await writeFile(join(home, 'config', 'aura', 'config.yaml'), yaml);
}

async function open(steps: unknown[], opts: LocalChatOptions = {}): Promise<LocalChatBackend> {
  const script = await writeScript(home, steps, `script-${opened.length}.json`);
  const backend = await openLocalChat({ dir: workspace, dataDir, model: `script:${script}`, ...opts });
  opened.push(backend);
  return backend;
}

/** Every event the backend forwards; `next` finds the first not yet taken, waiting if needed. */
function record(backend: LocalChatBackend) {
  const events: EventEnvelope[] = [];
  let cursor = 0;
  let wake = () => {};
  backend.onEvent((event) => {
    events.push(event);
    wake();
  });
  async function next<T extends EventType>(type: T): Promise<EventEnvelope<T>> {
    for (;;) {
      const index = events.findIndex((event, i) => i >= cursor && event.type === type);
      if (index !== -1) {
        cursor = index + 1;
        return events[index] as EventEnvelope<T>;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  }
  return { events, next };
}

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ sqlitePath: sqliteFile(dataDir) });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe('LocalChatBackend sessions', () => {
  it('writes nothing until the first message, then streams the answer and saves both messages', async () => {
    const idle = await open([{ text: 'unused' }]);
    const draft = idle.session();
    expect(draft).toMatchObject({ directory: workspace, state: 'IDLE', title: null, lastSeq: 0 });
    expect(draft.model).toMatch(/^script:/);
    expect(await idle.messages()).toEqual([]);
    expect(await idle.usage()).toMatchObject({ inputTokens: 0, steps: 0 });
    await idle.close();
    expect(await withStore((store) => store.listSessions())).toEqual([]);

    const chat = await open([{ text: 'Hi there, friend.', chunkSize: 4 }]);
    const { events, next } = record(chat);
    await chat.send('hello');
    expect((await next('run_finished')).data.status).toBe('completed');
    const deltas = events.filter((e) => e.type === 'text_delta').map((e) => e.data.delta);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('Hi there, friend.');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));

    const messages = await chat.messages();
    expect(messages.map((m) => [m.role, m.parts[0]])).toEqual([
      ['user', { type: 'text', text: 'hello' }],
      ['assistant', { type: 'text', text: 'Hi there, friend.' }],
    ]);
    const stored = await withStore(async (store) => store.getSession(chat.session().id));
    expect(stored).toMatchObject({ id: chat.session().id, title: 'hello', directory: workspace });
    expect(chat.session()).toMatchObject({ title: 'hello', state: 'IDLE' });
    expect(await chat.usage()).toEqual(chat.session().usage);
    expect(chat.session().usage.steps).toBe(1);
  });

  it('reads attachments that name workspace files when the turn starts, as the server does', async () => {
    await writeFile(join(workspace, 'notes.md'), '# Notes\n');
    const chat = await open([{ text: 'Read it.' }]);
    const { next } = record(chat);
    await chat.send('summarise', [{ mediaType: 'text/plain', filename: 'notes.md', url: 'notes.md' }]);
    expect((await next('run_finished')).data.status).toBe('completed');
    const [asked] = await chat.messages();
    expect(asked?.parts).toEqual([
      { type: 'text', text: 'summarise' },
      {
        type: 'file',
        mediaType: 'text/plain',
        filename: 'notes.md',
        url: `data:text/plain;base64,${Buffer.from('# Notes\n').toString('base64')}`,
      },
    ]);
  });

  it('opens, lists and switches sessions of the workspace', async () => {
    const chat = await open([{ text: 'first answer' }]);
    const { next } = record(chat);
    const switched: string[] = [];
    chat.onSessionChange((session) => switched.push(session.id));
    await chat.send('first');
    await next('run_finished');
    const first = chat.session().id;

    const fresh = await chat.newSession();
    expect(fresh.id).not.toBe(first);
    expect(chat.session().id).toBe(fresh.id);
    expect(await chat.messages()).toEqual([]);
    expect((await chat.listSessions()).map((s) => s.id)).toEqual([first]);

    const reopened = await chat.openSession(first.slice(-8));
    expect(reopened.id).toBe(first);
    expect((await chat.messages()).map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(switched).toEqual([fresh.id, first]);

    await expect(chat.openSession('ses_missing')).rejects.toThrow(ChatError);
    const elsewhere = await withStore((store) => store.createSession({ directory: '/elsewhere' }));
    await expect(chat.openSession(elsewhere.id)).rejects.toThrow(/belongs to \/elsewhere/);
    expect(chat.session().id).toBe(first);
  });

  it('continues the latest session of the workspace, closing a run its process left behind', async () => {
    const script = await writeScript(home, [{ text: 'x' }], 'old.json');
    const [older, latest] = await withStore(async (store) => {
      const a = await store.createSession({ directory: workspace, model: `script:${script}` });
      const b = await store.createSession({ directory: workspace, model: `script:${script}` });
      await store.updateSession(b.id, { state: 'RUNNING' });
      return [a, b];
    });
    const chat = await openLocalChat({ dir: workspace, dataDir, continueLast: true });
    opened.push(chat);
    expect(chat.session()).toMatchObject({ id: latest!.id, state: 'IDLE', model: `script:${script}` });
    expect(chat.session().id).not.toBe(older!.id);
    const log = await withStore((store) => store.listEvents(latest!.id));
    expect(log.find((e) => e.type === 'run_finished')).toMatchObject({ data: { status: 'interrupted' } });

    const notices: string[] = [];
    const empty = join(home, 'empty');
    const other = await open([{ text: 'x' }], {
      dir: empty,
      continueLast: true,
      onNotice: (m) => notices.push(m),
    });
    expect(other.session().directory).toBe(empty);
    expect(notices).toEqual(['No earlier session in this workspace: starting a new one.']);
  });

  it('refuses sessions, workspaces, models and config files it cannot use, with ChatErrors', async () => {
    const session = await withStore((store) => store.createSession({ directory: workspace }));
    await expect(open([{ text: 'x' }], { sessionId: 'ses_nope' })).rejects.toThrow(/No session ses_nope/);
    await expect(open([{ text: 'x' }], { sessionId: session.id, dir: join(home, 'other') })).rejects.toThrow(
      new RegExp(`belongs to ${workspace}`),
    );
    await expect(openLocalChat({ dir: workspace, dataDir, model: 'nosuch/model' })).rejects.toThrow(
      ChatError,
    );
    await mkdir(join(workspace, '.aura'));
    await writeFile(join(workspace, '.aura', 'config.yaml'), 'maxSteps: lots\n');
    const bad = openLocalChat({ dir: workspace, dataDir, model: 'script:x.json' });
    await expect(bad).rejects.toThrow(ChatError);
    await expect(bad).rejects.toThrow(/\.aura\/config\.yaml: maxSteps:/);
  });
});

describe('LocalChatBackend runs', () => {
  it('asks before running a command: once runs it, reject passes the message to the model', async () => {
    const chat = await open([
      { tools: [{ name: 'exec', input: { command: 'echo ran > out.txt' } }] },
      { text: 'done' },
      { tools: [{ name: 'exec', input: { command: 'echo again > two.txt' } }] },
      { text: 'ok' },
    ]);
    const { next } = record(chat);
    await chat.send('run it');
    const asked = await next('permission_request');
    expect(asked.data).toMatchObject({ tool: 'exec', subject: 'echo ran > out.txt' });
    expect((await next('state_change')).data.state).toBe('WAITING_PERMISSION');
    expect(chat.session().state).toBe('WAITING_PERMISSION');
    await chat.replyPermission(asked.data.requestId, { reply: 'once' });
    await next('run_finished');
    expect(await readFile(join(workspace, 'out.txt'), 'utf8')).toBe('ran\n');

    await chat.send('again');
    const second = await next('permission_request');
    await chat.replyPermission(second.data.requestId, { reply: 'reject', message: 'not now, use a file' });
    const result = await next('tool_result');
    expect(result.data).toMatchObject({ ok: false, output: expect.stringContaining('not now, use a file') });
    await next('run_finished');
    expect(existsSync(join(workspace, 'two.txt'))).toBe(false);
    await expect(chat.replyPermission(second.data.requestId, { reply: 'once' })).rejects.toThrow(ChatError);
  });

  it('cancels a streaming turn, refuses a second message meanwhile, and takes the next one', async () => {
    const chat = await open([{ text: 'word '.repeat(200), chunkSize: 5, delayMs: 20 }, { text: 'after' }]);
    const { next } = record(chat);
    await chat.send('long one');
    await next('text_delta');
    await expect(chat.send('too soon')).rejects.toThrow(/still working on the last message/);
    await expect(chat.undo()).rejects.toThrow(
      /working: wait for it, or press Ctrl-C to cancel it, before you undo/,
    );
    await chat.cancel();
    expect((await next('run_finished')).data.status).toBe('cancelled');
    expect(chat.session().state).toBe('IDLE');

    await chat.send('next');
    expect((await next('run_finished')).data.status).toBe('completed');
    const messages = await chat.messages();
    expect(messages.map((m) => m.finishReason)).toEqual([null, 'cancelled', null, 'stop']);
  });

  it('switches models for the next turn, refusing ids it cannot resolve', async () => {
    const chat = await open([{ text: 'from the first model' }]);
    await expect(chat.setModel('nosuch/model')).rejects.toThrow(/Cannot switch to nosuch\/model/);
    await expect(chat.setModel('gpt-5')).rejects.toThrow(ChatError);
    await expect(chat.setModel('script:/no/such/script.json')).rejects.toThrow(/Cannot read script/);
    const other = await writeScript(home, [{ text: 'from the second model' }], 'second.json');
    await chat.setModel(`script:${other}`);
    expect(chat.session().model).toBe(`script:${other}`);
    const models = await chat.models();
    expect(models[0]).toBe(`script:${other}`);
    expect(models).toContain('anthropic/claude-sonnet-4-5');

    const { next } = record(chat);
    await chat.send('which model?');
    await next('run_finished');
    const [, answer] = await chat.messages();
    expect(answer).toMatchObject({ model: `script:${other}`, parts: [{ text: 'from the second model' }] });
    expect((await withStore((store) => store.getSession(chat.session().id)))?.model).toBe(`script:${other}`);
  });

  it('undoes the turns that changed files, one at a time, then says there is nothing left', async () => {
    await writeFile(join(workspace, 'keep.txt'), 'mine\n');
    const chat = await open([
      { tools: [{ name: 'write', input: { path: 'a.txt', content: 'one\n' } }] },
      { text: 'wrote it' },
      {
        tools: [
          { name: 'edit', input: { path: 'a.txt', old_string: 'one', new_string: 'two' } },
          { name: 'write', input: { path: 'b.txt', content: 'bee\n' } },
        ],
      },
      { text: 'changed it' },
    ]);
    await expect(chat.undo()).rejects.toThrow(/Nothing to undo/);
    const { next } = record(chat);
    await chat.send('first');
    await next('run_finished');
    await chat.send('second');
    await next('run_finished');
    expect(await readFile(join(workspace, 'a.txt'), 'utf8')).toBe('two\n');

    expect(await chat.undo()).toBe('Undid "second": restored 1 file, removed 1 file.');
    expect(await readFile(join(workspace, 'a.txt'), 'utf8')).toBe('one\n');
    expect(existsSync(join(workspace, 'b.txt'))).toBe(false);
    expect(await chat.undo()).toBe('Undid "first": removed 1 file.');
    expect(existsSync(join(workspace, 'a.txt'))).toBe(false);
    await expect(chat.undo()).rejects.toThrow(/Nothing to undo/);
    expect(await readFile(join(workspace, 'keep.txt'), 'utf8')).toBe('mine\n');
    // The checkpoints live in the data dir, not in the workspace.
    expect(existsSync(join(workspace, '.git'))).toBe(false);
    expect(existsSync(join(dataDir, 'checkpoints'))).toBe(true);
  });

  it('compacts old tool outputs for good and says what it saved', async () => {
    await writeFile(
      join(workspace, 'big.txt'),
      Array.from({ length: 300 }, (_, i) => `line ${i}`).join('\n'),
    );
    const chat = await open([
      { tools: [{ name: 'read', input: { path: 'big.txt' } }] },
      { text: 'read it' },
      { text: 'second' },
      { text: 'third' },
    ]);
    expect(await chat.compact()).toBe('Nothing to compact yet: the session has no messages.');
    const { next } = record(chat);
    for (const text of ['read', 'two', 'three']) {
      await chat.send(text);
      await next('run_finished');
    }
    expect(await chat.compact()).toMatch(
      /^Compacted: pruned 1 old tool output; the conversation is now about \d+ tokens/,
    );
    expect((await next('context_compacted')).data.prunedToolOutputs).toBe(1);
    const tool = (await chat.messages())[1]?.parts.find((p) => p.type === 'tool');
    expect(tool).toMatchObject({ output: expect.stringMatching(/^\[output pruned by \/compact: \d+ lines/) });
    expect(await chat.compact()).toMatch(/^Nothing to compact:/);
  });

  it('gives the agent the tools of configured MCP servers and stops them on close', async () => {
    await userConfig(
      [
        'mcp:',
        '  everything:',
        '    type: stdio',
        `    command: ${JSON.stringify(process.execPath)}`,
        `    args: [${JSON.stringify(everythingServer)}, stdio]`,
        'permissions:',
        '  - { tool: "mcp__everything__echo", pattern: "*", action: allow }',
      ].join('\n'),
    );
    const chat = await open([
      { tools: [{ name: 'mcp__everything__echo', input: { message: 'through MCP' } }] },
      { text: 'done' },
    ]);
    const { next } = record(chat);
    await chat.send('echo something');
    expect((await next('tool_result')).data).toMatchObject({ ok: true, output: 'Echo: through MCP' });
    await next('run_finished');
    expect(mcpServersRunning()).toBe(1);
    await chat.close();
    expect(mcpServersRunning()).toBe(0);
  });
});

describe('LocalChatBackend files and shell', () => {
  it('completes workspace files, leaving out what .gitignore, .git and node_modules hold', async () => {
    const files: Record<string, string> = {
      '.gitignore': 'dist/\n*.log\n',
      'README.md': '',
      'src/app.ts': '',
      'src/util/deep.ts': '',
      'dist/out.js': '',
      'debug.log': '',
      'node_modules/x/index.js': '',
      '.git/config': '',
    };
    for (const [path, body] of Object.entries(files)) {
      await mkdir(join(workspace, path, '..'), { recursive: true });
      await writeFile(join(workspace, path), body);
    }
    for (let i = 0; i < 10_000; i++) {
      if (i % 1_000 === 0) await mkdir(join(workspace, 'many', `d${i / 1_000}`), { recursive: true });
      await writeFile(join(workspace, 'many', `d${Math.floor(i / 1_000)}`, `f${i}.txt`), '');
    }
    const chat = await open([{ text: 'x' }]);
    const all = await chat.files('', 20_000);
    expect(all).toHaveLength(10_004);
    expect(all.slice(0, 2)).toEqual(['.gitignore', 'README.md']);
    expect(all.filter((f) => !f.startsWith('many/'))).toEqual([
      '.gitignore',
      'README.md',
      'src/app.ts',
      'src/util/deep.ts',
    ]);
    expect(await chat.files('src/')).toEqual(['src/app.ts', 'src/util/deep.ts']);
    expect(await chat.files('./src/a')).toEqual(['src/app.ts']);
    expect(await chat.files('DEEP')).toEqual(['src/util/deep.ts']);
    expect(await chat.files('util')).toEqual(['src/util/deep.ts']);
    expect(await chat.files('f99')).toHaveLength(50);
    expect(await chat.files('f9999')).toEqual(['many/d9/f9999.txt']);
    expect(await chat.files('many/', 3)).toHaveLength(3);
  });

  it('runs !commands under the exec rules: allow runs, deny refuses, ask asks and remembers always', async () => {
    await userConfig(
      [
        'permissions:',
        '  - { tool: exec, pattern: "echo *", action: allow }',
        '  - { tool: exec, pattern: "ls *", action: allow }',
        '  - { tool: exec, pattern: "rm *", action: deny }',
      ].join('\n'),
    );
    const chat = await open([{ text: 'x' }]);
    const { events, next } = record(chat);

    expect(await chat.shell('echo hi')).toEqual({ ok: true, exitCode: 0, output: 'hi\n' });
    const missing = await chat.shell('ls no-such-file');
    expect(missing).toMatchObject({
      ok: false,
      exitCode: 2,
      output: expect.stringContaining('no-such-file'),
    });
    expect(await chat.shell('rm -rf src')).toMatchObject({
      ok: false,
      denied: true,
      output: expect.stringContaining('rm -rf src'),
    });
    expect(await chat.shell('echo hi && rm -rf src')).toMatchObject({ denied: true });
    expect(events).toEqual([]);
    expect(await withStore((store) => store.listSessions())).toEqual([]);

    const approved = chat.shell('touch asked.txt');
    const question = await next('permission_request');
    expect(question.data).toMatchObject({ tool: 'exec', subject: 'touch asked.txt' });
    await chat.replyPermission(question.data.requestId, { reply: 'once' });
    expect(await approved).toMatchObject({ ok: true, exitCode: 0 });
    expect(existsSync(join(workspace, 'asked.txt'))).toBe(true);
    expect((await next('permission_resolved')).data.reply).toBe('once');
    // Asking needed a session to record the question in.
    expect((await withStore((store) => store.listSessions())).map((s) => s.id)).toEqual([chat.session().id]);

    const refused = chat.shell('touch refused.txt');
    await chat.replyPermission((await next('permission_request')).data.requestId, { reply: 'reject' });
    expect(await refused).toMatchObject({ ok: false, denied: true });
    expect(existsSync(join(workspace, 'refused.txt'))).toBe(false);

    const always = chat.shell('date');
    await chat.replyPermission((await next('permission_request')).data.requestId, { reply: 'always' });
    expect(await always).toMatchObject({ ok: true });
    const asksBefore = events.filter((e) => e.type === 'permission_request').length;
    expect(await chat.shell('date')).toMatchObject({ ok: true });
    expect(events.filter((e) => e.type === 'permission_request')).toHaveLength(asksBefore);

    const withdrawn = chat.shell('touch never.txt');
    await next('permission_request');
    await chat.cancel();
    expect(await withdrawn).toEqual({
      ok: false,
      exitCode: null,
      output: 'Cancelled before it ran.',
      denied: true,
    });
    expect((await next('permission_resolved')).data).toMatchObject({ reply: 'reject' });
    await expect(chat.shell('  ')).rejects.toThrow(ChatError);
  });
});
