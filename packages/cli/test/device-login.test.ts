import { createHash } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { api, signUp, startTestServer, type TestServer, type TestUser } from '../../server/test/helpers.ts';
import { type DeviceCodeInfo, DeviceLoginError, deviceLogin } from '../src/remote/device-login.ts';

/**
 * deviceLogin against a real Aura server on loopback; the person's approval in the browser is
 * the same REST call the /device page makes, as the signed-up user. Each login waits the
 * server's 5 s poll interval at least once, so the logins run side by side.
 */

const USER_CODE = /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/;
const LOGIN_TIMEOUT = 45_000;

/** The row of a login, found the way the server stores it: by the digest of its user code. */
const byUserCode = (userCode: string) => createHash('sha256').update(userCode.replace('-', '')).digest('hex');

/** A plain HTTP server answering every request with `listener`: a server that is not Aura. */
async function otherServer(listener: RequestListener): Promise<{ url: string; server: Server }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const { server } = await otherServer(() => {});
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The failure a login rejected with (fails the test if it resolved). */
async function failureOf(login: Promise<string>): Promise<DeviceLoginError> {
  const outcome = await login.then(
    () => new Error('the login succeeded'),
    (error: unknown) => error,
  );
  if (!(outcome instanceof DeviceLoginError)) throw outcome;
  return outcome;
}

describe.concurrent('deviceLogin against an Aura server', () => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    user = await signUp(server, 'Terminal');
  });

  afterAll(async () => {
    await server?.close();
  });

  const approve = (userCode: string) => api(user, 'POST', '/api/device/approve', { userCode });
  const deny = (userCode: string) => api(user, 'POST', '/api/device/deny', { userCode });
  const lookup = (userCode: string) =>
    api<{ clientName: string }>(user, 'POST', '/api/device/lookup', { userCode });
  const loginRow = (info: DeviceCodeInfo) =>
    server.server.context.store.kysely
      .updateTable('device_codes')
      .where('user_code_hash', '=', byUserCode(info.userCode));

  it(
    'resolves to an API token of the person who approved, shown the code and the browser address',
    async ({ expect }) => {
      const shown: DeviceCodeInfo[] = [];
      let approval: Promise<unknown> = Promise.resolve();
      const token = await deviceLogin(`${server.url}/`, {
        clientName: 'work laptop',
        onCode(info) {
          shown.push(info);
          approval = approve(info.userCode);
        },
      });
      expect((await approval) as { status: number }).toMatchObject({ status: 200 });
      expect(shown).toHaveLength(1);
      const [info] = shown;
      expect(info?.userCode).toMatch(USER_CODE);
      expect(info?.verificationUri).toBe(`${server.options.baseUrl}/device`);
      expect(info?.verificationUriComplete).toBe(`${server.options.baseUrl}/device?code=${info?.userCode}`);
      expect(info?.expiresIn).toBe(600);

      expect(token).toMatch(/^aura_pat_/);
      const me = await api<{ id: string; via: string }>({ server, token }, 'GET', '/api/me');
      expect(me.body).toEqual(expect.objectContaining({ id: user.id, via: 'token' }));
      const tokens = await api<{ items: { name: string }[] }>(user, 'GET', '/api/tokens');
      expect(tokens.body.items.map((t) => t.name)).toContainEqual(
        expect.stringMatching(/^aura CLI \(work laptop\) — /),
      );
    },
    LOGIN_TIMEOUT,
  );

  it(
    'names itself after this host by default, with terminal control codes removed',
    async ({ expect }) => {
      const names: string[] = [];
      const onCode = (info: DeviceCodeInfo) =>
        void lookup(info.userCode).then(async (found) => {
          names.push(found.body.clientName);
          await approve(info.userCode);
        });
      await deviceLogin(server.url, { onCode });
      await deviceLogin(server.url, { clientName: '\u001b[31mbuild\u0007box\u200f', onCode });
      expect(names).toEqual([hostname(), 'buildbox']);
    },
    LOGIN_TIMEOUT,
  );

  it(
    'keeps polling while the approval is pending, and backs off when told to slow down',
    async ({ expect }) => {
      let polledTooSoon = Promise.resolve();
      const token = await deviceLogin(server.url, {
        onCode(info) {
          // As if a poll had just happened: the client's first poll comes too soon and hears
          // slow_down; only a client that then waits 10 s gets through before the code expires.
          polledTooSoon = loginRow(info)
            .set({ last_polled_at: Date.now() + 10_000 })
            .execute()
            .then(() => undefined);
          setTimeout(() => void approve(info.userCode), 7_000);
        },
      });
      await polledTooSoon;
      expect(token).toMatch(/^aura_pat_/);
    },
    LOGIN_TIMEOUT,
  );

  it(
    'rejects when the person denies the sign-in',
    async ({ expect }) => {
      const error = await failureOf(deviceLogin(server.url, { onCode: (info) => void deny(info.userCode) }));
      expect(error.code).toBe('denied');
      expect(error.message).toMatch(/denied in the browser/);
    },
    LOGIN_TIMEOUT,
  );

  it(
    'rejects when the code expires before anyone approves it',
    async ({ expect }) => {
      const error = await failureOf(
        deviceLogin(server.url, {
          onCode: (info) =>
            void loginRow(info)
              .set({ expires_at: Date.now() - 1 })
              .execute(),
        }),
      );
      expect(error.code).toBe('expired');
      expect(error.message).toMatch(/expired before it was approved/);
    },
    LOGIN_TIMEOUT,
  );

  it('stops at once when aborted, before or while waiting for the approval', async ({ expect }) => {
    const before = new AbortController();
    before.abort();
    const early = await failureOf(deviceLogin(server.url, { onCode: () => {}, signal: before.signal }));
    expect(early.code).toBe('aborted');

    const during = new AbortController();
    const shown: string[] = [];
    const error = await failureOf(
      deviceLogin(server.url, {
        signal: during.signal,
        onCode(info) {
          shown.push(info.userCode);
          during.abort();
        },
      }),
    );
    expect(error.code).toBe('aborted');
    expect(error.message).toBe('The device login was cancelled.');
    expect(shown).toHaveLength(1);
    // The abandoned login is still pending on the server: nobody got a token for it.
    expect((await lookup(shown[0] ?? '')).status).toBe(200);
  });
});

