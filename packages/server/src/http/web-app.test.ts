import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../context.ts';
import { webApp } from './web-app.ts';

const root = mkdtempSync(path.join(tmpdir(), 'aura-web-'));
const dist = path.join(root, 'dist');
mkdirSync(path.join(dist, 'assets'), { recursive: true });
writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
const script = `console.log(${JSON.stringify('x'.repeat(4000))});`;
writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), script);
writeFileSync(path.join(root, 'secret.txt'), 'outside');
symlinkSync(path.join(root, 'secret.txt'), path.join(dist, 'leak.txt'));

afterAll(() => rmSync(root, { recursive: true, force: true }));

function appFor(dir: string) {
  const app = new Hono<AppEnv>();
  app.get('/api/known', (c) => c.json({ ok: true }));
  app.get(
    '*',
    webApp({
      dir,
      frameSources: () => ['http://*.aura.localhost:3000'],
      baseUrl: () => 'http://aura.localhost:3000',
    }),
  );
  app.notFound((c) => c.json({ error: 'not_found' }, 404));
  return app;
}

describe('web IDE serving', () => {
  const app = appFor(dist);

  it('serves index.html for / and for client-side routes, never cached, with a CSP', async () => {
    for (const url of ['/', '/p/prj_123', '/settings/providers']) {
      const response = await app.request(url);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="root">');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain('frame-src http://*.aura.localhost:3000');
      expect(policy).toContain("frame-ancestors 'none'");
    }
  });

  it('serves hashed assets for a year, gzipped when the client accepts it', async () => {
    const plain = await app.request('/assets/index-abc123.js');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(plain.headers.get('cache-control')).toContain('immutable');
    expect(await plain.text()).toBe(script);

    const zipped = await app.request('/assets/index-abc123.js', {
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const body = Buffer.from(await zipped.arrayBuffer());
    expect(body.length).toBeLessThan(script.length / 10);
    expect(gunzipSync(body).toString()).toBe(script);
  });

  it('answers 404 for a missing asset or file, and leaves the API alone', async () => {
    expect((await app.request('/assets/gone-000.js')).status).toBe(404);
    expect((await app.request('/favicon.png')).status).toBe(404);
    expect(await (await app.request('/api/known')).json()).toEqual({ ok: true });
    const unknownApi = await app.request('/api/nothing-here');
    expect(unknownApi.status).toBe(404);
    expect(await unknownApi.json()).toEqual({ error: 'not_found' });
  });

  it('never serves files outside the build, by traversal or symlink', async () => {
    for (const url of ['/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/leak.txt', '/%00index.html']) {
      const response = await app.request(url);
      expect(await response.text()).not.toContain('outside');
    }
    expect((await app.request('/leak.txt')).status).toBe(404);
  });

  it('sends pages asked for under a loopback alias to the IDE address, where previews are same-site', async () => {
    for (const host of ['127.0.0.1:3000', 'localhost:3000', '[::1]:3000']) {
      const response = await app.request('/p/prj_1?session=ses_2', { headers: { host } });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('http://aura.localhost:3000/p/prj_1?session=ses_2');
    }
    const own = await app.request('/p/prj_1', { headers: { host: 'aura.localhost:3000' } });
    expect(own.status).toBe(200);
    const api = await app.request('/api/known', { headers: { host: '127.0.0.1:3000' } });
    expect(api.status).toBe(200);
    const asset = await app.request('/assets/index-abc123.js', { headers: { host: '127.0.0.1:3000' } });
    expect(asset.status).toBe(200);
  });

  it('says how to build the IDE when it has not been built', async () => {
    const response = await appFor(path.join(root, 'missing')).request('/');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build:web');
  });
});
