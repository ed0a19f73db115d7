import type { EventEnvelope } from '@aura/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createProject,
  createSession,
  eventLog,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  until,
} from './helpers.ts';
import {
  enterPreview,
  hostRequest,
  type PreviewBody,
  previewSocket,
  putFile,
  writeFixture,
} from './preview-fixture.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  server = await startTestServer('sqlite');
  alice = await signUp(server, 'alice');
  bob = await signUp(server, 'bob');
});

afterAll(async () => {
  await server?.close();
});

async function startPreview(user: TestUser, projectId: string, body: unknown = {}) {
  const response = await api<PreviewBody>(user, 'POST', `/api/projects/${projectId}/preview`, body);
  if (response.status !== 200) throw new Error(`start preview: ${response.status} ${response.text}`);
  return response.body;
}

/** A project with the fixture dev server running, a session, and a browser-like way in. */
async function runningFixture(user: TestUser, name: string) {
  const project = await createProject(user, name);
  const session = await createSession(user, project.id);
  await writeFixture(user, project.id);
  const preview = await startPreview(user, project.id);
  const entered = await enterPreview(server, preview.url);
  return { project, session, preview, ...entered };
}

const eventsOf = async (sessionId: string, type: string) =>
  (await eventLog(server, sessionId)).filter((e: EventEnvelope) => e.type === type);

