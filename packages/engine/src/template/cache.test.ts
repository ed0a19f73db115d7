import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_MARKER, dependencyKey, type PreparedCache, prepareTemplateCache } from './cache.ts';
import { type FixtureTemplates, fixtureTemplates } from './fixture.ts';
import type { TemplateProgress } from './progress.ts';
import { getTemplate } from './registry.ts';

const cacheModule = new URL('./cache.ts', import.meta.url).href;

/** Runs prepareTemplateCache('tiny') in another Node process; resolves with its result. */
function prepareInChild(fx: FixtureTemplates) {
  const script = `
    import { prepareTemplateCache } from ${JSON.stringify(cacheModule)};
    const result = await prepareTemplateCache('tiny', ${JSON.stringify({
      templatesDir: fx.templatesDir,
      cacheDir: fx.cacheDir,
      pollMs: 20,
    })});
    process.stdout.write(JSON.stringify(result));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<PreparedCache>((resolve, reject) => {
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as PreparedCache);
      else reject(new Error(`child exited ${code}: ${stderr}`));
    });
  });
  return { child, done };
}

/** Polls until `check` holds (no deadline of its own: the test's timeout is the bound). */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await sleep(20);
}

describe('prepareTemplateCache', () => {
  let fx: FixtureTemplates;
  let key: string;
  let dir: string;

  beforeEach(async () => {
    fx = await fixtureTemplates();
    key = (await dependencyKey(await getTemplate('tiny', fx))).key;
    dir = join(fx.cacheDir, 'tiny', key);
  });
  afterEach(() => fx.cleanup());

  const prepare = (events?: TemplateProgress[]) =>
    prepareTemplateCache('tiny', {
      templatesDir: fx.templatesDir,
      cacheDir: fx.cacheDir,
      npmCacheDir: join(fx.root, 'npm'),
      ...(events ? { onProgress: (event) => events.push(event) } : {}),
    });

  it('installs once into <cacheDir>/<template>/<key>, with a marker and read-only files', async () => {
    const events: TemplateProgress[] = [];
    const first = await prepare(events);
    expect(first).toEqual({
      template: 'tiny',
      key,
      dir,
      nodeModules: join(dir, 'node_modules'),
      installed: true,
    });
    expect(events.map((e) => e.type)).toEqual([
      'install_start',
      'install_output',
      'install_output',
      'install_done',
    ]);
    expect(events[1]).toEqual({ type: 'install_output', template: 'tiny', line: 'fake install starting' });
    const marker = JSON.parse(await readFile(join(dir, CACHE_MARKER), 'utf8'));
    expect(marker).toMatchObject({ version: 1, template: 'tiny', key, command: 'node install.mjs' });
    const file = await stat(join(dir, 'node_modules/fake-dep/index.js'));
    expect(file.mode & 0o222).toBe(0);
    expect(file.mode & 0o444).toBe(0o444);
    expect(await readdir(join(fx.cacheDir, 'tiny'))).toEqual([key]);

    const again: TemplateProgress[] = [];
    expect(await prepare(again)).toMatchObject({ dir, installed: false });
    expect(again).toEqual([{ type: 'cache_hit', template: 'tiny', key }]);
    expect(await fx.installs()).toBe(1);
  });

  it('keys the cache on package.json: a changed dependency list installs anew beside the old one', async () => {
    await prepare();
    await writeFile(
      join(fx.templatesDir, 'tiny/package.json'),
      JSON.stringify({ name: 'tiny', dependencies: { 'fake-dep': '2.0.0' } }),
    );
    const next = await prepare();
    expect(next?.key).not.toBe(key);
    expect(next?.installed).toBe(true);
    expect((await readdir(join(fx.cacheDir, 'tiny'))).sort()).toEqual([key, next!.key].sort());
    expect(await fx.installs()).toBe(2);
  });

  it('returns null for a template without dependencies (nothing to cache)', async () => {
    expect(
      await prepareTemplateCache('plain', { templatesDir: fx.templatesDir, cacheDir: fx.cacheDir }),
    ).toBeNull();
    expect(existsSync(fx.cacheDir)).toBe(false);
  });

  it('never keeps a failed install: no cache folder, no staging left, and the next try installs', async () => {
    await writeFile(fx.failFlag, '');
    const error = await prepare().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TemplateError', code: 'install_failed' });
    expect((error as Error).message).toContain('"node install.mjs" exited with code 1');
    expect((error as Error).message).toContain('npm error 404 Not Found - fake-dep@1.0.0');
    expect(await readdir(join(fx.cacheDir, 'tiny'))).toEqual([]);

    await rm(fx.failFlag);
    expect(await prepare()).toMatchObject({ installed: true });
    expect(existsSync(join(dir, 'node_modules/fake-dep/index.js'))).toBe(true);
    expect(await fx.installs()).toBe(2);
  });

  it('kills an install that runs past its timeout', async () => {
    await writeFile(fx.hangFlag, '');
    const error = await prepareTemplateCache('tiny', {
      templatesDir: fx.templatesDir,
      cacheDir: fx.cacheDir,
      installTimeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'install_failed' });
    expect((error as Error).message).toContain('timed out after 300 ms');
    // The install may be killed before it wrote its pid; if it did, that process must be gone.
    const pid = Number(await readFile(`${fx.hangFlag}.pid`, 'utf8').catch(() => '0'));
    await until(() => {
      if (!pid) return true;
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    expect(await readdir(join(fx.cacheDir, 'tiny'))).toEqual([]);
  });

  it('ignores the half-finished install of a preparer that was killed, and cleans it up', async () => {
    await writeFile(fx.hangFlag, '');
    const { child, done } = prepareInChild(fx);
    done.catch(() => {});
    await until(() => existsSync(`${fx.hangFlag}.pid`));
    child.kill('SIGKILL');
    await until(() => child.exitCode !== null || child.signalCode !== null);
    process.kill(Number(await readFile(`${fx.hangFlag}.pid`, 'utf8')), 'SIGKILL');
    await rm(fx.hangFlag);

    const left = await readdir(join(fx.cacheDir, 'tiny'));
    expect(left).toContain(`${key}.lock`);
    const staging = left.find((name) => name.startsWith(`.staging-${key}-`));
    expect(staging).toBeDefined();
    expect(existsSync(join(fx.cacheDir, 'tiny', staging!, 'node_modules/half-written'))).toBe(true);
    expect(existsSync(dir)).toBe(false);

    expect(await prepare()).toMatchObject({ installed: true });
    expect(existsSync(join(dir, 'node_modules/fake-dep/index.js'))).toBe(true);
    expect(await readdir(join(fx.cacheDir, 'tiny'))).toEqual([key]);
    expect(await fx.installs()).toBe(2);
  });

  it('does not trust a cache folder without its completion marker', async () => {
    await mkdir(join(dir, 'node_modules/leftover'), { recursive: true });
    expect(await prepare()).toMatchObject({ installed: true });
    expect(existsSync(join(dir, 'node_modules/leftover'))).toBe(false);
    expect(existsSync(join(dir, CACHE_MARKER))).toBe(true);
  });

  it('runs one install for concurrent preparers in one process', async () => {
    const results = await Promise.all([prepare(), prepare(), prepare()]);
    expect(results.map((r) => r?.dir)).toEqual([dir, dir, dir]);
    expect(await fx.installs()).toBe(1);
  });

  it('runs one install for two processes preparing at once (the other waits for it)', async () => {
    const a = prepareInChild(fx);
    const b = prepareInChild(fx);
    const results = await Promise.all([a.done, b.done]);
    expect(results.map((r) => r.dir)).toEqual([dir, dir]);
    expect(results.filter((r) => r.installed)).toHaveLength(1);
    expect(await fx.installs()).toBe(1);
    expect(await readdir(join(fx.cacheDir, 'tiny'))).toEqual([key]);
  });
});
