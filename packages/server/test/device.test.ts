import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverOptionsFrom } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { type RunningServer, startServer } from '../src/start.ts';
import {
  api,
  backendNames,
  type Endpoint,
  type Principal,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
} from './helpers.ts';

/** Device login (RFC 8628) over HTTP: the client's two routes, and the IDE's approval routes. */

interface DeviceCode {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}
interface Issued {
  access_token: string;
  token_type: string;
  api_token: { id: string; name: string; expiresAt: number | null };
}
interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}
interface RequestInfo {
  userCode: string;
  clientName: string;
  createdAt: number;
  expiresAt: number;
}

const USER_CODE = /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/;

async function startLogin(server: Endpoint, body: unknown = { client_name: 'laptop' }): Promise<DeviceCode> {
  const response = await api<DeviceCode>({ server }, 'POST', '/api/device/code', body);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

const poll = (server: Endpoint, deviceCode: string) =>
  api<Issued & ErrorBody>({ server }, 'POST', '/api/device/token', { device_code: deviceCode });

const decide = (who: Principal, action: 'lookup' | 'approve' | 'deny', userCode: unknown, via?: 'cookie') =>
  api<RequestInfo & ErrorBody & { status: string }>(
    who,
    'POST',
    `/api/device/${action}`,
    { userCode },
    via ? { via } : {},
  );

/** Time travel: as if the client had waited its interval since its last poll. */
const intervalPassed = (server: TestServer) =>
  server.server.context.store.kysely.updateTable('device_codes').set({ last_polled_at: null }).execute();

describe.each(backendNames)('device login on %s', (backend) => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startTestServer(backend);
    user = await signUp(server, 'Devi');
  });

  afterAll(async () => {
    await server?.close();
  });

  it('issues codes with a verification address a browser on this machine can open', async () => {
    const response = await api<DeviceCode>(server.anonymous, 'POST', '/api/device/code', {
      client_name: 'laptop',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const code = response.body;
    expect(code.device_code).toMatch(/^[\w-]{43}$/);
    expect(code.user_code).toMatch(USER_CODE);
    // A loopback server's IDE lives at aura.localhost, not at the 127.0.0.1 the client called.
    expect(code.verification_uri).toBe(`http://aura.localhost:${server.options.port}/device`);
    expect(code.verification_uri_complete).toBe(`${code.verification_uri}?code=${code.user_code}`);
    expect(code).toMatchObject({ expires_in: 600, interval: 5 });
    const another = await startLogin(server);
    expect(another.device_code).not.toBe(code.device_code);
    expect(another.user_code).not.toBe(code.user_code);
  });

  it('runs the whole flow: pending, slow_down, approval in the IDE, one API token for the approver', async () => {
    const code = await startLogin(server, { client_name: 'build-box' });
    const pending = await poll(server, code.device_code);
    expect(pending.status).toBe(400);
    expect(pending.body.error.code).toBe('authorization_pending');
    const tooFast = await poll(server, code.device_code);
    expect(tooFast.body.error).toMatchObject({ code: 'slow_down', message: expect.stringContaining('10 s') });

    // The person types the code as they read it: lower case, a space instead of the dash.
    const typed = code.user_code.toLowerCase().replace('-', ' ');
    const shown = await decide(user, 'lookup', typed, 'cookie');
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ userCode: code.user_code, clientName: 'build-box' });
    expect(shown.body.expiresAt - shown.body.createdAt).toBe(600_000);
    const approved = await decide(user, 'approve', code.user_code, 'cookie');
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.status).toBe('approved');

    await intervalPassed(server);
    const issued = await poll(server, code.device_code);
    expect(issued.status, issued.text).toBe(200);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    expect(issued.body.access_token).toMatch(/^aura_pat_/);
    expect(issued.body.token_type).toBe('Bearer');
    expect(issued.body.api_token.name).toMatch(/^aura CLI \(build-box\) — \d{4}-\d{2}-\d{2}$/);
    expect(issued.body.api_token.expiresAt).toBeNull();

    const me = await api<{ id: string; via: string }>(
      { server, token: issued.body.access_token },
      'GET',
      '/api/me',
    );
    expect(me.body).toMatchObject({ id: user.id, via: 'token' });
    const tokens = await api<{ items: { id: string }[] }>(user, 'GET', '/api/tokens');
    expect(tokens.body.items.map((t) => t.id)).toContain(issued.body.api_token.id);

    // Single use: the code is spent, for the client and for the page.
    await intervalPassed(server);
    const again = await poll(server, code.device_code);
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('invalid_grant');
    expect(again.text).not.toContain('aura_pat_');
    expect((await decide(user, 'lookup', code.user_code)).status).toBe(404);
  });

  it('lets a token-authenticated script approve, as the API does everywhere', async () => {
    const code = await startLogin(server);
    expect((await decide(user, 'approve', code.user_code)).status).toBe(200);
    await intervalPassed(server);
    expect((await poll(server, code.device_code)).status).toBe(200);
  });

  it('reports a denial to the client, and a denied code cannot be approved afterwards', async () => {
    const code = await startLogin(server);
    const denied = await decide(user, 'deny', code.user_code, 'cookie');
    expect(denied.body.status).toBe('denied');
    expect((await decide(user, 'approve', code.user_code, 'cookie')).status).toBe(404);
    const answer = await poll(server, code.device_code);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('access_denied');
  });

  it('expires codes: the client hears expired_token and the page finds nothing to approve', async () => {
    const code = await startLogin(server);
    await server.server.context.store.kysely
      .updateTable('device_codes')
      .set({ expires_at: Date.now() - 1 })
      .where('status', '=', 'pending')
      .execute();
    for (const action of ['lookup', 'approve', 'deny'] as const) {
      const refused = await decide(user, action, code.user_code, 'cookie');
      expect(refused.status, action).toBe(404);
      expect(refused.body.error.message).toMatch(/expired/);
    }
    const answer = await poll(server, code.device_code);
    expect(answer.body.error.code).toBe('expired_token');
  });

  it('answers invalid_grant to a device code nobody issued', async () => {
    for (const guess of ['x', 'A'.repeat(43), "' or 1=1 --"]) {
      const answer = await poll(server, guess);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('invalid_grant');
    }
  });

  it('refuses malformed requests with errors naming the field', async () => {
    const badCodes: [unknown, string][] = [
      [{ client_name: '\u001b[31mred' }, 'client_name'],
      [{ client_name: 'right\u202eto-left' }, 'client_name'],
      [{ client_name: 'x'.repeat(65) }, 'client_name'],
      [{ client_name: 42 }, 'client_name'],
      [{ client_name: 'nul\u0000' }, 'client_name'],
    ];
    for (const [body, field] of badCodes) {
      const refused = await api<ErrorBody>(server.anonymous, 'POST', '/api/device/code', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.issues?.map((i) => i.path)).toEqual([field]);
    }
    const notJson = await api<ErrorBody>(server.anonymous, 'POST', '/api/device/code', undefined, {
      raw: '{client_name:',
    });
    expect(notJson.body.error.code).toBe('invalid_json');
    const noCode = await api<ErrorBody>(server.anonymous, 'POST', '/api/device/token', {});
    expect(noCode.body.error.issues?.map((i) => i.path)).toEqual(['device_code']);
    const hugeCode = await api<ErrorBody>(server.anonymous, 'POST', '/api/device/token', {
      device_code: 'A'.repeat(10_000),
    });
    expect(hugeCode.body.error.issues?.map((i) => i.path)).toEqual(['device_code']);

    for (const userCode of ['AEIO-UAEI', 'BCDF-GHJ', 'BCDF-GHJK-L', { code: 'BCDF-GHJK' }, 12345678]) {
      const refused = await decide(user, 'approve', userCode, 'cookie');
      expect(refused.status, JSON.stringify(userCode)).toBe(400);
      expect(refused.body.error.issues?.map((i) => i.path)).toEqual(['userCode']);
    }
  });

  it('keeps the approval routes to signed-in people on the IDE’s own origin', async () => {
    const code = await startLogin(server);
    const anonymous = await decide(server.anonymous, 'approve', code.user_code);
    expect(anonymous.status).toBe(401);
    const crossSite = await api<ErrorBody>(
      user,
      'POST',
      '/api/device/approve',
      { userCode: code.user_code },
      { via: 'cookie', origin: 'https://evil.example' },
    );
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.error.code).toBe('bad_origin');
    const noOrigin = await api(
      user,
      'POST',
      '/api/device/approve',
      { userCode: code.user_code },
      {
        via: 'cookie',
        origin: null,
      },
    );
    expect(noOrigin.status).toBe(403);
    expect((await poll(server, code.device_code)).body.error.code).toBe('authorization_pending');
  });

  it('limits how many codes one person may try, against guessing', async () => {
    const guesser = await signUp(server, 'Guesser');
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await decide(guesser, 'lookup', 'BCDF-GHJK')).status);
    expect(statuses.every((status) => status === 404)).toBe(true);
    const limited = await decide(guesser, 'lookup', 'BCDF-GHJK');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Someone else is not held back by the guesser.
    expect((await decide(user, 'lookup', 'BCDF-GHJK')).status).toBe(404);
  });
});

