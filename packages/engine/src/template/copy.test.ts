import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyTemplate } from './copy.ts';
import { type FixtureTemplates, fixtureTemplates } from './fixture.ts';
import { chownTree, linkTree } from './fs-tree.ts';
import type { TemplateProgress } from './progress.ts';

const ino = async (path: string) => (await stat(path)).ino;

describe('copyTemplate', () => {
  let fx: FixtureTemplates;
  let workspace: string;

  beforeEach(async () => {
    fx = await fixtureTemplates();
    workspace = join(fx.root, 'workspaces', 'prj_1');
  });
  afterEach(() => fx.cleanup());

  const copy = (target: string, extra: Parameters<typeof copyTemplate>[2] = {}) =>
    copyTemplate('tiny', target, { templatesDir: fx.templatesDir, cacheDir: fx.cacheDir, ...extra });

  it('copies the files and hard-links node_modules from the cache: resolvable, sharing inodes', async () => {
    const events: TemplateProgress[] = [];
    const manifest = await copy(workspace, { onProgress: (e) => events.push(e) });
    expect(manifest).toMatchObject({ name: 'tiny', install: 'node install.mjs', port: 5173 });

    for (const file of ['aura.json', 'README.md', 'package.json', 'install.mjs', 'src/index.js']) {
      expect(existsSync(join(workspace, file)), file).toBe(true);
    }
    const resolved = spawnSync(process.execPath, ['-e', 'console.log(require("fake-dep"))'], {
      cwd: workspace,
      encoding: 'utf8',
    });
    expect(resolved.stdout.trim()).toBe('42');

    const [cache] = events.flatMap((e) => (e.type === 'install_done' ? [e.key] : []));
    const cached = join(fx.cacheDir, 'tiny', cache!, 'node_modules');
    const shared = join(workspace, 'node_modules/fake-dep/index.js');
    expect(await ino(shared)).toBe(await ino(join(cached, 'fake-dep/index.js')));
    expect((await stat(shared)).nlink).toBe(2);
    // npm rewrites its hidden lockfile in place: each project has its own.
    expect(await ino(join(workspace, 'node_modules/.package-lock.json'))).not.toBe(
      await ino(join(cached, '.package-lock.json')),
    );
    expect(await readlink(join(workspace, 'node_modules/.bin/fake-dep'))).toBe('../fake-dep/index.js');
    // The lockfile npm wrote with this node_modules.
    expect(await readFile(join(workspace, 'package-lock.json'), 'utf8')).toContain('"fromInstall":true');

    expect(events.map((e) => e.type)).toEqual([
      'files',
      'install_start',
      'install_output',
      'install_output',
      'install_done',
      'dependencies',
    ]);
    expect(events[0]).toEqual({ type: 'files', template: 'tiny', files: 5 });
    expect(events.at(-1)).toMatchObject({ type: 'dependencies', mode: 'hardlink', files: 3 });
  });

  it('makes the second project from the cache without installing', async () => {
    await copy(workspace);
    const events: TemplateProgress[] = [];
    const second = join(fx.root, 'workspaces', 'prj_2');
    await copy(second, { onProgress: (e) => events.push(e) });
    expect(events.map((e) => e.type)).toEqual(['files', 'cache_hit', 'dependencies']);
    expect(await fx.installs()).toBe(1);
    // Each project has its own tree: adding a file in one touches neither the cache nor the other.
    await writeFile(join(second, 'node_modules/fake-dep/extra.js'), '');
    expect(existsSync(join(workspace, 'node_modules/fake-dep/extra.js'))).toBe(false);
    expect(await ino(join(second, 'node_modules/fake-dep/index.js'))).toBe(
      await ino(join(workspace, 'node_modules/fake-dep/index.js')),
    );
  });

  it('refuses a non-empty workspace unless allowed, and then keeps the files already there', async () => {
    await mkdir(workspace, { recursive: true });
    await writeFile(join(workspace, 'README.md'), 'mine\n');
    await expect(copy(workspace)).rejects.toMatchObject({ code: 'workspace_not_empty' });
    expect(existsSync(join(workspace, 'aura.json'))).toBe(false);

    await copy(workspace, { allowNonEmpty: true });
    expect(await readFile(join(workspace, 'README.md'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(workspace, 'aura.json'))).toBe(true);
    expect(existsSync(join(workspace, 'node_modules/fake-dep'))).toBe(true);
  });

  it('leaves node_modules alone when the workspace already has one', async () => {
    await mkdir(join(workspace, 'node_modules/own'), { recursive: true });
    const events: TemplateProgress[] = [];
    await copy(workspace, { allowNonEmpty: true, onProgress: (e) => events.push(e) });
    expect(events.at(-1)).toMatchObject({ reason: 'workspace_has_node_modules' });
    expect(existsSync(join(workspace, 'node_modules/fake-dep'))).toBe(false);
    expect(await fx.installs()).toBe(0);
  });

  it('leaves alone a node_modules that appears while the cache is being prepared', async () => {
    const events: TemplateProgress[] = [];
    await copy(workspace, {
      onProgress: (e) => {
        events.push(e);
        // After the files are copied, before the dependencies are linked: an install elsewhere.
        if (e.type === 'files') mkdirSync(join(workspace, 'node_modules/own'), { recursive: true });
      },
    });
    expect(events.at(-1)).toMatchObject({ reason: 'workspace_has_node_modules' });
    expect(existsSync(join(workspace, 'node_modules/own'))).toBe(true);
    expect(existsSync(join(workspace, 'node_modules/fake-dep'))).toBe(false);
  });

  it('copies only the files without a cache dir, and for a template without dependencies', async () => {
    const events: TemplateProgress[] = [];
    await copyTemplate('tiny', workspace, {
      templatesDir: fx.templatesDir,
      onProgress: (e) => events.push(e),
    });
    expect(existsSync(join(workspace, 'package.json'))).toBe(true);
    expect(existsSync(join(workspace, 'node_modules'))).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'dependencies_skipped', reason: 'no_cache' });

    const plain = join(fx.root, 'plain');
    events.length = 0;
    await copyTemplate('plain', plain, {
      templatesDir: fx.templatesDir,
      cacheDir: fx.cacheDir,
      onProgress: (e) => events.push(e),
    });
    expect(existsSync(join(plain, 'index.html'))).toBe(true);
    expect(events.at(-1)).toMatchObject({ reason: 'no_dependencies' });
    expect(await fx.installs()).toBe(0);
  });

  it('makes independent copies with linkMode "copy"', async () => {
    await copy(workspace, { linkMode: 'copy' });
    const other = join(fx.root, 'workspaces', 'prj_2');
    await copy(other);
    expect(await ino(join(workspace, 'node_modules/fake-dep/index.js'))).not.toBe(
      await ino(join(other, 'node_modules/fake-dep/index.js')),
    );
    expect((await stat(join(workspace, 'node_modules/fake-dep/index.js'))).nlink).toBe(1);
  });

  it('rejects an unknown template, naming the ones there are', async () => {
    await expect(copyTemplate('nope', workspace, { templatesDir: fx.templatesDir })).rejects.toMatchObject({
      code: 'not_found',
      message: 'Unknown template "nope". Available templates: plain, tiny.',
    });
  });
});

