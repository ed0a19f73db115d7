import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveRule } from '@aura/engine';
import type { EventEnvelope } from '@aura/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  eventLog,
  listMessages,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  until,
  writeScript,
} from '../../server/test/helpers.ts';
import { endsTurn, SseClient } from '../../server/test/streaming-clients.ts';
import { ChatError } from '../src/chat/backend.ts';
import { openRemoteChat, type RemoteChatBackend, type RemoteChatOptions } from '../src/chat/remote.ts';
import { cuttableProxy } from './remote-helpers.ts';

let server: TestServer;
let ada: TestUser;
let workRoot: string;
const opened: RemoteChatBackend[] = [];

beforeAll(async () => {
  server = await startTestServer('sqlite');
  ada = await signUp(server, 'Ada');
  workRoot = await mkdtemp(join(tmpdir(), 'aura-remote-chat-'));
});

afterAll(async () => {
  await Promise.all(opened.map((backend) => backend.close()));
  await server?.close();
});

/** A directory whose name names the project `aura chat --server` works in. */
const dirNamed = (name: string) => join(workRoot, name);

interface Opened {
  backend: RemoteChatBackend;
  events: EventEnvelope[];
  notices: string[];
}

async function open(opts: Partial<RemoteChatOptions> & { dir: string }): Promise<Opened> {
  const notices: string[] = [];
  const backend = await openRemoteChat({
    server: server.url,
    token: ada.token,
    onNotice: (message) => notices.push(message),
    ...opts,
  });
  opened.push(backend);
  const events: EventEnvelope[] = [];
  backend.onEvent((event) => events.push(event));
  return { backend, events, notices };
}

const script = (steps: unknown[]) => writeScript(server.dataDir, steps);

function waitFor(what: string, events: EventEnvelope[], done: (events: EventEnvelope[]) => boolean) {
  return until(
    what,
    async () => events,
    (seen) => done(seen),
  );
}

/** Each seq once, from first to last with no gap. */
function expectContiguous(events: EventEnvelope[], from = 1) {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => from + i));
}

const writeHello = [
  {
    text: 'Creating the file.',
    chunkSize: 4,
    tools: [{ name: 'write', input: { path: 'hello.txt', content: 'hi\n' } }],
  },
  { text: 'Done.' },
];

