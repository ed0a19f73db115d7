import type { EventEnvelope } from '@aura/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  backendNames,
  createProject,
  createSession,
  eventLog,
  listMessages,
  type ProjectBody,
  runTurn,
  sessionState,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  waitForIdle,
  writeScript,
  wsAttempt,
} from './helpers.ts';
import { endsTurn, type Frame, isEnvelope, WsClient } from './streaming-clients.ts';

const seqs = (events: EventEnvelope[]) => events.map((e) => e.seq);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const tokenQuery = (user: TestUser) => `token=${encodeURIComponent(user.token)}`;

function eventOf<T extends EventEnvelope['type']>(events: EventEnvelope[], type: T) {
  const found = events.find((e) => e.type === type);
  if (!found) throw new Error(`no ${type} event among ${events.map((e) => e.type).join(', ')}`);
  return found as Extract<EventEnvelope, { type: T }>;
}

describe.each(backendNames)('WebSocket on %s', (backend) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let project: ProjectBody;
  let askingModel: string;

  const connect = (user: TestUser, sessionId?: string) =>
    WsClient.open(server, `/ws/${project.id}?${tokenQuery(user)}${sessionId ? `&session=${sessionId}` : ''}`);

  beforeAll(async () => {
    server = await startTestServer(backend);
    [alice, bob] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob')]);
    project = await createProject(alice, 'Sockets');
    askingModel = await writeScript(server.dataDir, [
      {
        text: 'Let me check the toolchain before I start.',
        chunkSize: 3,
        delayMs: 2,
        tools: [{ name: 'exec', input: { command: 'echo ready' } }],
      },
      { text: 'The toolchain is ready.', chunkSize: 4 },
    ]);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('says hello, binds the newest session, and sends events only after resume', async () => {
    const first = await createSession(alice, project.id);
    await runTurn(alice, first.id, 'hi', await writeScript(server.dataDir, [{ text: 'Hello.' }]));
    const newest = await createSession(alice, project.id);

    const client = await connect(alice);
    const hello = await client.waitFor((f) => f.type === 'hello');
    expect(hello.data).toEqual({ sessionId: newest.id, projectId: project.id, lastSeq: 0 });
    await client.close();

    const bound = await connect(alice, first.id);
    const lastSeq = (await eventLog(server, first.id)).length;
    expect((await bound.waitFor((f) => f.type === 'hello')).data).toEqual({
      sessionId: first.id,
      projectId: project.id,
      lastSeq,
    });
    expect(await bound.request('p', 'ping')).toEqual({ type: 'pong', id: 'p' });
    expect(bound.envelopes).toEqual([]);

    const ack = await bound.request('r', 'resume', { since: 2 });
    expect(ack).toEqual({ type: 'ack', id: 'r', data: { since: 2, lastSeq } });
    const received = await bound.waitForEvents((events) => events.length === lastSeq - 2);
    expect(received).toEqual((await eventLog(server, first.id)).slice(2));
    // The ack comes before the replay it announces.
    expect(bound.frames.findIndex((f) => f.type === 'ack')).toBeLessThan(bound.frames.findIndex(isEnvelope));
    await bound.close();
  });

  it('resumes after a dropped connection mid-run and answers the permission request: exactly once, in order', async () => {
    const session = await createSession(alice, project.id);
    const first = await connect(alice, session.id);
    await first.request('r0', 'resume', { since: 0 });
    const started = await first.request('s', 'send', { text: 'Check the toolchain', model: askingModel });
    expect(started).toMatchObject({
      type: 'ack',
      id: 's',
      data: { sessionId: session.id, runId: expect.any(String) },
    });
    await first.waitForEvents((events) => events.some((e) => e.type === 'text_delta'));
    first.drop();
    const fromFirst = first.envelopes;
    const afterFirst = fromFirst.at(-1)!.seq;

    const second = await connect(alice, session.id);
    await second.request('r1', 'resume', { since: afterFirst });
    const waiting = await second.waitForEvents((events) =>
      events.some((e) => e.type === 'permission_request'),
    );
    const request = eventOf(waiting, 'permission_request');
    expect(request.data.tool).toBe('exec');
    expect(
      await second.request('ok', 'permission_reply', { requestId: request.data.requestId, reply: 'once' }),
    ).toEqual({
      type: 'ack',
      id: 'ok',
      data: { requestId: request.data.requestId, reply: 'once' },
    });
    const fromSecond = await second.waitForEvents(endsTurn);
    await second.close();

    const all = [...fromFirst, ...fromSecond];
    expect(fromSecond[0]?.seq).toBe(afterFirst + 1);
    expect(seqs(all)).toEqual(oneTo(all.length));
    expect(all).toEqual(await eventLog(server, session.id));
    expect(eventOf(all, 'permission_resolved').data).toEqual({
      requestId: request.data.requestId,
      reply: 'once',
    });
    expect(eventOf(all, 'tool_result').data).toMatchObject({ tool: 'exec', ok: true });
    expect(eventOf(all, 'run_finished').data.status).toBe('completed');
  });

  it('restarts the stream on a second resume and never sends seqs at or below it', async () => {
    const session = await createSession(alice, project.id);
    await runTurn(
      alice,
      session.id,
      'hi',
      await writeScript(server.dataDir, [{ text: 'Hello there.', chunkSize: 2 }]),
    );
    const log = await eventLog(server, session.id);
    const client = await connect(alice, session.id);
    await client.request('a', 'resume', { since: 0 });
    await client.waitForEvents((events) => events.length === log.length);
    const mark = client.frames.length;
    await client.request('b', 'resume', { since: log.length - 3 });
    await client.waitFor((f) => isEnvelope(f) && f.seq === log.length, mark);
    const replayed = client.frames.slice(mark).filter(isEnvelope) as unknown as EventEnvelope[];
    expect(replayed).toEqual(log.slice(-3));
    await client.close();
  });

  it('cancels a run', async () => {
    const session = await createSession(alice, project.id);
    const client = await connect(alice, session.id);
    await client.request('r', 'resume', { since: 0 });
    await client.request('s', 'send', { text: 'Check the toolchain', model: askingModel });
    await client.waitForEvents((events) => events.some((e) => e.type === 'permission_request'));
    expect(await client.request('c', 'cancel')).toEqual({ type: 'ack', id: 'c', data: { cancelling: true } });
    const events = await client.waitForEvents(endsTurn);
    expect(eventOf(events, 'run_finished').data.status).toBe('cancelled');
    const state = await client.request('g', 'get_state');
    expect(state).toEqual({
      type: 'state',
      id: 'g',
      data: { state: 'IDLE', running: false, lastSeq: events.at(-1)!.seq },
    });
    await client.close();
  });

  it('runs generate in build mode and maps HttpErrors to error frames', async () => {
    const session = await createSession(alice, project.id);
    const client = await connect(alice, session.id);
    const model = await writeScript(server.dataDir, [{ text: 'Planning.', chunkSize: 1, delayMs: 2 }]);
    const ack = await client.request('g', 'generate', { description: 'A todo app', model });
    expect(ack).toMatchObject({ type: 'ack', id: 'g', data: { runId: expect.any(String) } });
    // One run per session: a second start while the first streams is a 409 from the run manager.
    const busy = await client.request('again', 'send', { text: 'more', model });
    expect(busy).toMatchObject({ type: 'error', id: 'again', data: { code: 'run_active' } });
    await waitForIdle(alice, session.id);
    const info = await api<{ mode: string }>(alice, 'GET', `/api/sessions/${session.id}`);
    expect(info.body.mode).toBe('build');
    const messages = await listMessages(alice, session.id);
    expect(messages[0]?.parts).toEqual([{ type: 'text', text: 'A todo app' }]);

    const badModel = await client.request('m', 'send', { text: 'hi', model: 'nope/unknown-model' });
    expect(badModel).toMatchObject({ type: 'error', id: 'm', data: { code: 'invalid_model' } });
    await client.close();
  });

  it('answers bad frames with error frames, stays open, changes nothing, and closes on oversized frames', async () => {
    const session = await createSession(alice, project.id);
    await runTurn(alice, session.id, 'hi', await writeScript(server.dataDir, [{ text: 'Hello.' }]));
    const before = {
      state: await sessionState(alice, session.id),
      messages: await listMessages(alice, session.id),
    };

    const client = await connect(alice, session.id);
    await client.waitFor((f) => f.type === 'hello');
    const errorAfter = async (send: () => void) => {
      const from = client.frames.length;
      send();
      return client.waitFor((f) => f.type === 'error', from);
    };
    const codeOf = (frame: Frame) => (frame.data as { code: string }).code;

    expect(codeOf(await errorAfter(() => client.sendRaw('{not json')))).toBe('invalid_json');
    expect(codeOf(await errorAfter(() => client.sendRaw(Buffer.from([1, 2, 3]), true)))).toBe(
      'invalid_frame',
    );
    expect(codeOf(await errorAfter(() => client.send(['send'])))).toBe('invalid_command');
    const unknown = await client.request('u', 'explode', {});
    expect(unknown).toMatchObject({ type: 'error', id: 'u', data: { code: 'unknown_command' } });
    const wrongTypes = await client.request('w', 'send', { text: 5 });
    expect(wrongTypes).toMatchObject({ type: 'error', id: 'w', data: { code: 'invalid_command' } });
    expect((wrongTypes.data as { message: string }).message).toContain('text');
    const missingData = await errorAfter(() => client.send({ type: 'resume' }));
    expect(codeOf(missingData)).toBe('invalid_command');
    expect(await client.request('n', 'resume', { since: -1 })).toMatchObject({
      data: { code: 'invalid_command' },
    });
    expect(await client.request('f', 'resume', { since: 1.5 })).toMatchObject({
      data: { code: 'invalid_command' },
    });
    expect(await client.request('x', 'resume', { since: 10_000 })).toMatchObject({
      data: { code: 'invalid_cursor' },
    });
    expect(await client.request('t', 'terminal_input', { terminalId: 't1', data: 'ls\n' })).toMatchObject({
      data: { code: 'not_found' },
    });
    expect(
      await client.request('p', 'permission_reply', { requestId: 'req_nope', reply: 'once' }),
    ).toMatchObject({
      data: { code: 'not_found' },
    });
    expect(await client.request('c', 'cancel')).toMatchObject({ data: { code: 'no_active_run' } });
    expect(await client.request('e', 'cancel', { extra: true })).toMatchObject({
      data: { code: 'invalid_command' },
    });
    expect(await client.request('ping', 'ping')).toEqual({ type: 'pong', id: 'ping' });
    expect(client.envelopes).toEqual([]);

    client.sendRaw(JSON.stringify({ type: 'send', data: { text: 'x'.repeat(1024 * 1024 + 10) } }));
    expect((await client.closed).code).toBe(1009);

    expect(await sessionState(alice, session.id)).toEqual(before.state);
    expect(await listMessages(alice, session.id)).toEqual(before.messages);
    expect((await api(alice, 'GET', '/api/health')).status).toBe(200);
    const again = await connect(alice, session.id);
    expect(await again.request('ping', 'ping')).toEqual({ type: 'pong', id: 'ping' });
    await again.close();
  });

  it('refuses upgrades without credentials, to foreign projects, and from foreign origins', async () => {
    const session = await createSession(alice, project.id);
    const other = await createProject(alice, 'Other');
    const otherSession = await createSession(alice, other.id);

    expect(await wsAttempt(server, `/ws/${project.id}`)).toMatchObject({ kind: 'rejected', status: 401 });
    expect(await wsAttempt(server, `/ws/${project.id}?token=aura_pat_bogus`)).toMatchObject({ status: 401 });
    const foreign = await wsAttempt(server, `/ws/${project.id}?${tokenQuery(bob)}`);
    expect(foreign).toMatchObject({ kind: 'rejected', status: 404 });
    if (foreign.kind === 'rejected')
      expect(JSON.parse(foreign.body)).toMatchObject({ error: { code: 'not_found' } });
    expect(await wsAttempt(server, `/ws/prj_nope?${tokenQuery(alice)}`)).toMatchObject({ status: 404 });
    expect(await wsAttempt(server, `/ws?${tokenQuery(alice)}`)).toMatchObject({ status: 404 });
    expect(await wsAttempt(server, `/api/projects?${tokenQuery(alice)}`)).toMatchObject({ status: 404 });

    const cookieFromElsewhere = await wsAttempt(server, `/ws/${project.id}`, {
      cookie: alice.cookie,
      origin: 'https://evil.example',
    });
    expect(cookieFromElsewhere).toMatchObject({ kind: 'rejected', status: 403 });
    expect(await wsAttempt(server, `/ws/${project.id}`, { cookie: alice.cookie })).toMatchObject({
      status: 403,
    });
    const viaCookie = await WsClient.open(server, `/ws/${project.id}?session=${session.id}`, {
      cookie: alice.cookie,
      origin: server.origin,
    });
    expect((await viaCookie.waitFor((f) => f.type === 'hello')).data).toMatchObject({
      sessionId: session.id,
    });
    await viaCookie.close();
    const viaHeader = await WsClient.open(server, `/ws/${project.id}`, {
      authorization: `Bearer ${alice.token}`,
    });
    await viaHeader.waitFor((f) => f.type === 'hello');
    await viaHeader.close();

    // A session of another project, or of another user, is not this socket's to bind.
    for (const sessionId of [otherSession.id, 'ses_missing']) {
      const outcome = await wsAttempt(server, `/ws/${project.id}?${tokenQuery(alice)}&session=${sessionId}`);
      expect(outcome).toMatchObject({ kind: 'closed', code: 4404, frames: [] });
    }
    const bobs = await createProject(bob, 'Bob’s');
    const bobSession = await createSession(bob, bobs.id);
    const stolen = await wsAttempt(server, `/ws/${project.id}?${tokenQuery(alice)}&session=${bobSession.id}`);
    expect(stolen).toMatchObject({ kind: 'closed', code: 4404 });
  });

  it('keeps running for a consumer that stops reading, then delivers everything once it reads again', async () => {
    const session = await createSession(alice, project.id);
    // Thousands of 4 kB deltas: far more than the socket buffers and the live buffer hold.
    const chunk = 4_000;
    const text = Array.from(
      { length: 3_000 },
      (_, i) => `${String(i).padStart(6, '0')}${'.'.repeat(chunk - 6)}`,
    ).join('');
    const model = await writeScript(server.dataDir, [{ text, chunkSize: chunk }]);

    const client = await connect(alice, session.id);
    await client.request('r', 'resume', { since: 0 });
    client.socket.pause();
    const posted = await api(alice, 'POST', `/api/sessions/${session.id}/messages`, { text: 'go', model });
    expect(posted.status).toBe(202);

    // The run finishes and is saved while the client reads nothing.
    await server.server.context.runs.settled(session.id);
    const log = await eventLog(server, session.id);
    expect(eventOf(log, 'run_finished').data.status).toBe('completed');
    expect(log.filter((e) => e.type === 'text_delta')).toHaveLength(3_000);
    expect(client.envelopes.length).toBeLessThan(log.length);

    client.socket.resume();
    const received = await client.waitForEvents((events) => events.length >= log.length);
    expect(seqs(received)).toEqual(oneTo(log.length));
    expect(received).toEqual(log);
    await client.close();
  });
});

describe.each(backendNames)('WebSocket run-start limit on %s', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(backend, { overrides: { limits: { runStartsPerMinute: 1 } } });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('answers a send over the limit with a rate_limited error frame', async () => {
    const user = await signUp(server, 'carol');
    const project = await createProject(user, 'Limited');
    const session = await createSession(user, project.id);
    const model = await writeScript(server.dataDir, [{ text: 'One.' }]);
    const client = await WsClient.open(server, `/ws/${project.id}?${tokenQuery(user)}&session=${session.id}`);
    expect(await client.request('1', 'send', { text: 'first', model })).toMatchObject({ type: 'ack' });
    await waitForIdle(user, session.id);
    expect(await client.request('2', 'send', { text: 'second', model })).toMatchObject({
      type: 'error',
      id: '2',
      data: { code: 'rate_limited' },
    });
    await client.close();
  });
});
