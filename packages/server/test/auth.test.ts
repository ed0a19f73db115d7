import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  backendNames,
  cookieHeader,
  createProject,
  createSession,
  listMessages,
  type Page,
  type ProjectBody,
  runTurn,
  sessionState,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  writeScript,
} from './helpers.ts';

interface ErrorBody {
  error: { code: string; message: string };
}
interface Me {
  id: string;
  email: string | null;
  name: string | null;
  via: 'cookie' | 'token';
}

const ideOrigin = 'https://ide.example.test';

/** A Better Auth route called as the IDE would: JSON with the server's own Origin. */
function authCall(server: TestServer, path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/api/auth/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.origin, ...headers },
    body: JSON.stringify(body),
  });
}

async function projectNames(user: TestUser): Promise<string[]> {
  return (await api<Page<ProjectBody>>(user, 'GET', '/api/projects')).body.items.map((p) => p.name);
}

describe.each(backendNames)('accounts on %s', (backend) => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startTestServer(backend, { overrides: { trustedOrigins: [ideOrigin] } });
    user = await signUp(server, 'Carol');
  });

  afterAll(async () => {
    await server?.close();
  });

  it('signs up with an HttpOnly, SameSite=Lax session cookie', async () => {
    const email = `dora-${backend}@example.test`;
    const response = await authCall(server, 'sign-up/email', {
      email,
      password: 'correct horse 1',
      name: 'Dora',
    });
    expect(response.status).toBe(200);
    const cookies = response.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('aura.session_token='));
    expect(session).toBeDefined();
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=Lax/i);
    expect(session).toMatch(/;\s*Path=\//i);
    const me = await api<Me>({ server, cookie: cookieHeader(response.headers) }, 'GET', '/api/me');
    expect(me.body).toMatchObject({ email, name: 'Dora', via: 'cookie' });

    const again = await authCall(server, 'sign-up/email', {
      email,
      password: 'another pass 2',
      name: 'Dora 2',
    });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
    expect(again.headers.getSetCookie()).toEqual([]);
    const short = await authCall(server, 'sign-up/email', {
      email: `x-${email}`,
      password: 'short',
      name: 'X',
    });
    expect(short.status).toBe(400);
  });

  it('signs in with the right password only, and signing out ends that session', async () => {
    const wrong = await authCall(server, 'sign-in/email', {
      email: user.email,
      password: 'not the password',
    });
    expect(wrong.status).toBe(401);
    expect(
      wrong.headers.getSetCookie().some((c) => c.startsWith('aura.session_token=') && !/Max-Age=0/.test(c)),
    ).toBe(false);
    const unknown = await authCall(server, 'sign-in/email', {
      email: 'nobody@example.test',
      password: user.password,
    });
    expect(unknown.status).toBe(401);

    const right = await authCall(server, 'sign-in/email', { email: user.email, password: user.password });
    expect(right.status).toBe(200);
    const cookie = cookieHeader(right.headers);
    expect(cookie).toContain('aura.session_token=');
    const me = await api<Me>({ server, cookie }, 'GET', '/api/me');
    expect(me.body).toMatchObject({ id: user.id, email: user.email, via: 'cookie' });

    const out = await authCall(server, 'sign-out', {}, { cookie });
    expect(out.status).toBe(200);
    expect((await api({ server, cookie }, 'GET', '/api/me')).status).toBe(401);
    // Only that session ended: the sign-up session and the token still work.
    expect((await api(user, 'GET', '/api/me', undefined, { via: 'cookie' })).status).toBe(200);
    expect((await api(user, 'GET', '/api/me', undefined, { via: 'token' })).status).toBe(200);
  });

  it('tells a token holder who they are', async () => {
    const me = await api<Me>(user, 'GET', '/api/me', undefined, { via: 'token' });
    expect(me.body).toEqual({ id: user.id, email: user.email, name: 'Carol', via: 'token' });
  });

  it('refuses cookie-authenticated writes from a foreign or missing Origin (403), changing nothing', async () => {
    const project = await createProject(user, 'Guarded');
    const before = await projectNames(user);
    const attempts: [string, Record<string, string>][] = [
      ['a foreign Origin', { origin: 'https://evil.example' }],
      ['no Origin at all', {}],
      ['a foreign Referer', { referer: 'https://evil.example/page' }],
      ['a look-alike Origin', { origin: `${server.origin}.evil.example` }],
      ['the null Origin', { origin: 'null' }],
    ];
    for (const [label, headers] of attempts) {
      for (const [method, path, body] of [
        ['POST', '/api/projects', { name: 'csrf' }],
        ['PATCH', `/api/projects/${project.id}`, { name: 'csrf' }],
        ['PUT', `/api/projects/${project.id}/files/csrf.txt`, { content: 'csrf' }],
        ['POST', `/api/projects/${project.id}/exec`, { command: 'touch csrf.txt' }],
        ['POST', '/api/tokens', { name: 'csrf' }],
        ['DELETE', `/api/projects/${project.id}`, undefined],
      ] as const) {
        const response = await api<ErrorBody>(user, method, path, body, {
          via: 'cookie',
          origin: null,
          headers,
        });
        expect(response.status, `${method} ${path} with ${label}`).toBe(403);
        expect(response.body.error.code).toBe('bad_origin');
      }
    }
    expect(await projectNames(user)).toEqual(before);
    const tree = await api<{ entries: unknown[] }>(user, 'GET', `/api/projects/${project.id}/files`);
    expect(tree.body.entries).toEqual([]);
    const tokens = await api<{ items: { name: string }[] }>(user, 'GET', '/api/tokens');
    expect(tokens.body.items.map((t) => t.name)).not.toContain('csrf');

    // Reads need no Origin; the IDE's own origin, a trusted one and a same-origin Referer may write.
    expect((await api(user, 'GET', '/api/projects', undefined, { via: 'cookie', origin: null })).status).toBe(
      200,
    );
    expect(
      (await api(user, 'POST', '/api/projects', { name: 'same origin' }, { via: 'cookie' })).status,
    ).toBe(201);
    const trusted = await api(
      user,
      'POST',
      '/api/projects',
      { name: 'trusted' },
      { via: 'cookie', origin: ideOrigin },
    );
    expect(trusted.status).toBe(201);
    const referer = await api(
      user,
      'POST',
      '/api/projects',
      { name: 'by referer' },
      { via: 'cookie', origin: null, headers: { referer: `${server.origin}/projects` } },
    );
    expect(referer.status).toBe(201);
  });

  it('accepts Bearer tokens without an Origin, since they carry no ambient credentials', async () => {
    const bare = await api<ProjectBody>(
      user,
      'POST',
      '/api/projects',
      { name: 'from the CLI' },
      { origin: null },
    );
    expect(bare.status).toBe(201);
    const foreign = await api(user, 'DELETE', `/api/projects/${bare.body.id}`, undefined, {
      origin: 'https://elsewhere.example',
    });
    expect(foreign.status).toBe(204);
  });

  it('lists tokens without their secrets and refuses a revoked one (401)', async () => {
    const created = await api<{ id: string; token: string; prefix: string; name: string }>(
      user,
      'POST',
      '/api/tokens',
      { name: 'laptop', expiresInDays: 30 },
    );
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^aura_pat_/);
    expect(created.body.token.startsWith(created.body.prefix)).toBe(true);
    const laptop = { server, token: created.body.token };
    expect((await api<Me>(laptop, 'GET', '/api/me')).body).toMatchObject({ id: user.id, via: 'token' });

    const listed = await api<{ items: { id: string; name: string; prefix: string }[] }>(
      user,
      'GET',
      '/api/tokens',
    );
    expect(listed.body.items.map((t) => t.name)).toContain('laptop');
    expect(listed.text).not.toContain(created.body.token);
    expect(listed.text).not.toContain(user.token);

    expect((await api(user, 'DELETE', `/api/tokens/${created.body.id}`)).status).toBe(204);
    const revoked = await api<ErrorBody>(laptop, 'GET', '/api/me');
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('unauthorized');
    expect((await api(laptop, 'POST', '/api/projects', { name: 'revoked' })).status).toBe(401);
    expect((await api(user, 'DELETE', `/api/tokens/${created.body.id}`)).status).toBe(404);
    expect((await api(user, 'GET', '/api/me')).status).toBe(200);
  });

  it('says which sign-in methods are on', async () => {
    const providers = await api(server.anonymous, 'GET', '/api/auth/providers');
    expect(providers.body).toEqual({ emailPassword: true, github: false, google: false });
  });
});