describe('preview routes', () => {
  it('POST starts the dev server: running, a private URL on the project origin, server_started', async () => {
    const project = await createProject(alice, 'fixture app');
    const session = await createSession(alice, project.id);
    await writeFixture(alice, project.id);
    const started = await startPreview(alice, project.id);
    expect(started.status).toBe('running');
    const url = new URL(started.url);
    expect(url.hostname).toBe(`p-${project.id.replace('_', '-')}.aura.localhost`);
    expect(url.port).toBe(new URL(server.url).port);
    expect(url.searchParams.get('aura_preview_token')).toMatch(/^[\w-]+\.[\w-]+$/);

    const read = await api<PreviewBody>(alice, 'GET', `/api/projects/${project.id}/preview`);
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('running');
    expect(read.body.logs).toContain('fixture listening on');
    expect(read.body.readyAt).toBeGreaterThanOrEqual(read.body.startedAt!);

    const [event] = await until(
      'server_started',
      () => eventsOf(session.id, 'server_started'),
      (events) => events.length === 1,
    );
    // The event log holds the clean origin, never a token.
    expect(event?.data).toEqual({ url: `${url.protocol}//${url.host}` });
  });

  it('restarts on a second POST and stops on DELETE', async () => {
    const { project, host, cookie, preview } = await runningFixture(alice, 'restartable');
    const again = await startPreview(alice, project.id);
    expect(again.status).toBe('running');
    expect(again.startedAt).toBeGreaterThanOrEqual(preview.startedAt!);
    expect((await hostRequest(server, host, '/', { headers: { cookie } })).status).toBe(200);

    const stopped = await api<PreviewBody>(alice, 'DELETE', `/api/projects/${project.id}/preview`);
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe('stopped');
    const after = await hostRequest(server, host, '/', { headers: { cookie } });
    expect(after.status).toBe(503);
    expect(after.body).toContain('not running');
    const read = await api<PreviewBody>(alice, 'GET', `/api/projects/${project.id}/preview`);
    expect(read.body.status).toBe('stopped');
  });

  it('runs the install first when node_modules is missing, and only then', async () => {
    const project = await createProject(alice, 'needs install');
    await writeFixture(alice, project.id, {
      install: 'echo installing deps; echo run >> installs.txt; mkdir -p node_modules',
      dev: 'node server.mjs',
    });
    const first = await startPreview(alice, project.id);
    expect(first.status).toBe('running');
    expect(first.logs).toContain('installing deps');
    await startPreview(alice, project.id);
    const installs = await api(alice, 'GET', `/api/projects/${project.id}/files/installs.txt`);
    expect(installs.text).toContain('run');
    expect(installs.text.match(/run/g)).toHaveLength(1);
  });

  it('reports a dev server that crashes: status crashed, logs, a preview_error', async () => {
    const project = await createProject(alice, 'crashy');
    const session = await createSession(alice, project.id);
    await putFile(
      alice,
      project.id,
      'aura.json',
      JSON.stringify({ dev: 'echo "Error: cannot find module x" >&2; exit 1' }),
    );
    const started = await startPreview(alice, project.id);
    expect(started.status).toBe('crashed');
    expect(started.exitCode).toBe(1);
    expect(started.logs).toContain('cannot find module x');
    const [event] = await until(
      'a preview_error',
      () => eventsOf(session.id, 'preview_error'),
      (events) => events.length === 1,
    );
    expect(event?.data).toMatchObject({ kind: 'error', message: 'The dev server exited with code 1.' });
    expect(JSON.stringify(event?.data)).toContain('cannot find module x');
  });

  it('a failed install or a missing aura.json is reported as failed', async () => {
    const none = await createProject(alice, 'no aura.json');
    const missing = await startPreview(alice, none.id);
    expect(missing.status).toBe('failed');
    expect(missing.error).toMatch(/no aura\.json/);

    const broken = await createProject(alice, 'broken install');
    await writeFixture(alice, broken.id, {
      install: 'echo "npm ERR! 404" >&2; exit 7',
      dev: 'node server.mjs',
    });
    const failed = await startPreview(alice, broken.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('exited with code 7');
    expect(failed.logs).toContain('npm ERR! 404');
  });

  it('validates the body and binds events to a given session of the project only', async () => {
    const project = await createProject(alice, 'bodies');
    const bad = await api(alice, 'POST', `/api/projects/${project.id}/preview`, { wait: 'yes' });
    expect(bad.status).toBe(400);
    const other = await createProject(alice, 'other');
    const otherSession = await createSession(alice, other.id);
    const foreign = await api(alice, 'POST', `/api/projects/${project.id}/preview`, {
      session: otherSession.id,
    });
    expect(foreign.status).toBe(404);
  });

  it('another user gets 404 on every preview route', async () => {
    const project = await createProject(alice, 'private');
    for (const method of ['POST', 'GET', 'DELETE']) {
      const response = await api(bob, method, `/api/projects/${project.id}/preview`);
      expect(response.status, method).toBe(404);
    }
  });

  it('cookie-authenticated starts from a preview origin are refused (CSRF)', async () => {
    const { project, preview } = await runningFixture(alice, 'csrf');
    const origin = new URL(preview.url).origin;
    const response = await api(
      alice,
      'POST',
      `/api/projects/${project.id}/preview`,
      {},
      { via: 'cookie', origin },
    );
    expect(response.status).toBe(403);
  });
});

describe('preview proxy', () => {
  it('exchanges the link token for a host-only preview cookie and serves the app with the reporter', async () => {
    const { preview } = await runningFixture(alice, 'proxied');
    const url = new URL(preview.url);
    const exchange = await hostRequest(server, url.host, `/${url.search}`);
    expect(exchange.status).toBe(302);
    expect(exchange.headers.location).toBe('/');
    const setCookie = String(exchange.headers['set-cookie']);
    expect(setCookie).toMatch(/^aura_preview=[\w-]+\.[\w-]+; Path=\/; HttpOnly; Max-Age=\d+; SameSite=Lax$/);
    expect(setCookie).not.toMatch(/domain=/i);

    const cookie = setCookie.split(';')[0]!;
    const page = await hostRequest(server, url.host, '/', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('hello from the fixture');
    expect(page.body).toContain('<head><script src="/__aura/preview.js"></script><title>fixture</title>');
    expect(Number(page.headers['content-length'])).toBe(Buffer.byteLength(page.body));

    const script = await hostRequest(server, url.host, '/__aura/preview.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.body).toContain('/__aura/errors');
  });

  it('refuses requests without a token (401), with a bad or foreign one (401/403)', async () => {
    const a = await runningFixture(alice, 'gated a');
    const b = await runningFixture(alice, 'gated b');
    const carol = await signUp(server, 'carol');
    const c = await runningFixture(carol, 'gated c');

    const bare = await hostRequest(server, a.host, '/');
    expect(bare.status).toBe(401);
    expect(bare.headers['content-type']).toContain('text/html');
    expect(bare.body).toContain('private');

    const tampered = new URL(a.preview.url);
    tampered.searchParams.set('aura_preview_token', `${tampered.searchParams.get('aura_preview_token')}x`);
    expect((await hostRequest(server, a.host, `/${tampered.search}`)).status).toBe(401);
    expect((await hostRequest(server, a.host, '/', { headers: { cookie: `${a.cookie}x` } })).status).toBe(
      401,
    );

    // Project b's link and cookie on project a's host; carol's on alice's.
    const foreignLink = new URL(b.preview.url);
    expect((await hostRequest(server, a.host, `/${foreignLink.search}`)).status).toBe(403);
    expect((await hostRequest(server, a.host, '/', { headers: { cookie: b.cookie } })).status).toBe(403);
    expect((await hostRequest(server, a.host, '/', { headers: { cookie: c.cookie } })).status).toBe(403);
    // A link token is not a cookie token, and the other way round.
    const linkToken = new URL(a.preview.url).searchParams.get('aura_preview_token');
    expect(
      (await hostRequest(server, a.host, '/', { headers: { cookie: `aura_preview=${linkToken}` } })).status,
    ).toBe(401);
    const cookieToken = a.cookie.split('=')[1]!;
    expect((await hostRequest(server, a.host, `/?aura_preview_token=${cookieToken}`)).status).toBe(401);
  });

  it("never forwards the IDE's cookies (or the preview cookie) to the app", async () => {
    const { host, cookie } = await runningFixture(alice, 'cookies');
    const seen = await hostRequest(server, host, '/headers', {
      headers: { cookie: `${alice.cookie}; theme=dark; ${cookie}; __Secure-aura.session_token=x` },
    });
    expect(seen.status).toBe(200);
    const headers = JSON.parse(seen.body) as Record<string, string>;
    expect(headers.cookie).toBe('theme=dark');
    expect(alice.cookie).toContain('aura.session_token=');
    expect(headers['accept-encoding']).toBe('identity');
    expect(headers.host).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('sends /api/* on a preview host to the app, never to the Aura API', async () => {
    const { host, cookie } = await runningFixture(alice, 'no api');
    const withToken = await hostRequest(server, host, '/api/projects', {
      headers: { cookie, authorization: `Bearer ${alice.token}` },
    });
    expect(withToken.status).toBe(200);
    expect(JSON.parse(withToken.body)).toEqual({ fixture: true, path: '/api/projects' });
    const unauthenticated = await hostRequest(server, host, '/api/projects', {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers['content-type']).toContain('text/html');
    const bogus = await hostRequest(server, 'p-nonsense.aura.localhost', '/api/projects', {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(bogus.status).toBe(404);
    expect(bogus.body).toContain('names no Aura project');
  });

  it('asks the upstream for identity encoding so compressed pages get the reporter; proxies bodies and redirects', async () => {
    const { host, cookie, preview } = await runningFixture(alice, 'plumbing');
    const gz = await hostRequest(server, host, '/gzip', {
      headers: { cookie, 'accept-encoding': 'gzip, br' },
    });
    expect(gz.headers['content-encoding']).toBeUndefined();
    expect(gz.body).toContain('/__aura/preview.js');

    const echoed = await hostRequest(server, host, '/echo', {
      method: 'POST',
      headers: { cookie, 'content-type': 'text/plain' },
      body: 'x'.repeat(100_000),
    });
    expect(JSON.parse(echoed.body)).toEqual({ method: 'POST', body: 'x'.repeat(100_000) });

    const redirect = await hostRequest(server, host, '/redirect', { headers: { cookie } });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toBe(`${new URL(preview.url).origin}/headers`);
  });

  it('refuses cross-site subresource requests but allows navigations (fetch metadata)', async () => {
    const { host, cookie } = await runningFixture(alice, 'fetch metadata');
    const crossSite = await hostRequest(server, host, '/headers', {
      headers: { cookie, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors' },
    });
    expect(crossSite.status).toBe(403);
    const navigation = await hostRequest(server, host, '/', {
      headers: { cookie, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'navigate' },
    });
    expect(navigation.status).toBe(200);
    const sameOrigin = await hostRequest(server, host, '/headers', {
      headers: { cookie, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' },
    });
    expect(sameOrigin.status).toBe(200);
  });

  it('proxies WebSockets (HMR) with the cookie, without Aura cookies, and only from its own origin', async () => {
    const { host, cookie } = await runningFixture(alice, 'sockets');
    const opened = await previewSocket(
      server,
      host,
      { cookie: `${cookie}; theme=dark; ${alice.cookie}` },
      'ping',
      2,
    );
    expect(opened).toEqual({ kind: 'open', messages: ['hello cookie=theme=dark', 'echo:ping'] });
    const sameOrigin = await previewSocket(server, host, { cookie, origin: `http://${host}` }, 'hi', 2);
    expect(sameOrigin.kind).toBe('open');

    expect(await previewSocket(server, host, {}, 'x', 1)).toEqual({ kind: 'rejected', status: 401 });
    expect(await previewSocket(server, host, { cookie, origin: 'http://evil.localhost:1' }, 'x', 1)).toEqual({
      kind: 'rejected',
      status: 403,
    });
    // Another project's preview cookie opens nothing here.
    const other = await runningFixture(alice, 'other socket');
    expect(await previewSocket(server, host, { cookie: other.cookie }, 'x', 1)).toEqual({
      kind: 'rejected',
      status: 403,
    });
  });

  it('turns error reports from the page into preview_error events (capped, deduplicated)', async () => {
    const { host, cookie, session } = await runningFixture(alice, 'reports');
    const origin = `http://${host}`;
    const report = (body: string, headers: Record<string, string> = { cookie, origin }) =>
      hostRequest(server, host, '/__aura/errors', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const error = {
      kind: 'error',
      message: 'TypeError: x is undefined',
      stack: 'at App (App.tsx:3:1)',
      url: 'http://p/',
    };
    expect((await report(JSON.stringify(error))).status).toBe(204);
    expect((await report(JSON.stringify(error))).status).toBe(204);
    expect((await report(JSON.stringify({ kind: 'console', message: 'm'.repeat(5_000) }))).status).toBe(204);
    expect((await report('{"kind":"weird","message":"x"}')).status).toBe(400);
    expect((await report(JSON.stringify({ kind: 'error', message: 'x'.repeat(20_000) }))).status).toBe(413);
    expect((await report(JSON.stringify(error), { cookie })).status).toBe(403);
    expect(
      (await report(JSON.stringify(error), { cookie, origin: 'http://p-prj-other.localhost:1' })).status,
    ).toBe(403);
    expect((await report(JSON.stringify(error), { origin })).status).toBe(401);

    const events = await until(
      'two preview_error events',
      () => eventsOf(session.id, 'preview_error'),
      (list) => list.length >= 2,
    );
    expect(events.map((e) => e.data)).toEqual([error, { kind: 'console', message: 'm'.repeat(2_000) }]);
  });
});

describe('public previews', () => {
  let open: TestServer;
  let owner: TestUser;

  beforeAll(async () => {
    open = await startTestServer('sqlite', {
      overrides: { preview: { domain: 'preview.test', public: true } },
    });
    owner = await signUp(open, 'owner');
  });

  afterAll(async () => {
    await open?.close();
  });

  it('AURA_PREVIEW_PUBLIC serves the app without a token, on the configured domain', async () => {
    const project = await createProject(owner, 'public app');
    await writeFixture(owner, project.id);
    const response = await api<PreviewBody>(owner, 'POST', `/api/projects/${project.id}/preview`);
    expect(response.body.status).toBe('running');
    const url = new URL(response.body.url);
    expect(url.hostname).toBe(`p-${project.id.replace('_', '-')}.preview.test`);
    expect(url.search).toBe('');
    const page = await hostRequest(open, url.host, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('/__aura/preview.js');
    // The IDE's cookies are still stripped.
    const headers = await hostRequest(open, url.host, '/headers', { headers: { cookie: owner.cookie } });
    expect(JSON.parse(headers.body).cookie).toBeUndefined();
  });
});
