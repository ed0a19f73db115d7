import type { Message } from '@aura/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeDocs } from '../src/openapi.ts';
import {
  type ApiOptions,
  api,
  backendNames,
  createProject,
  createSession,
  eventLog,
  type Page,
  type ProjectBody,
  runTurn,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  until,
  waitForIdle,
  writeScript,
  wsAttempt,
} from './helpers.ts';

/** What one user can see of everything they own, through the API. */
async function snapshot(user: TestUser, projectId: string, sessionIds: string[]) {
  const read = async (path: string) => {
    // The cookie, so the user's own token keeps its lastUsedAt.
    const response = await api(user, 'GET', path, undefined, { via: 'cookie' });
    return { status: response.status, body: response.body };
  };
  return {
    projects: await read('/api/projects'),
    project: await read(`/api/projects/${projectId}`),
    tree: await read(`/api/projects/${projectId}/files`),
    file: await read(`/api/projects/${projectId}/files/notes/plan.md`),
    sessions: await read(`/api/projects/${projectId}/sessions`),
    perSession: await Promise.all(
      sessionIds.map(async (id) => ({
        session: await read(`/api/sessions/${id}`),
        state: await read(`/api/sessions/${id}/state`),
        messages: await read(`/api/sessions/${id}/messages`),
      })),
    ),
    tokens: await read('/api/tokens'),
    providers: await read('/api/providers'),
  };
}

/** What the AI SDK's DefaultChatTransport posts, plus Aura's fields. */
function chatBody(extra: Record<string, unknown>) {
  return {
    messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'hijack' }] }],
    trigger: 'submit-message',
    ...extra,
  };
}

interface Probe {
  method: string;
  path: string;
  body?: unknown;
}

