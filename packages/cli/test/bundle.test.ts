import { spawnSync } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliBundle } from '../../../scripts/build-cli.ts';
import { type BundleManifest, checkBundle, fileStamp, manifestFormat } from '../bin/bundle.js';
import { cleanEnv, runAura } from './cli-helpers.ts';

describe('whether the bundle is fresh', () => {
  let dir: string;
  const input = () => join(dir, 'input.ts');

  async function writeManifest(manifest: unknown): Promise<void> {
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  }

  async function freshManifest(): Promise<BundleManifest> {
    await writeFile(input(), 'export const answer = 42;\n');
    return {
      format: manifestFormat,
      entry: 'builds/b1/main.js',
      builtAt: new Date().toISOString(),
      inputs: [['input.ts', fileStamp(input()) ?? '']],
    };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aura-bundle-check-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the bundle while every input is as it was built', async () => {
    await writeManifest(await freshManifest());
    expect(checkBundle(dir)).toEqual({ entry: join(dir, 'builds/b1/main.js') });
  });

  it('falls back to the sources, naming the file, once an input changes or goes', async () => {
    await writeManifest(await freshManifest());
    await appendFile(input(), '// edited\n');
    expect(checkBundle(dir)).toEqual({ stale: 'input.ts changed since the bundle was built' });

    await writeManifest(await freshManifest());
    await rm(input());
    expect(checkBundle(dir)).toEqual({ stale: 'input.ts is gone since the bundle was built' });
  });

  it('takes a missing, unreadable or foreign manifest for no bundle at all', async () => {
    await rm(join(dir, 'manifest.json'), { force: true });
    expect(checkBundle(dir)).toEqual({ stale: 'no bundle is built' });
    await writeFile(join(dir, 'manifest.json'), '{"format": 1, "inputs": [');
    expect(checkBundle(dir)).toEqual({ stale: 'no bundle is built' });
    await writeManifest({ ...(await freshManifest()), format: manifestFormat + 1 });
    expect(checkBundle(dir).stale).toBe('the bundle was built by another version');
    await writeManifest({ format: manifestFormat, entry: 'main.js', inputs: 'everything' });
    expect(checkBundle(dir).stale).toBe('the bundle was built by another version');
  });
});

describe('the built bundle', () => {
  const repo = resolve(import.meta.dirname, '../../..');
  let dir: string;
  let first: Awaited<ReturnType<typeof buildCliBundle>>;

  beforeAll(async () => {
    // Inside the repository, as packages/cli/dist is: what the bundle leaves out resolves from node_modules.
    const cache = join(repo, 'node_modules', '.cache');
    await mkdir(cache, { recursive: true });
    dir = await mkdtemp(join(cache, 'aura-bundle-test-'));
    first = await buildCliBundle({ directory: dir, keep: 1 });
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('holds the CLI, the engine and their dependencies, and lists what it was built from', async () => {
    expect(first.modules).toBeGreaterThan(500);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as BundleManifest;
    const inputs = manifest.inputs.map(([path]) => resolve(dir, path));
    expect(inputs).toContain(join(repo, 'packages/cli/src/tui/app.ts'));
    expect(inputs).toContain(join(repo, 'packages/engine/src/store/store.ts'));
    // A dependency by its package.json, not each of its files.
    expect(inputs).toContain(join(repo, 'node_modules/kysely/package.json'));
    expect(inputs.some((path) => path.includes('/node_modules/kysely/dist/'))).toBe(false);
    expect(checkBundle(dir)).toEqual({ entry: first.entry });
  });

  it('runs a command on its own, and every chunk of it loads', async () => {
    const { env } = await cleanEnv();
    const script = `const { main } = await import(${JSON.stringify(first.entry)}); process.exitCode = await main(process.argv.slice(1));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, 'config', 'path'], {
      env,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(join(env.XDG_CONFIG_HOME ?? '', 'aura', 'config.yaml'));

    const probe = `
      const chunks = ${JSON.stringify(join(first.entry, '..'))};
      const { readdirSync } = await import('node:fs');
      // Ink loads its devtools only with DEV=true, and they are not installed.
      for (const file of readdirSync(chunks)) if (!file.startsWith('devtools-')) await import(chunks + '/' + file);
      console.log('loaded');`;
    const loaded = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
      env,
      encoding: 'utf8',
    });
    expect(loaded.stderr).toBe('');
    expect(loaded.stdout.trim()).toBe('loaded');
  });

  it('keeps as many earlier builds as asked, for processes still loading chunks from them', async () => {
    const second = await buildCliBundle({ directory: dir, keep: 1 });
    expect(await readdir(join(dir, 'builds'))).toEqual([second.entry.split('/').at(-2)]);
    expect(checkBundle(dir)).toEqual({ entry: second.entry });
  }, 60_000);
});

describe('aura picks the bundle or the sources', () => {
  beforeAll(async () => {
    // CI's npm install built it; after an edit here, build it again as `npm install` would.
    if (!checkBundle().entry) await buildCliBundle();
  }, 60_000);

  async function codeOf(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<string> {
    const { env } = await cleanEnv(extra);
    const result = await runAura(['--verbose', ...args], { env });
    return /command start .*code=(.*)$/m.exec(result.stderr)?.[1] ?? result.stderr;
  }

  it('runs the fresh bundle, the sources when asked, and the sources for aura serve', async () => {
    expect(await codeOf(['config', 'path'])).toBe('bundle');
    expect(await codeOf(['config', 'path'], { AURA_FROM_SOURCES: '1' })).toBe('sources: AURA_FROM_SOURCES=1');
    expect(await codeOf(['serve', '--help'])).toBe('sources: the server is not in the bundle');
  }, 30_000);
});
