// The shipped templates, for real: the ONE test that installs from the npm registry (react-vite,
// then node-api, which shares most packages through npm's cache), plus the static template.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareTemplateCache } from './cache.ts';
import { copyTemplate } from './copy.ts';
import { httpGet, startDevServer, waitForHttp } from './dev-server.ts';
import type { TemplateManifest } from './manifest.ts';
import type { TemplateProgress } from './progress.ts';
import { templatesDir } from './registry.ts';

/** Runs a manifest command (`sh -c`) in the workspace; fails the test with its output. */
function run(command: string, cwd: string): string {
  const result = spawnSync('/bin/sh', ['-c', command], { cwd, encoding: 'utf8', env: process.env });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`"${command}" exited ${result.status}:\n${output}`);
  return output;
}

/** A Host header no default would allow: the preview domain of a configured server. */
const PROXY_HOST = 'p-prj1.preview.example.test:3000';

describe('the shipped templates', () => {
  let root: string;
  let cacheDir: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'aura-templates-'));
    cacheDir = join(root, 'cache');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('are found in the repository by default, or where AURA_TEMPLATES_DIR says', () => {
    const repository = fileURLToPath(new URL('../../../../templates', import.meta.url));
    expect(templatesDir({}, {})).toBe(repository);
    expect(templatesDir({}, { AURA_TEMPLATES_DIR: root })).toBe(root);
  });

  it('react-vite and node-api: cache prepared from the registry, projects linked to it, type-check, build and dev servers answer', async () => {
    // First preparation per template installs (npm's own cache makes reruns quicker).
    for (const name of ['react-vite', 'node-api']) {
      const events: TemplateProgress[] = [];
      const prepared = await prepareTemplateCache(name, { cacheDir, onProgress: (e) => events.push(e) });
      expect(prepared?.installed, events.map((e) => JSON.stringify(e)).join('\n')).toBe(true);
    }

    const workspace = join(root, 'react');
    const events: TemplateProgress[] = [];
    const manifest: TemplateManifest = await copyTemplate('react-vite', workspace, {
      cacheDir,
      onProgress: (e) => events.push(e),
    });
    expect(events.map((e) => e.type)).toEqual(['files', 'cache_hit', 'dependencies']);
    // Dependencies resolve from the workspace and share their bytes with the cache.
    const react = spawnSync(process.execPath, ['-p', 'require.resolve("react")'], {
      cwd: workspace,
      encoding: 'utf8',
    });
    expect(react.stdout.trim()).toBe(join(workspace, 'node_modules/react/index.js'));
    const key = events.flatMap((e) => (e.type === 'cache_hit' ? [e.key] : []))[0]!;
    expect((await stat(join(workspace, 'node_modules/react/index.js'))).ino).toBe(
      (await stat(join(cacheDir, 'react-vite', key, 'node_modules/react/index.js'))).ino,
    );

    run(manifest.check, workspace);
    run(manifest.build, workspace);
    expect(await readFile(join(workspace, 'dist/index.html'), 'utf8')).toContain('<div id="root">');

    const dev = await startDevServer(manifest.dev, workspace);
    try {
      await waitForHttp(dev);
      // Through the preview proxy the Host header is the preview origin: Vite must not block it.
      const page = await httpGet(dev.port, '/', PROXY_HOST);
      expect(page.status).toBe(200);
      expect(page.body).toContain('/@vite/client');
      const app = await httpGet(dev.port, '/src/App.tsx', PROXY_HOST);
      expect(app.status).toBe(200);
      // Pre-bundled dependencies are served from the project's .vite/, never the shared node_modules.
      expect(app.body).toContain('from "/.vite/deps/react.js');
      expect(existsSync(join(workspace, 'node_modules/.vite'))).toBe(false);
    } finally {
      await dev.stop();
    }

    const full = join(root, 'full');
    const api = await copyTemplate('node-api', full, { cacheDir });
    run(api.check, full);
    const devApi = await startDevServer(api.dev, full);
    try {
      await waitForHttp(devApi);
      // Vite proxies /api to the Hono server the same command started.
      let notes = await httpGet(devApi.port, '/api/notes', PROXY_HOST);
      // The API server may still be starting: Vite answers 5xx until it listens.
      while (notes.status >= 500) {
        await sleep(50);
        notes = await httpGet(devApi.port, '/api/notes');
      }
      expect(notes.status).toBe(200);
      expect(JSON.parse(notes.body)).toMatchObject({ items: [{ id: 1 }] });
    } finally {
      await devApi.stop();
    }
  }, 300_000);

  it('static: no install, its check passes and finds broken links, its dev server serves with live reload', async () => {
    const workspace = join(root, 'static');
    const events: TemplateProgress[] = [];
    const manifest = await copyTemplate('static', workspace, { cacheDir, onProgress: (e) => events.push(e) });
    expect(events.at(-1)).toMatchObject({ type: 'dependencies_skipped', reason: 'no_dependencies' });
    expect(run(manifest.check, workspace)).toContain('no problems');

    const dev = await startDevServer(manifest.dev, workspace);
    try {
      await waitForHttp(dev);
      const page = await httpGet(dev.port, '/', PROXY_HOST);
      expect(page.body).toContain('<title>My site</title>');
      expect(page.body).toContain("new EventSource('/__live-reload')");
      expect((await httpGet(dev.port, '/styles.css')).status).toBe(200);
      for (const hidden of [
        '/package.json',
        '/scripts/serve.mjs',
        '/.gitignore',
        '/%2e%2e/%2e%2e/etc/passwd',
      ]) {
        expect((await httpGet(dev.port, hidden)).status, hidden).toBe(404);
      }
    } finally {
      await dev.stop();
    }

    await writeFile(
      join(workspace, 'about.html'),
      '<!doctype html><html><head></head><body><a href="missing.html">x</a></body></html>',
    );
    expect(() => run(manifest.check, workspace)).toThrow(
      /about\.html: missing or empty <title>[\s\S]*links to missing\.html/,
    );
  });
});
