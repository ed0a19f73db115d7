import type { SessionInfo } from '@aura/protocol';
import {
  AbstractChat,
  type ChatState,
  type ChatTransport,
  DefaultChatTransport,
  type UIMessage,
  type UIMessageChunk,
} from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  backendNames,
  createProject,
  createSession,
  eventLog,
  listMessages,
  type Page,
  type ProjectBody,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  waitForIdle,
  writeScript,
} from './helpers.ts';

/** What `useChat` is, minus React: the SDK's own chat state machine over plain arrays. */
class TestChat extends AbstractChat<UIMessage> {
  constructor(init: { id?: string; transport: ChatTransport<UIMessage> }) {
    let messages: UIMessage[] = [];
    const state: ChatState<UIMessage> = {
      status: 'ready',
      error: undefined,
      get messages() {
        return messages;
      },
      set messages(value) {
        messages = value;
      },
      pushMessage: (message) => {
        messages = [...messages, message];
      },
      popMessage: () => {
        messages = messages.slice(0, -1);
      },
      replaceMessage: (index, message) => {
        messages = messages.map((m, i) => (i === index ? message : m));
      },
      snapshot: (thing) => structuredClone(thing),
    };
    super({ ...init, state });
  }
}

describe.each(backendNames)('AI SDK UI message stream on %s', (backend) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let project: ProjectBody;
  let writingModel: string;

  const transportFor = (user: TestUser, body: Record<string, unknown>) =>
    new DefaultChatTransport<UIMessage>({
      api: `${server.url}/api/agent/stream`,
      headers: { authorization: `Bearer ${user.token}` },
      body: { projectId: project.id, ...body },
    });

  const projectSessions = async () =>
    (await api<Page<SessionInfo>>(alice, 'GET', `/api/projects/${project.id}/sessions?limit=100`)).body.items;

  beforeAll(async () => {
    server = await startTestServer(backend);
    [alice, bob] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob')]);
    project = await createProject(alice, 'Chatting');
    writingModel = await writeScript(server.dataDir, [
      {
        text: 'Creating the file.',
        chunkSize: 3,
        tools: [{ name: 'write', input: { path: 'a.txt', content: 'x' } }],
      },
      { text: 'Done.' },
    ]);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('streams a turn that the SDK’s Chat assembles into text and tool parts, and continues the session', async () => {
    const sessionsBefore = (await projectSessions()).length;
    const chat = new TestChat({ transport: transportFor(alice, { model: writingModel }) });
    await chat.sendMessage({ text: 'Create a.txt' });

    expect(chat.error).toBeUndefined();
    expect(chat.status).toBe('ready');
    const assistant = chat.lastMessage;
    expect(assistant?.role).toBe('assistant');
    expect(assistant?.parts).toEqual([
      { type: 'step-start' },
      { type: 'text', text: 'Creating the file.', state: 'done' },
      expect.objectContaining({
        type: 'dynamic-tool',
        toolName: 'write',
        toolCallId: expect.any(String),
        state: 'output-available',
        input: { path: 'a.txt', content: 'x' },
        output: expect.any(String),
      }),
      { type: 'step-start' },
      { type: 'text', text: 'Done.', state: 'done' },
    ]);
    const metadata = assistant?.metadata as {
      sessionId: string;
      runId: string;
      scripted: boolean;
      status: string;
    };
    expect(metadata).toMatchObject({ runId: expect.any(String), scripted: true, status: 'completed' });

    // A new session in the project, announced in the metadata; the UI message is the stored one.
    const sessions = await projectSessions();
    expect(sessions).toHaveLength(sessionsBefore + 1);
    expect(sessions.map((s) => s.id)).toContain(metadata.sessionId);
    const stored = await listMessages(alice, metadata.sessionId);
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(stored[1]?.id).toBe(assistant?.id);

    // The next turn names the session and lands in it.
    const done = await writeScript(server.dataDir, [{ text: 'Still here.' }]);
    await chat.sendMessage(
      { text: 'Anything else?' },
      { body: { sessionId: metadata.sessionId, model: done } },
    );
    expect(chat.error).toBeUndefined();
    expect(chat.lastMessage?.parts).toContainEqual({ type: 'text', text: 'Still here.', state: 'done' });
    expect(await listMessages(alice, metadata.sessionId)).toHaveLength(4);
    expect(await projectSessions()).toHaveLength(sessionsBefore + 1);
  });

  it('uses the chat id as the session when it names one of the user’s sessions', async () => {
    const session = await createSession(alice, project.id);
    const chat = new TestChat({ id: session.id, transport: transportFor(alice, { model: writingModel }) });
    await chat.sendMessage({ text: 'Create a.txt' });
    expect(chat.error).toBeUndefined();
    expect(chat.lastMessage?.metadata).toMatchObject({ sessionId: session.id });
    expect(await listMessages(alice, session.id)).toHaveLength(2);
  });

  it('keeps the run going when the client disconnects, and streams permission requests as data parts', async () => {
    const asking = await writeScript(server.dataDir, [
      { text: 'Checking.', tools: [{ name: 'exec', input: { command: 'echo ready' } }] },
      { text: 'Ready.' },
    ]);
    const abort = new AbortController();
    const stream = await transportFor(alice, { model: asking }).sendMessages({
      chatId: 'chat-disconnect',
      trigger: 'submit-message',
      messageId: undefined,
      messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Check' }] }],
      abortSignal: abort.signal,
    });
    const reader = stream.getReader();
    const chunks: UIMessageChunk[] = [];
    while (!chunks.some((c) => c.type === 'data-permission')) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended before the permission request');
      chunks.push(value);
    }
    abort.abort();
    await reader.cancel().catch(() => {});

    const start = chunks.find((c) => c.type === 'start');
    const sessionId = (start?.type === 'start' ? start.messageMetadata : undefined) as { sessionId: string };
    const permission = chunks.find((c) => c.type === 'data-permission');
    const request = (permission as { data: { requestId: string; tool: string; status: string } }).data;
    expect(request).toMatchObject({ tool: 'exec', status: 'pending' });

    const replied = await api(
      alice,
      'POST',
      `/api/sessions/${sessionId.sessionId}/permissions/${request.requestId}`,
      {
        reply: 'once',
      },
    );
    expect(replied.status).toBe(200);
    await waitForIdle(alice, sessionId.sessionId);
    const finished = (await eventLog(server, sessionId.sessionId)).find((e) => e.type === 'run_finished');
    expect(finished?.type === 'run_finished' && finished.data.status).toBe('completed');
  });

  it('sends the standard headers and refuses bad requests with JSON errors', async () => {
    const message = { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Create a.txt' }] };
    const body = {
      id: 'chat-x',
      messages: [message],
      trigger: 'submit-message',
      projectId: project.id,
      model: writingModel,
    };

    const ok = await api(alice, 'POST', '/api/agent/stream', body);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    expect(ok.headers.get('content-type')).toMatch(/^text\/event-stream/);

    const expectError = async (who: TestUser, payload: unknown, status: number, code: string) => {
      const response = await api(who, 'POST', '/api/agent/stream', payload);
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ error: { code, message: expect.any(String) } });
    };
    const { projectId: _omitted, ...withoutProject } = body;
    await expectError(alice, withoutProject, 400, 'invalid_body');
    await expectError(alice, { ...body, messages: [] }, 400, 'invalid_body');
    await expectError(alice, { ...body, messages: [{ ...message, role: 'assistant' }] }, 400, 'invalid_body');
    await expectError(alice, { ...body, trigger: 'regenerate-message' }, 400, 'unsupported_trigger');
    await expectError(bob, body, 404, 'not_found');
    const bobsProject = await createProject(bob, 'Bob’s');
    const bobsSession = await createSession(bob, bobsProject.id);
    await expectError(alice, { ...body, sessionId: bobsSession.id }, 404, 'not_found');
    const anonymous = await api(server.anonymous, 'POST', '/api/agent/stream', body);
    expect(anonymous.status).toBe(401);
  });
});