describe('linkTree', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'aura-link-tree-'));
    await mkdir(join(root, 'src/pkg/lib'), { recursive: true });
    await writeFile(join(root, 'src/pkg/lib/a.js'), 'a');
    await writeFile(join(root, 'src/pkg/b.js'), 'b');
    await writeFile(join(root, 'src/.hidden'), 'h');
    await mkdir(join(root, 'src/.cache'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('links files, copies the ones asked for, and leaves out skipped paths', async () => {
    const result = await linkTree(join(root, 'src'), join(root, 'dest'), {
      copyPaths: ['.hidden'],
      skipPaths: ['.cache'],
    });
    expect(result).toEqual({ linked: 2, copied: 1, symlinks: 0, directories: 3, fellBack: false });
    expect(existsSync(join(root, 'dest/.cache'))).toBe(false);
    expect((await lstat(join(root, 'dest/.hidden'))).nlink).toBe(1);
    expect((await lstat(join(root, 'dest/pkg/lib/a.js'))).nlink).toBe(2);
  });

  const otherFs = '/dev/shm';
  const crossFs = existsSync(otherFs) && statSync(otherFs).dev !== statSync(tmpdir()).dev;
  it.runIf(crossFs)(
    'falls back to copying across filesystems (runs only where /dev/shm is another filesystem)',
    async () => {
      const dest = await mkdtemp(join(otherFs, 'aura-link-tree-'));
      try {
        const result = await linkTree(join(root, 'src'), join(dest, 'copy'));
        expect(result).toMatchObject({ linked: 0, copied: 3, fellBack: true });
        expect(await readFile(join(dest, 'copy/pkg/lib/a.js'), 'utf8')).toBe('a');
      } finally {
        await rm(dest, { recursive: true, force: true });
      }
    },
  );

  const root_ = process.getuid?.() === 0;
  it.runIf(root_)(
    'chownTree hands directories and unshared files over, never shared hard links (needs root)',
    async () => {
      await linkTree(join(root, 'src'), join(root, 'dest'), { copyPaths: ['.hidden'] });
      await chownTree(join(root, 'dest'), 65534, 65534);
      expect((await lstat(join(root, 'dest'))).uid).toBe(65534);
      expect((await lstat(join(root, 'dest/pkg/lib'))).uid).toBe(65534);
      expect((await lstat(join(root, 'dest/.hidden'))).uid).toBe(65534);
      expect((await lstat(join(root, 'dest/pkg/lib/a.js'))).uid).toBe(0);
      expect((await lstat(join(root, 'src/pkg/lib/a.js'))).uid).toBe(0);
    },
  );
});