describe.each(backendNames)('GitHub sign-in configured on %s', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(backend, {
      overrides: {
        oauth: { github: { clientId: 'aura-test-client-id', clientSecret: 'aura-test-client-secret' } },
      },
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('offers GitHub and sends the browser to github.com with the client id', async () => {
    const providers = await api(server.anonymous, 'GET', '/api/auth/providers');
    expect(providers.body).toEqual({ emailPassword: true, github: true, google: false });
    const response = await authCall(server, 'sign-in/social', { provider: 'github', callbackURL: '/' });
    expect(response.status).toBe(200);
    const { url } = (await response.json()) as { url: string };
    expect(new URL(url).origin).toBe('https://github.com');
    expect(new URL(url).searchParams.get('client_id')).toBe('aura-test-client-id');
    expect(url).not.toContain('aura-test-client-secret');
  });
});

describe.each(backendNames)('rate limits on %s', (backend) => {
  describe('sign-in attempts', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer(backend, { overrides: { limits: { authAttemptsPerMinute: 3 } } });
    });

    afterAll(async () => {
      await server?.close();
    });

    it('answers 429 with Retry-After once a client address exceeds its attempts', async () => {
      const user = await signUp(server, 'Eve'); // attempt 1
      for (let i = 0; i < 2; i++) {
        const wrong = await authCall(server, 'sign-in/email', { email: user.email, password: `guess ${i}` });
        expect(wrong.status).toBe(401);
      }
      const limited = await authCall(server, 'sign-in/email', { email: user.email, password: user.password });
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      const body = (await limited.json()) as ErrorBody;
      expect(body.error.code).toBe('rate_limited');
      expect(limited.headers.getSetCookie()).toEqual([]);

      const signUpLimited = await authCall(server, 'sign-up/email', {
        email: 'late@example.test',
        password: 'long enough 123',
        name: 'Late',
      });
      expect(signUpLimited.status).toBe(429);
      // The limit guards sign-in only: the signed-in user and everything else carry on.
      expect((await api(user, 'GET', '/api/me')).status).toBe(200);
      expect((await api(server.anonymous, 'GET', '/api/health')).status).toBe(200);
    });
  });

  describe('run starts', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer(backend, { overrides: { limits: { runStartsPerMinute: 2 } } });
    });

    afterAll(async () => {
      await server?.close();
    });

    it("answers 429 with Retry-After past a user's run starts, per user, saving nothing", async () => {
      const fast = await signUp(server, 'Fast');
      const other = await signUp(server, 'Other');
      const project = await createProject(fast, 'Busy');
      const session = await createSession(fast, project.id);
      const model = await writeScript(server.dataDir, [{ text: 'ok' }]);
      await runTurn(fast, session.id, 'one', model);
      await runTurn(fast, session.id, 'two', model);

      const limited = await api<ErrorBody>(fast, 'POST', `/api/sessions/${session.id}/messages`, {
        text: 'three',
        model,
      });
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('rate_limited');
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect((await listMessages(fast, session.id)).length).toBe(4);
      expect(await sessionState(fast, session.id)).toMatchObject({ state: 'IDLE', running: false });

      const otherProject = await createProject(other, 'Calm');
      const otherSession = await createSession(other, otherProject.id);
      await runTurn(other, otherSession.id, 'mine', model);
      expect((await listMessages(other, otherSession.id)).length).toBe(2);
    });
  });
});
