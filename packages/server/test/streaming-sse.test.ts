import type { EventEnvelope } from '@aura/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  backendNames,
  createProject,
  createSession,
  eventLog,
  type ProjectBody,
  runTurn,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  writeScript,
} from './helpers.ts';
import { endsTurn, SseClient } from './streaming-clients.ts';

const bearer = (user: TestUser) => ({ authorization: `Bearer ${user.token}` });
const seqs = (events: EventEnvelope[]) => events.map((e) => e.seq);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe.each(backendNames)('SSE event stream on %s', (backend) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let project: ProjectBody;
  /** A turn that streams text, then waits for permission to run a command, then answers. */
  let askingModel: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    [alice, bob] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob')]);
    project = await createProject(alice, 'Streaming');
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

  it('replays the whole log, one SSE event per envelope with id = seq and event = type', async () => {
    const session = await createSession(alice, project.id);
    const model = await writeScript(server.dataDir, [
      {
        text: 'Writing it.',
        chunkSize: 2,
        tools: [{ name: 'write', input: { path: 'a.txt', content: 'x' } }],
      },
      { text: 'Done.' },
    ]);
    await runTurn(alice, session.id, 'Write a.txt', model);
    const log = await eventLog(server, session.id);

    const client = await SseClient.open(server, `/api/sessions/${session.id}/events`, bearer(alice));
    expect(client.response.status).toBe(200);
    expect(client.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const received = await client.readUntil((events) => events.length === log.length);
    client.close();

    expect(received).toEqual(log);
    expect(seqs(received)).toEqual(oneTo(log.length));
    expect(endsTurn(received)).toBe(true);
    for (const message of client.messages) {
      const envelope = JSON.parse(message.data) as EventEnvelope;
      expect(message.id).toBe(String(envelope.seq));
      expect(message.event).toBe(envelope.type);
    }
  });

  it('resumes mid-run with Last-Event-ID and with ?since: every event exactly once, in order', async () => {
    const session = await createSession(alice, project.id);
    const posted = await api(alice, 'POST', `/api/sessions/${session.id}/messages`, {
      text: 'Check the toolchain',
      model: askingModel,
    });
    expect(posted.status).toBe(202);
    const path = `/api/sessions/${session.id}/events`;

    // 1. From the start, hanging up in the middle of the streamed text.
    const first = await SseClient.open(server, `${path}?since=0`, bearer(alice));
    await first.readUntil((events) => events.some((e) => e.type === 'text_delta'));
    first.close();
    const afterFirst = first.received.at(-1)!.seq;

    // 2. Reconnect as EventSource does (Last-Event-ID, the URL still saying since=0); hang up while
    //    the run waits for permission.
    const second = await SseClient.open(server, `${path}?since=0`, {
      ...bearer(alice),
      'last-event-id': String(afterFirst),
    });
    await second.readUntil((events) => events.some((e) => e.type === 'permission_request'));
    second.close();
    const afterSecond = second.received.at(-1)!.seq;
    const request = second.received.find((e) => e.type === 'permission_request');
    if (request?.type !== 'permission_request') throw new Error('no permission request');

    // The run goes on without any client connected.
    const replied = await api(
      alice,
      'POST',
      `/api/sessions/${session.id}/permissions/${request.data.requestId}`,
      {
        reply: 'once',
      },
    );
    expect(replied.status).toBe(200);

    // 3. Reconnect with ?since through the end of the turn.
    const third = await SseClient.open(server, `${path}?since=${afterSecond}`, bearer(alice));
    await third.readUntil(endsTurn);
    third.close();

    const all = [...first.received, ...second.received, ...third.received];
    expect(second.received[0]?.seq).toBe(afterFirst + 1);
    expect(third.received[0]?.seq).toBe(afterSecond + 1);
    expect(seqs(all)).toEqual(oneTo(all.length));
    expect(all).toEqual(await eventLog(server, session.id));
    const finished = all.find((e) => e.type === 'run_finished');
    expect(finished?.type === 'run_finished' && finished.data.status).toBe('completed');
    const result = all.find((e) => e.type === 'tool_result');
    expect(result?.type === 'tool_result' && result.data.ok).toBe(true);
  });

  it('continues live from the end of the log when ?since is the last seq', async () => {
    const session = await createSession(alice, project.id);
    const model = await writeScript(server.dataDir, [{ text: 'One.' }]);
    await runTurn(alice, session.id, 'first', model);
    const before = (await eventLog(server, session.id)).length;

    const client = await SseClient.open(
      server,
      `/api/sessions/${session.id}/events?since=${before}`,
      bearer(alice),
    );
    const again = await writeScript(server.dataDir, [{ text: 'Two.', chunkSize: 1 }]);
    const posted = await api(alice, 'POST', `/api/sessions/${session.id}/messages`, {
      text: 'second',
      model: again,
    });
    expect(posted.status).toBe(202);
    const received = await client.readUntil(endsTurn);
    client.close();

    expect(received[0]?.seq).toBe(before + 1);
    expect(received).toEqual((await eventLog(server, session.id)).slice(before));
  });

  it('answers bad requests with JSON errors and another user with 404', async () => {
    const session = await createSession(alice, project.id);
    const path = `/api/sessions/${session.id}/events`;

    const anonymous = await api(server.anonymous, 'GET', path);
    expect(anonymous.status).toBe(401);

    const foreign = await api(bob, 'GET', path);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });

    const missing = await api(alice, 'GET', '/api/sessions/ses_doesnotexist/events');
    expect(missing.status).toBe(404);

    const badHeader = await api(alice, 'GET', path, undefined, { headers: { 'last-event-id': 'abc' } });
    expect(badHeader.status).toBe(400);
    expect(badHeader.body).toMatchObject({ error: { code: 'invalid_cursor' } });

    const negative = await api(alice, 'GET', `${path}?since=-1`);
    expect(negative.status).toBe(400);

    const pastTheEnd = await api(alice, 'GET', `${path}?since=5`);
    expect(pastTheEnd.status).toBe(400);
    expect(pastTheEnd.body).toMatchObject({ error: { code: 'invalid_cursor' } });

    const viaCookie = await SseClient.open(server, path, { cookie: alice.cookie });
    expect(viaCookie.response.status).toBe(200);
    viaCookie.close();
  });
});
