import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverOptionsFrom } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { type RunningServer, startServer } from '../src/start.ts';

/** A logger at info whose lines are kept in `captured`, one chunk per line. */
function capturingLogger() {
  const captured: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      captured.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', sink), captured };
}

describe('structured logs', () => {
  let server: RunningServer;
  let dataDir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'aura-logs-'));
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    server = await startServer({
      options: serverOptionsFrom({ port: 0, data: dataDir }, {}),
      logger: createLogger('info', sink),
    });
  });

  afterAll(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('logs one JSON line per request with its request id, and never the credentials sent', async () => {
    const origin = server.context.options.baseUrl;
    const password = 'correct-horse-battery-staple';
    const signUp = await fetch(`${server.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ email: 'logs@example.com', password, name: 'Logs' }),
    });
    const cookie = signUp.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const created = await fetch(`${server.url}/api/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, cookie },
      body: JSON.stringify({ name: 'cli' }),
    });
    const { token } = (await created.json()) as { token: string };
    const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    const requestId = me.headers.get('x-request-id');

    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.find((e) => e.requestId === requestId)).toMatchObject({
      method: 'GET',
      path: '/api/me',
      status: 200,
    });
    const all = lines.join('\n');
    for (const secret of [token, password, cookie.split('=')[1]!]) expect(all).not.toContain(secret);
  });

  it('redacts secret-looking fields wherever they are logged', () => {
    const { logger, captured } = capturingLogger();
    logger.info(
      {
        apiKey: 'sk-abc',
        provider: { apiKey: 'sk-def', token: 't' },
        headers: { authorization: 'Bearer x' },
      },
      'configured',
    );
    const text = captured.join('');
    expect(text).not.toMatch(/sk-abc|sk-def|Bearer x|"t"/);
    expect(text).toContain('[redacted]');
  });

  it('scrubs key-shaped values from messages and error stacks, keeping each line JSON', () => {
    const { logger, captured } = capturingLogger();
    const key = 'sk-proj-Zx81kQ0aPq7LmN3vB5cD';
    const token = 'aura_pat_Qm4Jx9KpL2vR8sT1uW6yZ0aB3cD5eF7gH9iJ1kL3mN5';
    logger.error(
      { err: new Error(`upstream refused ${key} at https://bot:hunter2@example.com/x`) },
      'failed',
    );
    logger.warn(`retrying with Authorization: Bearer ${token}`);
    const text = captured.join('');
    for (const secret of [key, token, 'hunter2']) expect(text).not.toContain(secret);
    const [failed, retrying] = captured.map((line) => JSON.parse(line));
    expect(failed).toMatchObject({
      err: { message: 'upstream refused sk-[redacted] at https://[redacted]@example.com/x' },
    });
    expect(retrying).toMatchObject({ msg: 'retrying with Authorization: Bearer [redacted]' });
  });
});