describe.concurrent('deviceLogin against the wrong server', () => {
  it('rejects an address nothing listens on as unreachable', async ({ expect }) => {
    const port = await closedPort();
    const error = await failureOf(deviceLogin(`http://127.0.0.1:${port}`, { onCode: () => {} }));
    expect(error.code).toBe('unreachable');
    expect(error.message).toContain(`Cannot reach the Aura server at http://127.0.0.1:${port}`);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('rejects what is not an http(s) URL before any request', async ({ expect }) => {
    for (const url of ['127.0.0.1:3000', 'ftp://example.test', '']) {
      const error = await failureOf(deviceLogin(url, { onCode: () => {} }));
      expect(error.code, url).toBe('invalid_url');
    }
  });

  it('rejects a web server that is not Aura, and an Aura server without device login', async ({ expect }) => {
    const answers: [string, RequestListener][] = [
      ['an HTML page', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Hi</h1>')],
      ['a 404 page', (_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found')],
      [
        'other JSON',
        (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
      ],
    ];
    for (const [what, listener] of answers) {
      const other = await otherServer(listener);
      try {
        const error = await failureOf(deviceLogin(other.url, { onCode: () => {} }));
        expect(error.code, what).toBe('not_aura');
        expect(error.message, what).toContain(`${other.url} did not answer like an Aura server`);
      } finally {
        other.server.close();
      }
    }
    const older = await otherServer((req, res) =>
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: 'not_found', message: `No route for POST ${req.url}` } })),
    );
    try {
      const error = await failureOf(deviceLogin(older.url, { onCode: () => {} }));
      expect(error.code).toBe('not_aura');
      expect(error.message).toMatch(/does not offer device login.*Settings → API tokens/);
    } finally {
      older.server.close();
    }
  });

  it('rejects a token that is not an Aura API token', async ({ expect }) => {
    const fake = await otherServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url?.endsWith('/code')) {
        res.end(
          JSON.stringify({
            device_code: 'd',
            user_code: 'BCDF-GHJK',
            verification_uri: 'http://x/device',
            expires_in: 60,
            interval: 0.01,
          }),
        );
      } else res.end(JSON.stringify({ access_token: 'ghp_not_ours', token_type: 'Bearer' }));
    });
    try {
      const error = await failureOf(deviceLogin(fake.url, { onCode: () => {} }));
      expect(error.code).toBe('not_aura');
      expect(error.message).not.toContain('ghp_not_ours');
    } finally {
      fake.server.close();
    }
  });

  it(
    'rejects as unreachable when the server dies while the person is approving',
    async ({ expect }) => {
      const doomed = await startTestServer('sqlite');
      let closing: Promise<void> = Promise.resolve();
      try {
        const error = await failureOf(
          deviceLogin(doomed.url, {
            onCode: () => {
              closing = doomed.close();
            },
          }),
        );
        expect(error.code).toBe('unreachable');
        expect(error.message).toContain(`Cannot reach the Aura server at ${doomed.url}`);
      } finally {
        await closing;
      }
    },
    LOGIN_TIMEOUT,
  );

  it('reports the server refusing to start a login (rate limit) in its own words', async ({ expect }) => {
    const limited = await startTestServer('sqlite', { overrides: { limits: { authAttemptsPerMinute: 1 } } });
    try {
      await api(limited.anonymous, 'POST', '/api/device/code', {});
      const error = await failureOf(deviceLogin(limited.url, { onCode: () => {} }));
      expect(error.code).toBe('refused');
      expect(error.message).toMatch(/Too many device login requests/);
    } finally {
      await limited.close();
    }
  });
});
