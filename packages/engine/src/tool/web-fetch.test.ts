import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guardedFetch } from './guarded-fetch.ts';
import { classifyAddress } from './net-guard.ts';
import { createTestWorkspace, type TestWorkspace } from './test-utils.ts';
import { createWebFetchTool, webFetchTool } from './web-fetch.ts';

let server: Server;
let base: string;
let hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/page') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(
        '<html><head><title>Docs</title><style>body{}</style><script>alert(1)</script></head><body><h1>Guide</h1><p>Use &lt;b&gt; &amp; <a href="/next">next page</a>.</p><ul><li>one</li><li>two</li></ul></body></html>',
      );
    } else if (url.pathname === '/redirect') {
      res.statusCode = 302;
      res.setHeader('location', url.searchParams.get('to') ?? '/page');
      res.end();
    } else if (url.pathname === '/loop') {
      res.statusCode = 301;
      res.setHeader('location', '/loop');
      res.end();
    } else if (url.pathname === '/gzip') {
      res.setHeader('content-type', 'application/json');
      res.setHeader('content-encoding', 'gzip');
      res.end(gzipSync(JSON.stringify({ hello: 'world' })));
    } else if (url.pathname === '/big') {
      res.setHeader('content-type', 'text/plain');
      res.end('a'.repeat(200_000));
    } else if (url.pathname === '/slow') {
      res.setHeader('content-type', 'text/plain');
      res.write('start');
      setTimeout(() => res.end('end'), 5_000).unref();
    } else if (url.pathname === '/image') {
      res.setHeader('content-type', 'image/png');
      res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    } else {
      res.statusCode = 404;
      res.setHeader('content-type', 'text/plain');
      res.end('not here');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let ws: TestWorkspace;
beforeEach(() => {
  ws = createTestWorkspace();
  hits = [];
});
afterEach(() => ws.cleanup());

const allowLocal = { allowPrivateNetwork: true };

describe('web_fetch network guard', () => {
  it('refuses loopback IPs and hostnames that resolve to them', async () => {
    const direct = await ws.run(webFetchTool, { url: `${base}/page` });
    expect(direct.ok).toBe(false);
    expect(direct.output).toMatch(/Refusing to fetch .*"127\.0\.0\.1" is a loopback address/);
    const port = new URL(base).port;
    const named = await ws.run(webFetchTool, { url: `http://localhost:${port}/page` });
    expect(named.ok).toBe(false);
    expect(named.output).toMatch(/"localhost" resolves to (127\.0\.0\.1|::1), which is a loopback address/);
    expect(hits).toEqual([]);
  });

  it('refuses metadata, private and other non-http URLs', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://10.1.2.3/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://0.0.0.0/',
      'http://2130706433/',
    ]) {
      const result = await ws.run(webFetchTool, { url });
      expect(result.ok, url).toBe(false);
      expect(result.output, url).toMatch(/Refusing to fetch/);
    }
    expect((await ws.run(webFetchTool, { url: 'file:///etc/passwd' })).output).toMatch(/only http and https/);
    expect((await ws.run(webFetchTool, { url: 'ftp://example.com/x' })).output).toMatch(
      /only http and https/,
    );
  });

  it('fetches local servers when allowPrivateNetwork is set, converting HTML', async () => {
    const result = await ws.run(webFetchTool, { url: `${base}/page` }, allowLocal);
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toBe(
      [
        `URL: ${base}/page`,
        'Status: 200 OK',
        'Content-Type: text/html; charset=utf-8',
        '',
        '# Docs',
        '',
        '# Guide',
        '',
        `Use <b> & next page (${base}/next).`,
        '',
        '- one',
        '- two',
      ].join('\n'),
    );
    expect(result.output).not.toContain('alert');
  });

  it('follows redirects, decompresses, caps and describes binaries', async () => {
    const redirected = await ws.run(webFetchTool, { url: `${base}/redirect?to=/gzip` }, allowLocal);
    expect(redirected.output).toContain(`URL: ${base}/gzip (redirected from ${base}/redirect?to=/gzip)`);
    expect(redirected.output).toContain('{"hello":"world"}');
    const loop = await ws.run(webFetchTool, { url: `${base}/loop` }, allowLocal);
    expect(loop.output).toMatch(/Too many redirects \(more than 5\)/);
    const big = await ws.run(webFetchTool, { url: `${base}/big` }, allowLocal);
    expect(Buffer.byteLength(big.output)).toBeLessThan(52 * 1024);
    expect(big.output).toContain('[Content truncated at 50.0 KB of 195.3 KB]');
    const image = await ws.run(webFetchTool, { url: `${base}/image` }, allowLocal);
    expect(image.output).toContain('[Binary content (image/png, 8 B) is not shown.]');
    const missing = await ws.run(webFetchTool, { url: `${base}/nope` }, allowLocal);
    expect(missing.ok).toBe(false);
    expect(missing.output).toContain('Status: 404 Not Found');
  });

  it('times out slow responses', async () => {
    const tool = createWebFetchTool({ timeoutMs: 300 });
    const result = await ws.run(tool, { url: `${base}/slow` }, allowLocal);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/timed out after 0\.3 s/);
  });

  it('caps the bytes read from the network', async () => {
    const result = await guardedFetch(`${base}/big`, {
      ...allowLocal,
      signal: new AbortController().signal,
      maxBytes: 1000,
    });
    expect(result.body.length).toBe(1000);
    expect(result.truncated).toBe(true);
  });
});

describe('redirects to private addresses', () => {
  /** Treats the test server as "public" so the first hop is allowed; everything else uses the real policy. */
  const options = () => ({
    allowPrivateNetwork: false,
    signal: new AbortController().signal,
    classify: (address: string) => (address === '127.0.0.1' ? undefined : classifyAddress(address)),
    resolve: async (host: string) =>
      host === 'internal.example'
        ? [{ address: '10.0.0.7', family: 4 }]
        : [{ address: '127.0.0.1', family: 4 }],
  });

  it('allows the public first hop', async () => {
    const result = await guardedFetch(`${base}/page`, options());
    expect(result.status).toBe(200);
  });

  it('re-checks every hop', async () => {
    await expect(
      guardedFetch(`${base}/redirect?to=http://169.254.169.254/latest/meta-data/`, options()),
    ).rejects.toThrow(/"169\.254\.169\.254" is a link-local/);
    await expect(
      guardedFetch(`${base}/redirect?to=http://internal.example/admin`, options()),
    ).rejects.toThrow(/"internal\.example" resolves to 10\.0\.0\.7, which is a private address/);
    await expect(guardedFetch(`${base}/redirect?to=file:///etc/passwd`, options())).rejects.toThrow(
      /only http and https/,
    );
    expect(hits.filter((hit) => hit.startsWith('/admin'))).toEqual([]);
  });

  it('pins the checked address for the connection (no DNS rebinding)', async () => {
    let calls = 0;
    const rebinding = {
      ...options(),
      // First answer passes the check; any later lookup would point somewhere private.
      resolve: async () =>
        calls++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.0.0.1', family: 4 }],
    };
    const port = new URL(base).port;
    const result = await guardedFetch(`http://rebind.example:${port}/page`, rebinding);
    expect(result.status).toBe(200);
    expect(calls).toBe(1);
  });
});