describe('choosing the project and session', () => {
  it("uses the project named after the directory, creating it once, and reuses a session that hasn't been used", async () => {
    const first = await open({ dir: dirNamed('shop-front') });
    expect(first.backend.project.name).toBe('shop-front');
    expect(first.notices).toEqual([
      `Created project "shop-front" on ${server.url} (named after this directory).`,
    ]);
    expect(first.backend.session()).toMatchObject({
      projectId: first.backend.project.id,
      lastSeq: 0,
      state: 'IDLE',
    });
    expect(first.backend.location).toBe(server.url);

    const second = await open({ dir: dirNamed('shop-front') });
    expect(second.notices).toEqual([]);
    expect(second.backend.project.id).toBe(first.backend.project.id);
    expect(second.backend.session().id).toBe(first.backend.session().id);

    const byName = await open({ dir: workRoot, project: 'shop-front' });
    expect(byName.backend.project.id).toBe(first.backend.project.id);
    const byId = await open({ dir: workRoot, project: first.backend.project.id });
    expect(byId.backend.project.id).toBe(first.backend.project.id);
  });

  it('refuses an unknown project, session or model with a message to act on', async () => {
    await expect(open({ dir: workRoot, project: 'no-such-project' })).rejects.toThrow(
      new ChatError(
        `No project "no-such-project" on ${server.url}. Recent ones: "shop-front". Leave out --project to use (or create) one named after this directory.`,
      ),
    );
    await expect(open({ dir: workRoot, sessionId: 'ses_missing' })).rejects.toThrow(
      `No session ses_missing on ${server.url} (or it is not yours).`,
    );
    const bob = await signUp(server, 'Bob');
    const bobs = await openRemoteChat({ server: server.url, token: bob.token, dir: dirNamed('bobs') });
    opened.push(bobs);
    await expect(open({ dir: workRoot, sessionId: bobs.session().id })).rejects.toThrow(/^No session/);
    await expect(open({ dir: dirNamed('shop-front'), model: 'nosuchprovider/model' })).rejects.toThrow(
      /nosuchprovider/,
    );
  });

  it('names the problem when the token is refused or there is no login, without showing the token', async () => {
    const wrong = `aura_pat_${'w'.repeat(43)}`;
    const refused = await open({ dir: workRoot, token: wrong }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ChatError);
    expect((refused as Error).message).toContain('refused the token (401)');
    expect((refused as Error).message).not.toContain(wrong);

    const previous = { config: process.env.XDG_CONFIG_HOME, token: process.env.AURA_TOKEN };
    process.env.XDG_CONFIG_HOME = await mkdtemp(join(tmpdir(), 'aura-no-login-'));
    delete process.env.AURA_TOKEN;
    try {
      await expect(openRemoteChat({ server: server.url, dir: workRoot })).rejects.toThrow(
        new ChatError(`Not logged in to ${server.url}. Run: aura auth login --server ${server.url}`),
      );
    } finally {
      for (const [name, value] of [
        ['XDG_CONFIG_HOME', previous.config],
        ['AURA_TOKEN', previous.token],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe('a turn on the server', () => {
  it('streams each event once, in order, as the web IDE sees it too, and the same session reads back over REST', async () => {
    const model = await script(writeHello);
    const { backend, events } = await open({ dir: dirNamed('live'), model });
    const session = backend.session();
    expect(session.model).toBe(model);
    const web = await SseClient.open(server, `/api/sessions/${session.id}/events`, { cookie: ada.cookie });

    await backend.send('make hello.txt');
    await waitFor('the turn to end', events, endsTurn);
    const stored = await eventLog(server, session.id);
    expectContiguous(events);
    expect(events).toEqual(stored);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'message_user',
        'run_started',
        'text_delta',
        'tool_call',
        'tool_result',
        'run_finished',
      ]),
    );
    expect(events.find((e) => e.type === 'run_finished')?.data).toMatchObject({ status: 'completed' });

    // The web IDE, subscribed at the same time, sees the very same events.
    expect(await web.readUntil(endsTurn)).toEqual(stored);
    web.close();

    const overRest = await listMessages(ada, session.id);
    const mine = await backend.messages();
    expect(mine).toEqual(overRest);
    expect(mine.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(backend.session()).toMatchObject({ state: 'IDLE', lastSeq: stored.at(-1)?.seq });
    expect(backend.session().title).toBeTruthy();

    // --continue and --session reopen the same conversation.
    const continued = await open({ dir: dirNamed('live'), continueLast: true });
    expect(continued.backend.session().id).toBe(session.id);
    expect(await continued.backend.messages()).toEqual(overRest);
    const byId = await open({ dir: workRoot, sessionId: session.id });
    expect(byId.backend.project.id).toBe(backend.project.id);
    // Its live stream starts after the saved messages: the next turn, and nothing replayed.
    await backend.send('again');
    await waitFor('the next turn to end', byId.events, endsTurn);
    expect(byId.events[0]?.type).toBe('message_user');
    expectContiguous(byId.events, stored.at(-1)!.seq + 1);
  });

  it('asks for permission and runs the command once approved; a rejection carries the message to the model', async () => {
    const model = await script([
      { tools: [{ name: 'exec', input: { command: 'echo approved' } }] },
      { tools: [{ name: 'exec', input: { command: 'echo second' } }] },
      { text: 'Finished.' },
    ]);
    const { backend, events } = await open({ dir: dirNamed('permissions'), model });
    await backend.send('run two commands');
    const first = await waitFor('a permission request', events, (seen) =>
      seen.some((e) => e.type === 'permission_request'),
    );
    const request = first.find((e) => e.type === 'permission_request');
    if (request?.type !== 'permission_request') throw new Error('no permission request');
    expect(request.data).toMatchObject({ tool: 'exec', subject: 'echo approved' });
    expect(backend.session().state).toBe('WAITING_PERMISSION');
    await backend.replyPermission(request.data.requestId, { reply: 'once' });

    const second = await waitFor('a second permission request', events, (seen) =>
      seen.some((e) => e.type === 'permission_request' && e.data.requestId !== request.data.requestId),
    );
    const next = second.findLast((e) => e.type === 'permission_request');
    if (next?.type !== 'permission_request') throw new Error('no second request');
    await backend.replyPermission(next.data.requestId, { reply: 'reject', message: 'use ls instead' });
    await waitFor('the turn to end', events, endsTurn);

    const results = events.filter((e) => e.type === 'tool_result');
    expect(results.map((e) => e.type === 'tool_result' && [e.data.ok, e.data.output])).toEqual([
      [true, expect.stringContaining('approved')],
      [false, expect.stringContaining('use ls instead')],
    ]);
    expectContiguous(events);
    await expect(backend.replyPermission(request.data.requestId, { reply: 'once' })).rejects.toThrow(
      'That permission request is no longer waiting (answered elsewhere, or the run ended).',
    );
  });

  it('cancels a run mid-stream; cancelling when nothing runs is not an error', async () => {
    const model = await script([{ text: 'word '.repeat(200), chunkSize: 5, delayMs: 20 }]);
    const { backend, events } = await open({ dir: dirNamed('cancel'), model });
    await backend.send('talk for a while');
    await waitFor('the answer to start', events, (seen) => seen.some((e) => e.type === 'text_delta'));
    await backend.cancel();
    await waitFor('the turn to end', events, endsTurn);
    expect(events.find((e) => e.type === 'run_finished')?.data).toMatchObject({ status: 'cancelled' });
    expect(events.filter((e) => e.type === 'text_delta').length).toBeLessThan(200);
    await expect(backend.cancel()).resolves.toBeUndefined();
    expectContiguous(events);
    expect(events).toEqual(await eventLog(server, backend.session().id));
  });
});

describe('a dropped event stream', () => {
  it('reconnects after Last-Event-ID and loses or repeats no event', async () => {
    const proxy = await cuttableProxy(server.url);
    try {
      const model = await script([
        { text: 'streaming through a flaky network '.repeat(6), chunkSize: 4, delayMs: 15 },
      ]);
      const notices: string[] = [];
      const backend = await openRemoteChat({
        server: proxy.url,
        token: ada.token,
        dir: dirNamed('flaky'),
        model,
        onNotice: (message) => notices.push(message),
      });
      opened.push(backend);
      const events: EventEnvelope[] = [];
      backend.onEvent((event) => events.push(event));
      await backend.send('stream a long answer');
      await waitFor(
        'a few deltas',
        events,
        (seen) => seen.filter((e) => e.type === 'text_delta').length >= 5,
      );
      const connectionsBefore = proxy.accepted;
      proxy.cut();
      await waitFor('the turn to end', events, endsTurn);

      expect(proxy.accepted).toBeGreaterThan(connectionsBefore);
      expectContiguous(events);
      expect(events).toEqual(await eventLog(server, backend.session().id));
      expect(notices.some((n) => n.startsWith('Lost the event stream'))).toBe(true);
      expect(notices).toContain(`Reconnected to ${proxy.url}; no events were missed.`);
    } finally {
      await proxy.close();
    }
  });
});

describe('workspace commands', () => {
  it('completes @file paths, runs !cmd under the deny rules, undoes the last turn and compacts', async () => {
    const model = await script(writeHello);
    const { backend, events } = await open({ dir: dirNamed('tools'), model });
    await backend.send('make hello.txt');
    await waitFor('the turn to end', events, endsTurn);

    expect(await backend.files('hel')).toEqual(['hello.txt']);
    expect(await backend.files('LLO')).toEqual(['hello.txt']);
    expect(await backend.shell('cat hello.txt')).toEqual({ ok: true, exitCode: 0, output: 'hi\n' });
    expect(await backend.shell('exit 3')).toMatchObject({ ok: false, exitCode: 3 });

    const project = await server.server.context.store.getProject(backend.project.id);
    if (!project) throw new Error('no project');
    await saveRule(server.server.context.store, project.workspace, {
      tool: 'exec',
      pattern: 'rm *',
      action: 'deny',
    });
    expect(await backend.shell('echo bye && rm hello.txt')).toEqual({
      ok: false,
      exitCode: null,
      output: 'Permission denied by a rule: exec is not allowed on "rm hello.txt".',
      denied: true,
    });

    expect(await backend.undo()).toBe(
      'Undid "make hello.txt": the workspace is as it was before that turn (1 file removed).',
    );
    const tree = await api<{ entries: { path: string }[] }>(
      ada,
      'GET',
      `/api/projects/${backend.project.id}/files`,
    );
    expect(tree.body.entries.map((e) => e.path)).not.toContain('hello.txt');
    expect(await backend.files('hel')).toEqual([]);
    await expect(backend.undo()).rejects.toThrow('Nothing to undo: no turn of this session changed files.');

    expect(await backend.compact()).toBe(
      'Nothing to compact: no older tool output is large enough to prune.',
    );
    const usage = await backend.usage();
    expect(usage.steps).toBe(2);
  });

  it("attaches @files by path: the server reads them from the project's workspace when the turn starts", async () => {
    const model = await script([...writeHello, { text: 'It says hi.' }]);
    const { backend, events } = await open({ dir: dirNamed('attach'), model });
    await backend.send('make hello.txt');
    await waitFor('the first turn to end', events, endsTurn);
    const before = events.length;

    const attachment = { mediaType: 'text/plain', filename: 'hello.txt', url: 'hello.txt' };
    await backend.send('what does @hello.txt say?', [attachment]);
    await waitFor('the second turn to end', events, (seen) => endsTurn(seen.slice(before)));
    expect(events.slice(before).find((e) => e.type === 'message_user')?.data).toMatchObject({
      text: 'what does @hello.txt say?',
      attachments: [attachment],
    });
    const asked = (await listMessages(ada, backend.session().id)).filter((m) => m.role === 'user').at(-1);
    expect(asked?.parts).toEqual([
      { type: 'text', text: 'what does @hello.txt say?' },
      { type: 'file', mediaType: 'text/plain', filename: 'hello.txt', url: 'data:text/plain;base64,aGkK' },
    ]);
  });

  it('switches models, lists and switches sessions', async () => {
    const { backend } = await open({ dir: dirNamed('switching') });
    const models = await backend.models();
    expect(models).toContain('openai/gpt-5');
    expect(models).toContain('scripted-demo/build-todo');
    await expect(backend.setModel('nosuchprovider/x')).rejects.toThrow(ChatError);
    const model = await script([{ text: 'hello' }]);
    await backend.setModel(model);
    expect(backend.session().model).toBe(model);

    const first = backend.session();
    const changes: string[] = [];
    backend.onSessionChange((session) => changes.push(session.id));
    // An unused session is reused by /clear rather than piling up empty ones.
    expect((await backend.newSession()).id).toBe(first.id);
    await backend.send('hi');
    await until(
      'the turn to end',
      async () => (await api<{ running: boolean }>(ada, 'GET', `/api/sessions/${first.id}`)).body.running,
      (running) => !running,
    );
    const fresh = await backend.newSession();
    expect(fresh.id).not.toBe(first.id);
    expect(fresh.model).toBe(model);
    expect((await backend.listSessions()).map((s) => s.id)).toEqual([fresh.id, first.id]);
    expect((await backend.openSession(first.id)).id).toBe(first.id);
    expect(changes).toEqual([first.id, fresh.id, first.id]);
    expect((await backend.messages()).map((m) => m.role)).toEqual(['user', 'assistant']);
  });
});
