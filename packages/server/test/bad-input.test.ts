import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiResponse,
  api,
  backendNames,
  createProject,
  createSession,
  type ProjectBody,
  runTurn,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  writeScript,
} from './helpers.ts';

interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

const maxBodyBytes = 64 * 1024;

/** A clear 4xx: JSON `{error: {code, message}}` with a readable message. */
function expectClientError(response: ApiResponse<ErrorBody>, status: number, code?: string) {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/json');
  expect(typeof response.body.error.code).toBe('string');
  expect(response.body.error.message.length).toBeGreaterThan(5);
  if (code) expect(response.body.error.code).toBe(code);
}

describe.each(backendNames)('bad input on %s', (backend) => {
  let server: TestServer;
  let user: TestUser;
  let project: ProjectBody;
  let sessionId: string;
  let saved: unknown;

  /** Everything the user has saved, as the API shows it. */
  async function everything() {
    const read = async (path: string) => (await api(user, 'GET', path, undefined, { via: 'cookie' })).body;
    return {
      projects: await read('/api/projects'),
      tree: await read(`/api/projects/${project.id}/files`),
      file: await read(`/api/projects/${project.id}/files/src/app.ts`),
      sessions: await read(`/api/projects/${project.id}/sessions`),
      session: await read(`/api/sessions/${sessionId}`),
      messages: await read(`/api/sessions/${sessionId}/messages`),
      // lastUsedAt moves whenever the token is used, bad requests included.
      tokens: ((await read('/api/tokens')) as { items: Record<string, unknown>[] }).items.map(
        ({ lastUsedAt: _moving, ...token }) => token,
      ),
      providers: await read('/api/providers'),
    };
  }

  /** JSON routes, each with a valid body to start from. */
  const jsonRoutes = (): [string, string, Record<string, unknown>][] => [
    ['POST', '/api/projects', { name: 'new' }],
    ['PATCH', `/api/projects/${project.id}`, { name: 'renamed' }],
    ['PUT', `/api/projects/${project.id}/files/src/app.ts`, { content: 'changed' }],
    ['POST', `/api/projects/${project.id}/files/move`, { from: 'src/app.ts', to: 'src/moved.ts' }],
    ['POST', `/api/projects/${project.id}/exec`, { command: 'touch made-by-bad-input' }],
    ['POST', `/api/projects/${project.id}/sessions`, { title: 'new' }],
    ['POST', `/api/sessions/${sessionId}/messages`, { text: 'hello' }],
    ['POST', `/api/sessions/${sessionId}/permissions/perm_x`, { reply: 'once' }],
    ['POST', '/api/tokens', { name: 'new' }],
    ['PUT', '/api/providers/openai', { apiKey: 'sk-bad-input-0000' }],
    ['POST', '/api/providers/openai/test', { apiKey: 'sk-bad-input-0000' }],
    ['POST', '/api/agent/stream', { projectId: project.id, messages: [] }],
  ];

  beforeAll(async () => {
    server = await startTestServer(backend, { overrides: { limits: { maxBodyBytes } } });
    user = await signUp(server, 'Bea');
    project = await createProject(user, 'Solid', { description: 'must not change' });
    await api(user, 'PUT', `/api/projects/${project.id}/files/src/app.ts`, { content: 'export {};\n' });
    sessionId = (await createSession(user, project.id, { title: 'Kept' })).id;
    await runTurn(user, sessionId, 'hi', await writeScript(server.dataDir, [{ text: 'Hello.' }]));
    saved = await everything();
  });

  afterAll(async () => {
    await server?.close();
  });

  it('answers malformed JSON with 400 invalid_json on every JSON route', async () => {
    for (const [method, path] of jsonRoutes()) {
      for (const raw of ['{"name": "x"', 'not json', '', '{"a":1}}', '\u0000']) {
        const response = await api<ErrorBody>(user, method, path, undefined, { raw });
        expect(response.status, `${method} ${path} with ${JSON.stringify(raw)}`).toBe(400);
        expectClientError(response, 400, 'invalid_json');
      }
    }
    expect(await everything()).toEqual(saved);
  });

  it('answers wrong types and missing fields with 400 naming the field', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/projects', {}, 'name'],
      ['POST', '/api/projects', { name: 42 }, 'name'],
      ['POST', '/api/projects', { name: '   ' }, 'name'],
      ['POST', '/api/projects', { name: 'x', template: '../../etc' }, 'template'],
      ['POST', '/api/projects', { name: 'x'.repeat(201) }, 'name'],
      ['POST', '/api/projects', [], '(body)'],
      ['POST', '/api/projects', null, '(body)'],
      ['POST', '/api/projects', 'a string', '(body)'],
      ['PATCH', `/api/projects/${project.id}`, {}, '(body)'],
      ['PATCH', `/api/projects/${project.id}`, { name: ['x'] }, 'name'],
      ['PUT', `/api/projects/${project.id}/files/src/app.ts`, { content: 5 }, 'content'],
      [
        'PUT',
        `/api/projects/${project.id}/files/src/app.ts`,
        { content: 'x', encoding: 'latin1' },
        'encoding',
      ],
      ['PUT', `/api/projects/${project.id}/files/src/app.ts`, {}, 'content'],
      ['POST', `/api/projects/${project.id}/files/move`, { from: 'src/app.ts' }, 'to'],
      ['POST', `/api/projects/${project.id}/files/move`, { from: '', to: 'b' }, 'from'],
      ['POST', `/api/projects/${project.id}/exec`, {}, 'command'],
      ['POST', `/api/projects/${project.id}/exec`, { command: 'ls', timeout_ms: 'soon' }, 'timeout_ms'],
      ['POST', `/api/projects/${project.id}/exec`, { command: 'ls', timeout_ms: -1 }, 'timeout_ms'],
      ['POST', `/api/projects/${project.id}/sessions`, { mode: 'yolo' }, 'mode'],
      ['POST', `/api/sessions/${sessionId}/messages`, {}, 'text'],
      ['POST', `/api/sessions/${sessionId}/messages`, { text: '' }, 'text'],
      ['POST', `/api/sessions/${sessionId}/messages`, { text: 'hi', mode: 'yolo' }, 'mode'],
      ['POST', `/api/sessions/${sessionId}/permissions/perm_x`, { reply: 'sure' }, 'reply'],
      ['POST', '/api/tokens', { name: 'x', expiresInDays: 0 }, 'expiresInDays'],
      ['POST', '/api/tokens', {}, 'name'],
      ['PUT', '/api/providers/openai', { baseUrl: 'not a url' }, 'baseUrl'],
      ['POST', '/api/agent/stream', { messages: [] }, 'projectId'],
    ];
    for (const [method, path, body, field] of cases) {
      const response = await api<ErrorBody>(user, method, path, body);
      expect(
        response.status,
        `${method} ${path} ${JSON.stringify(body).slice(0, 80)}: ${response.text}`,
      ).toBe(400);
      expectClientError(response, 400);
      expect(
        response.body.error.issues?.map((i) => i.path),
        `${method} ${path}`,
      ).toContain(field);
    }
    expect(await everything()).toEqual(saved);
  });

  it('refuses NUL characters the same way on both databases (400 / 404, never a 500)', async () => {
    const withNul: [string, string, unknown][] = [
      ['POST', '/api/projects', { name: 'a\u0000b' }],
      ['PATCH', `/api/projects/${project.id}`, { description: 'a\u0000b' }],
      ['POST', `/api/projects/${project.id}/sessions`, { title: 'a\u0000b' }],
      ['POST', `/api/sessions/${sessionId}/messages`, { text: 'a\u0000b' }],
      ['POST', '/api/tokens', { name: 'a\u0000b' }],
      ['PUT', '/api/providers/openai', { apiKey: 'sk-\u0000' }],
      [
        'POST',
        '/api/agent/stream',
        {
          projectId: project.id,
          sessionId,
          messages: [{ id: 'm', role: 'user', parts: [{ type: 'text', text: 'a\u0000b' }] }],
        },
      ],
    ];
    for (const [method, path, body] of withNul) {
      const response = await api<ErrorBody>(user, method, path, body);
      expectClientError(response, 400, 'invalid_body');
    }
    for (const [method, path] of [
      ['GET', '/api/projects/prj%00x'],
      ['DELETE', '/api/projects/prj%00x'],
      ['GET', '/api/projects/prj%00x/files'],
      ['GET', '/api/sessions/ses%00x'],
      ['GET', '/api/sessions/ses%00x/messages'],
      ['GET', '/api/sessions/ses%00x/events'],
      ['DELETE', '/api/sessions/ses%00x'],
      ['DELETE', '/api/tokens/tok%00x'],
    ]) {
      expectClientError(await api<ErrorBody>(user, method!, path!), 404, 'not_found');
    }
    expectClientError(await api<ErrorBody>(user, 'GET', '/api/projects?search=a%00b'), 400, 'invalid_query');
    expectClientError(
      await api<ErrorBody>(user, 'GET', `/api/projects/${project.id}/files/src%00app.ts`),
      400,
      'bad_path',
    );
    expect(await everything()).toEqual(saved);
  });

  it(`refuses bodies over limits.maxBodyBytes (${maxBodyBytes}) with 413, counted or streamed`, async () => {
    const big = 'x'.repeat(maxBodyBytes + 1);
    for (const [method, path, valid] of jsonRoutes()) {
      const body = { ...valid, padding: big };
      expectClientError(await api<ErrorBody>(user, method, path, body), 413, 'body_too_large');
    }
    expectClientError(
      await api<ErrorBody>(user, 'PUT', `/api/projects/${project.id}/files/huge.txt`, { content: big }),
      413,
      'body_too_large',
    );
    const signUpTooBig = await api<ErrorBody>(server.anonymous, 'POST', '/api/auth/sign-up/email', {
      email: 'big@example.test',
      password: 'long enough 123',
      name: big,
    });
    expectClientError(signUpTooBig, 413, 'body_too_large');

    // No Content-Length: the limit is enforced while reading the stream.
    const chunk = new TextEncoder().encode(JSON.stringify({ content: big }));
    const streamed = await fetch(`${server.url}/api/projects/${project.id}/files/streamed.txt`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(chunk);
          controller.close();
        },
      }),
      duplex: 'half',
    });
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as ErrorBody).error.code).toBe('body_too_large');
    expect(await everything()).toEqual(saved);
  });

  it('answers ids that match nothing with a JSON 404', async () => {
    const ids = [
      'prj_00000000000000000000',
      'x'.repeat(3000),
      encodeURIComponent("' or 1=1 --"),
      encodeURIComponent('"; drop table projects; --'),
      encodeURIComponent('💥'),
      '%ff',
      encodeURIComponent(`${project.id} `),
      project.id.toUpperCase(),
    ];
    for (const id of ids) {
      for (const [method, path] of [
        ['GET', `/api/projects/${id}`],
        ['PATCH', `/api/projects/${id}`],
        ['DELETE', `/api/projects/${id}`],
        ['GET', `/api/projects/${id}/files`],
        ['GET', `/api/sessions/${id}`],
        ['GET', `/api/sessions/${id}/state`],
        ['POST', `/api/sessions/${id}/cancel`],
        ['DELETE', `/api/tokens/${id}`],
      ] as const) {
        const response = await api<ErrorBody>(
          user,
          method,
          path,
          method === 'PATCH' ? { name: 'x' } : undefined,
        );
        expectClientError(response, 404, 'not_found');
      }
    }
    // Real ids of the wrong kind.
    expectClientError(await api<ErrorBody>(user, 'GET', `/api/projects/${sessionId}`), 404, 'not_found');
    expectClientError(await api<ErrorBody>(user, 'GET', `/api/sessions/${project.id}`), 404, 'not_found');
    expectClientError(await api<ErrorBody>(user, 'DELETE', `/api/tokens/${project.id}`), 404, 'not_found');
    expect(await everything()).toEqual(saved);
  });

  it('answers bad query strings with 400 invalid_query', async () => {
    for (const path of [
      '/api/projects?limit=0',
      '/api/projects?limit=abc',
      '/api/projects?limit=101',
      '/api/projects?offset=-1',
      '/api/projects?limit=1.5',
      `/api/projects?search=${'s'.repeat(201)}`,
      `/api/projects/${project.id}/sessions?limit=-3`,
      `/api/sessions/${sessionId}/messages?limit=0`,
      `/api/sessions/${sessionId}/messages?before=yesterday`,
    ]) {
      expectClientError(await api<ErrorBody>(user, 'GET', path), 400, 'invalid_query');
    }
    expectClientError(await api<ErrorBody>(user, 'GET', `/api/sessions/${sessionId}/events?since=abc`), 400);
  });

  it('answers unknown routes and methods with a JSON 404', async () => {
    for (const [method, path] of [
      ['GET', '/api/nope'],
      ['PUT', '/api/projects'],
      ['POST', `/api/projects/${project.id}`],
      ['DELETE', '/api/me'],
      // Paths without an extension are the web IDE's client-side routes; a missing file is a 404.
      ['GET', '/nope.js'],
      ['POST', '/api/health'],
      ['GET', '/api/projects/x/y/z'],
    ] as const) {
      const response = await api<ErrorBody>(user, method, path, method === 'GET' ? undefined : {});
      expectClientError(response, 404, 'not_found');
    }
  });

  it('is still up and unchanged after all of it', async () => {
    const health = await api<{ status: string }>(server.anonymous, 'GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    expect(await everything()).toEqual(saved);
    // …and still does real work.
    const made = await api(user, 'POST', '/api/projects', { name: 'after the storm' });
    expect(made.status).toBe(201);
  });
});