describe('device login with several server processes (PostgreSQL)', () => {
  let first: TestServer;
  let second: RunningServer;

  beforeAll(async () => {
    first = await startTestServer('postgres');
    const schema = first.pg?.schema;
    if (!schema) throw new Error('the PostgreSQL test server has no schema');
    second = await startServer({ options: { ...first.options, port: 0, baseUrlFixed: false }, schema });
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('approves on one process a code issued by the other, and the token works on both', async () => {
    const secondEndpoint: Endpoint = {
      url: second.url,
      origin: new URL(second.context.options.baseUrl).origin,
    };
    const user = await signUp(first, 'Multi');
    const code = await startLogin(first);
    expect((await decide({ ...user, server: secondEndpoint }, 'approve', code.user_code)).status).toBe(200);
    const issued = await poll(secondEndpoint, code.device_code);
    expect(issued.status, issued.text).toBe(200);
    for (const endpoint of [first, secondEndpoint]) {
      const me = await api<{ id: string }>(
        { server: endpoint, token: issued.body.access_token },
        'GET',
        '/api/me',
      );
      expect(me.body.id).toBe(user.id);
    }
    const again = await poll(first, code.device_code);
    expect(again.body.error.code).toBe('invalid_grant');
  });
});

describe('device login requests per client address', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { overrides: { limits: { authAttemptsPerMinute: 2 } } });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('are limited with a 429 and Retry-After', async () => {
    await startLogin(server);
    await startLogin(server);
    const limited = await api<ErrorBody>(server.anonymous, 'POST', '/api/device/code', {});
    expect(limited.status).toBe(429);
    expect(limited.body.error.message).toMatch(/device login requests/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('device login in the server log', () => {
  let server: RunningServer;
  let dataDir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'aura-device-logs-'));
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    server = await startServer({
      options: serverOptionsFrom({ port: 0, data: dataDir }, {}),
      logger: createLogger('info', sink),
    });
  });

  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('records the approval and the issued token by id, never a code or the token', async () => {
    const endpoint: Endpoint = { url: server.url, origin: new URL(server.context.options.baseUrl).origin };
    const user = await signUp(endpoint, 'Logged');
    const code = await startLogin(endpoint);
    await decide(user, 'approve', code.user_code, 'cookie');
    const issued = await poll(endpoint, code.device_code);
    expect(issued.status).toBe(200);
    const log = lines.join('');
    expect(log).toContain('device login: API token issued');
    expect(log).toContain(issued.body.api_token.id);
    for (const secret of [
      code.device_code,
      code.user_code,
      code.user_code.replace('-', ''),
      issued.body.access_token,
    ])
      expect(log).not.toContain(secret);
  });
});