describe.each(backendNames)('two users on %s', (backend) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let project: ProjectBody;
  let idleSessionId: string;
  let waitingSessionId: string;
  let requestId: string;
  let bobsProject: ProjectBody;

  beforeAll(async () => {
    server = await startTestServer(backend);
    alice = await signUp(server, 'Alice');
    bob = await signUp(server, 'Bob');

    project = await createProject(alice, 'Alice secret project', { description: 'alpha launch plans' });
    const put = await api(alice, 'PUT', `/api/projects/${project.id}/files/notes/plan.md`, {
      content: 'launch on friday\n',
    });
    expect(put.status).toBe(200);
    expect(
      (await api(alice, 'PUT', '/api/providers/anthropic', { apiKey: 'sk-ant-alice-0000-1234' })).status,
    ).toBe(200);

    // One finished conversation, and one run waiting for Alice to approve a command.
    idleSessionId = (await createSession(alice, project.id, { title: 'Finished chat' })).id;
    await runTurn(
      alice,
      idleSessionId,
      'Say hello',
      await writeScript(server.dataDir, [{ text: 'Hello Alice.' }]),
    );
    waitingSessionId = (await createSession(alice, project.id, { title: 'Waiting chat' })).id;
    const waitingModel = await writeScript(server.dataDir, [
      { text: 'Running it.', tools: [{ name: 'exec', input: { command: 'echo approved > approved.txt' } }] },
      { text: 'Done.' },
    ]);
    const posted = await api(alice, 'POST', `/api/sessions/${waitingSessionId}/messages`, {
      text: 'Run the command',
      model: waitingModel,
    });
    expect(posted.status).toBe(202);
    const events = await until(
      'the exec permission request to be saved',
      () => eventLog(server, waitingSessionId),
      (log) => log.at(-1)?.type === 'state_change' && log.some((e) => e.type === 'permission_request'),
    );
    const request = events.find((e) => e.type === 'permission_request');
    if (request?.type !== 'permission_request') throw new Error('no permission request');
    requestId = request.data.requestId;

    bobsProject = await createProject(bob, 'Bob project');
    await createSession(bob, bobsProject.id);
  });

  afterAll(async () => {
    await server?.close();
  });

  /** Every documented route with a path parameter, aimed at Alice's things. */
  function probesFor(): Map<string, Probe> {
    const p = `/api/projects/${project.id}`;
    const s = `/api/sessions/${waitingSessionId}`;
    const probes: [string, Probe][] = [
      ['delete /api/tokens/{id}', { method: 'DELETE', path: `/api/tokens/${alice.tokenId}` }],
      ['get /api/projects/{id}', { method: 'GET', path: p }],
      ['patch /api/projects/{id}', { method: 'PATCH', path: p, body: { name: 'pwned' } }],
      ['delete /api/projects/{id}', { method: 'DELETE', path: p }],
      ['get /api/projects/{id}/files', { method: 'GET', path: `${p}/files` }],
      ['get /api/projects/{id}/files/{path}', { method: 'GET', path: `${p}/files/notes/plan.md` }],
      [
        'put /api/projects/{id}/files/{path}',
        { method: 'PUT', path: `${p}/files/notes/plan.md`, body: { content: 'pwned' } },
      ],
      ['delete /api/projects/{id}/files/{path}', { method: 'DELETE', path: `${p}/files/notes/plan.md` }],
      ['post /api/projects/{id}/folders', { method: 'POST', path: `${p}/folders`, body: { path: 'stolen' } }],
      [
        'post /api/projects/{id}/files/move',
        { method: 'POST', path: `${p}/files/move`, body: { from: 'notes/plan.md', to: 'stolen.md' } },
      ],
      [
        'post /api/projects/{id}/exec',
        { method: 'POST', path: `${p}/exec`, body: { command: 'touch pwned.txt' } },
      ],
      ['post /api/projects/{id}/preview', { method: 'POST', path: `${p}/preview`, body: {} }],
      ['get /api/projects/{id}/preview', { method: 'GET', path: `${p}/preview` }],
      ['delete /api/projects/{id}/preview', { method: 'DELETE', path: `${p}/preview` }],
      ['get /api/projects/{id}/checkpoints', { method: 'GET', path: `${p}/checkpoints` }],
      [
        'get /api/projects/{id}/checkpoints/{checkpointId}/diff',
        { method: 'GET', path: `${p}/checkpoints/${'0'.repeat(40)}/diff` },
      ],
      [
        'post /api/projects/{id}/checkpoints/{checkpointId}/restore',
        { method: 'POST', path: `${p}/checkpoints/${'0'.repeat(40)}/restore` },
      ],
      ['get /api/projects/{id}/export', { method: 'GET', path: `${p}/export` }],
      ['get /api/projects/{id}/sessions', { method: 'GET', path: `${p}/sessions` }],
      [
        'post /api/projects/{id}/sessions',
        { method: 'POST', path: `${p}/sessions`, body: { title: 'intruder' } },
      ],
      ['get /api/sessions/{id}', { method: 'GET', path: s }],
      ['patch /api/sessions/{id}', { method: 'PATCH', path: s, body: { model: 'openai/gpt-5' } }],
      ['delete /api/sessions/{id}', { method: 'DELETE', path: s }],
      ['get /api/sessions/{id}/messages', { method: 'GET', path: `${s}/messages` }],
      [
        'post /api/sessions/{id}/messages',
        { method: 'POST', path: `${s}/messages`, body: { text: 'hijack' } },
      ],
      ['post /api/sessions/{id}/cancel', { method: 'POST', path: `${s}/cancel` }],
      ['post /api/sessions/{id}/compact', { method: 'POST', path: `${s}/compact` }],
      ['get /api/sessions/{id}/state', { method: 'GET', path: `${s}/state` }],
      [
        'post /api/sessions/{id}/permissions/{requestId}',
        { method: 'POST', path: `${s}/permissions/${requestId}`, body: { reply: 'once' } },
      ],
      ['get /api/sessions/{id}/events', { method: 'GET', path: `${s}/events` }],
      ['get /api/sessions/{id}/events?since', { method: 'GET', path: `${s}/events?since=0` }],
      [
        'post /api/agent/stream (her project)',
        { method: 'POST', path: '/api/agent/stream', body: chatBody({ projectId: project.id }) },
      ],
      [
        'post /api/agent/stream (her session)',
        {
          method: 'POST',
          path: '/api/agent/stream',
          body: chatBody({ projectId: bobsProject.id, sessionId: waitingSessionId }),
        },
      ],
    ];
    return new Map(probes);
  }

  it("gives the other user 404 (never data, never a change) on every route that takes Alice's ids", async () => {
    const before = await snapshot(alice, project.id, [idleSessionId, waitingSessionId]);
    const probes = probesFor();
    const documented = routeDocs.filter((r) => /\{(id|path|requestId)\}/.test(r.path));
    for (const route of documented) {
      expect(
        probes.has(`${route.method} ${route.path}`),
        `a cross-tenant probe for ${route.method} ${route.path}`,
      ).toBe(true);
    }

    const notFoundBodies = new Set<string>();
    for (const [name, probe] of probes) {
      for (const via of ['token', 'cookie'] as const) {
        const response = await api<{ error: { code: string; message: string } }>(
          bob,
          probe.method,
          probe.path,
          probe.body,
          { via },
        );
        expect(response.status, `${name} as Bob via ${via}: ${response.text}`).toBe(404);
        expect(response.body.error.code).toBe('not_found');
        expect(response.text).not.toContain('launch on friday');
        expect(response.text).not.toContain('Alice');
        notFoundBodies.add(response.body.error.message);
      }
    }
    // A 404 names only the kind of thing, never whose it is.
    expect([...notFoundBodies].sort()).toEqual(
      ['Project not found', 'Session not found', 'Token not found'].sort(),
    );

    const after = await snapshot(alice, project.id, [idleSessionId, waitingSessionId]);
    expect(after).toEqual(before);
    // Alice's run is still waiting for her; Bob's "once" did not approve it.
    expect(after.perSession[1]?.state.body).toMatchObject({ state: 'WAITING_PERMISSION', running: true });
    const tree = await api<{ entries: { path: string }[] }>(
      alice,
      'GET',
      `/api/projects/${project.id}/files`,
    );
    expect(tree.body.entries.map((e) => e.path)).not.toContain('pwned.txt');
    expect(tree.body.entries.map((e) => e.path)).not.toContain('approved.txt');
    expect((await api(alice, 'GET', '/api/me')).status).toBe(200);
  });

  it("refuses Bob a WebSocket on Alice's project and never binds him to her session", async () => {
    const before = await snapshot(alice, project.id, [idleSessionId, waitingSessionId]);
    const viaToken = await wsAttempt(server, `/ws/${project.id}?token=${bob.token}`);
    expect(viaToken).toMatchObject({ kind: 'rejected', status: 404 });
    const viaHeader = await wsAttempt(server, `/ws/${project.id}`, { authorization: `Bearer ${bob.token}` });
    expect(viaHeader).toMatchObject({ kind: 'rejected', status: 404 });
    const viaCookie = await wsAttempt(server, `/ws/${project.id}`, {
      cookie: bob.cookie,
      origin: server.origin,
    });
    expect(viaCookie).toMatchObject({ kind: 'rejected', status: 404 });
    const nobody = await wsAttempt(server, `/ws/${project.id}`);
    expect(nobody).toMatchObject({ kind: 'rejected', status: 401 });

    // His own project, but her session: closed before a single frame about it.
    const hijack = await wsAttempt(
      server,
      `/ws/${bobsProject.id}?session=${waitingSessionId}&token=${bob.token}`,
    );
    expect(hijack).toMatchObject({ kind: 'closed', code: 4404 });
    if (hijack.kind === 'closed') expect(JSON.stringify(hijack.frames)).not.toContain(waitingSessionId);

    expect(await snapshot(alice, project.id, [idleSessionId, waitingSessionId])).toEqual(before);
  });

  it("never lets Bob's chat id (useChat `id`) pick Alice's session", async () => {
    const before = await snapshot(alice, project.id, [idleSessionId, waitingSessionId]);
    const model = await writeScript(server.dataDir, [{ text: 'Bob only.' }]);
    const response = await api(bob, 'POST', '/api/agent/stream', {
      ...chatBody({ projectId: bobsProject.id, id: waitingSessionId, model }),
    });
    expect(response.status).toBe(200);
    const sessions = await api<Page<{ id: string }>>(bob, 'GET', `/api/projects/${bobsProject.id}/sessions`);
    expect(sessions.body.items.map((s) => s.id)).not.toContain(waitingSessionId);
    for (const session of sessions.body.items) await waitForIdle(bob, session.id);
    expect(await snapshot(alice, project.id, [idleSessionId, waitingSessionId])).toEqual(before);
  });

  it("answers Alice's ids exactly as it answers ids that do not exist", async () => {
    const pairs: [string, string][] = [
      [`/api/projects/${project.id}`, '/api/projects/prj_doesnotexist000000000'],
      [`/api/projects/${project.id}/files`, '/api/projects/prj_doesnotexist000000000/files'],
      [`/api/sessions/${idleSessionId}/messages`, '/api/sessions/ses_doesnotexist000000000/messages'],
      [`/api/sessions/${idleSessionId}`, '/api/sessions/ses_doesnotexist000000000'],
    ];
    for (const [alices, missing] of pairs) {
      const a = await api(bob, 'GET', alices);
      const b = await api(bob, 'GET', missing);
      expect({ status: a.status, body: a.body }).toEqual({ status: b.status, body: b.body });
    }
  });

  it("keeps per-user provider keys apart: Bob's changes never reach Alice's key", async () => {
    const bobsView = await api<{ items: { provider: string; key: unknown }[] }>(bob, 'GET', '/api/providers');
    expect(bobsView.body.items.find((i) => i.provider === 'anthropic')?.key).toBeNull();
    expect((await api(bob, 'DELETE', '/api/providers/anthropic')).status).toBe(404);
    expect(
      (await api(bob, 'PUT', '/api/providers/anthropic', { apiKey: 'sk-ant-bob-9999-5678' })).status,
    ).toBe(200);
    expect((await api(bob, 'DELETE', '/api/providers/anthropic')).status).toBe(204);

    const alicesView = await api<{ items: { provider: string; key: { hint: string } | null }[] }>(
      alice,
      'GET',
      '/api/providers',
    );
    expect(alicesView.body.items.find((i) => i.provider === 'anthropic')?.key?.hint).toBe('…1234');
    const stored = await server.server.context.store.getProviderKeyCiphertext(alice.id, 'anthropic');
    expect(stored && server.server.context.secrets.open(stored.ciphertext)).toBe('sk-ant-alice-0000-1234');
  });

  it("lists only the user's own projects and sessions, searches included", async () => {
    const bobs = await api<Page<ProjectBody>>(bob, 'GET', '/api/projects');
    expect(bobs.body.items.map((p) => p.id)).toEqual([bobsProject.id]);
    expect(bobs.body.total).toBe(1);
    for (const search of ['Alice', 'secret', 'alpha', 'project']) {
      const found = await api<Page<ProjectBody>>(bob, 'GET', `/api/projects?search=${search}`);
      expect(found.body.items.map((p) => p.ownerId).every((owner) => owner === bob.id)).toBe(true);
      expect(found.body.items.map((p) => p.id)).not.toContain(project.id);
    }
    const bobsSessions = await api<Page<{ id: string; userId: string }>>(
      bob,
      'GET',
      `/api/projects/${bobsProject.id}/sessions`,
    );
    expect(bobsSessions.body.items.length).toBeGreaterThan(0);
    expect(bobsSessions.body.items.every((s) => s.userId === bob.id)).toBe(true);
    expect(bobsSessions.body.items.map((s) => s.id)).not.toContain(waitingSessionId);
    expect(bobsSessions.body.items.map((s) => s.id)).not.toContain(idleSessionId);

    const alices = await api<Page<ProjectBody>>(alice, 'GET', '/api/projects');
    expect(alices.body.items.map((p) => p.id)).toEqual([project.id]);
    const tokens = await api<{ items: { id: string }[] }>(bob, 'GET', '/api/tokens');
    expect(tokens.body.items.map((t) => t.id)).not.toContain(alice.tokenId);
  });

  it('refuses every non-public route without credentials (401), and with made-up ones', async () => {
    const fill = (path: string) =>
      path
        .replace('{id}', path.startsWith('/api/sessions') ? waitingSessionId : project.id)
        .replace('{path}', 'notes/plan.md')
        .replace('{requestId}', requestId)
        .replace('{provider}', 'anthropic');
    const credentials: [string, ApiOptions][] = [
      ['no credentials', { via: 'none' }],
      ['an unknown token', { via: 'none', headers: { authorization: 'Bearer aura_pat_notarealtoken' } }],
      ['a non-Aura bearer', { via: 'none', headers: { authorization: 'Bearer sk-something' } }],
      ['a forged cookie', { via: 'none', headers: { cookie: 'aura.session_token=forged.value' } }],
    ];
    for (const route of routeDocs.filter((r) => !r.public)) {
      for (const [label, opts] of credentials) {
        const response = await api<{ error: { code: string } }>(
          server.anonymous,
          route.method.toUpperCase(),
          fill(route.path),
          route.method === 'get' || route.method === 'delete' ? undefined : {},
          { ...opts, origin: server.origin },
        );
        expect(response.status, `${route.method} ${route.path} with ${label}`).toBe(401);
        expect(response.body.error.code).toBe('unauthorized');
      }
    }
    const state = await api<{ state: string }>(alice, 'GET', `/api/sessions/${waitingSessionId}/state`);
    expect(state.body.state).toBe('WAITING_PERMISSION');
  });

  it("lets Alice finish her own run after all that (Bob's replies never reached it)", async () => {
    const reply = await api(alice, 'POST', `/api/sessions/${waitingSessionId}/permissions/${requestId}`, {
      reply: 'reject',
    });
    expect(reply.status).toBe(200);
    await waitForIdle(alice, waitingSessionId);
    const messages = await api<Page<Message>>(alice, 'GET', `/api/sessions/${waitingSessionId}/messages`);
    const tool = messages.body.items.at(-1)?.parts.find((part) => part.type === 'tool');
    expect(tool).toMatchObject({ tool: 'exec', state: 'denied' });
    const tree = await api<{ entries: { path: string }[] }>(
      alice,
      'GET',
      `/api/projects/${project.id}/files`,
    );
    expect(tree.body.entries.map((e) => e.path)).not.toContain('approved.txt');
  });
});
