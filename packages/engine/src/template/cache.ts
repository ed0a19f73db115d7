import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TemplateError } from './errors.ts';
import { makeFilesReadOnly } from './fs-tree.ts';
import { installEnv, runInstall } from './install.ts';
import { breakStaleLock, processAlive, tryLock } from './lock.ts';
import type { OnTemplateProgress } from './progress.ts';
import { getTemplate, type TemplateInfo, type TemplatesDirOptions } from './registry.ts';

/**
 * The dependency cache: each template's dependencies installed once, per content hash, under
 *
 *   <cacheDir>/<template>/<key>/            package.json, lockfile, node_modules/ (files read-only)
 *   <cacheDir>/<template>/<key>/.aura-cache.json   the completion marker
 *   <cacheDir>/<template>/<key>.lock        held while one process installs
 *   <cacheDir>/<template>/.staging-<key>-<pid>-<random>/   an install in progress
 *
 * An install runs in a staging folder; the marker is written last and the folder is renamed to
 * `<key>` in one step, so a crashed or failed install leaves only a staging folder, which is
 * never used (and is removed by the next preparer). The lock makes concurrent preparers, in
 * this process or others, wait for one install instead of running their own.
 */

export const CACHE_MARKER = '.aura-cache.json';
const MARKER_VERSION = 1;

/** Files that decide what an install produces (beside the install command and the platform). */
const KEY_FILES = ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', '.npmrc'];

/** Never copied from a template: build output and installed or cached state. */
export const TEMPLATE_SKIP = new Set(['node_modules', '.vite', 'dist', '.git']);

export interface PrepareTemplateCacheOptions extends TemplatesDirOptions {
  /** Root of the dependency cache, e.g. `<dataDir>/cache/templates`. */
  cacheDir: string;
  /** npm's download cache, shared by every install (`npm_config_cache`); npm's default if unset. */
  npmCacheDir?: string;
  onProgress?: OnTemplateProgress;
  signal?: AbortSignal;
  /** Default 10 minutes. */
  installTimeoutMs?: number;
  /** A lock whose owner is silent this long (or dead) is broken. Default 60 s. */
  lockStaleMs?: number;
  /** How often a waiting preparer looks again. Default 250 ms. */
  pollMs?: number;
}

export interface PreparedCache {
  template: string;
  key: string;
  /** `<cacheDir>/<template>/<key>` */
  dir: string;
  nodeModules: string;
  /** True when this call ran the install; false when it found (or waited for) a ready cache. */
  installed: boolean;
}

interface Marker {
  version: number;
  template: string;
  key: string;
  command: string;
  createdAt: string;
  installMs: number;
}

export interface DependencyKey {
  key: string;
  /** False when package.json lists no dependencies at all (nothing to install or cache). */
  hasDependencies: boolean;
}

/** The cache key of a template's dependencies: a hash of what decides the install's result. */
export async function dependencyKey(template: TemplateInfo): Promise<DependencyKey> {
  const hash = createHash('sha256').update(`aura-template-cache ${MARKER_VERSION}\0`);
  hash.update(`${process.platform}-${process.arch}\0${template.manifest.install}\0`);
  let packageJson: string | undefined;
  for (const name of KEY_FILES) {
    const content = await readFile(join(template.dir, name), 'utf8').catch(() => undefined);
    if (name === 'package.json') packageJson = content;
    hash.update(`${name}\0${content === undefined ? '-' : `${content.length}\0${content}`}\0`);
  }
  return { key: hash.digest('hex').slice(0, 16), hasDependencies: listsDependencies(packageJson) };
}

function listsDependencies(packageJson: string | undefined): boolean {
  if (packageJson === undefined) return false;
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(packageJson) as Record<string, unknown>;
  } catch {
    return true; // let the install report the broken package.json
  }
  return ['dependencies', 'devDependencies', 'optionalDependencies'].some((field) => {
    const deps = manifest[field];
    return typeof deps === 'object' && deps !== null && Object.keys(deps).length > 0;
  });
}

/** True when `dir` holds a finished install for `key`. */
export async function isCacheReady(dir: string, key: string): Promise<boolean> {
  try {
    const marker = JSON.parse(await readFile(join(dir, CACHE_MARKER), 'utf8')) as Partial<Marker>;
    if (marker.version !== MARKER_VERSION || marker.key !== key) return false;
    return (await stat(join(dir, 'node_modules'))).isDirectory();
  } catch {
    return false;
  }
}

/** Copies a template's files (not its build output or installed state) into `dest`. */
export async function copyTemplateFiles(from: string, dest: string, overwrite: boolean): Promise<number> {
  let files = 0;
  await cp(from, dest, {
    recursive: true,
    force: overwrite,
    errorOnExist: false,
    // A symlink in a template stays as written (relative), never re-pointed into the templates folder.
    verbatimSymlinks: true,
    filter: async (source) => {
      if (source !== from && TEMPLATE_SKIP.has(basename(source)) && join(from, basename(source)) === source) {
        return false;
      }
      if ((await stat(source)).isFile()) files += 1;
      return true;
    },
  });
  return files;
}

const inFlight = new Map<string, Promise<PreparedCache>>();

/**
 * Makes sure the template's dependencies are installed in the cache and returns where; null for
 * a template without dependencies. The first caller per key installs; every concurrent caller,
 * in this process or another, waits for that install.
 */
export async function prepareTemplateCache(
  name: string,
  options: PrepareTemplateCacheOptions,
): Promise<PreparedCache | null> {
  const template = await getTemplate(name, options);
  const { key, hasDependencies } = await dependencyKey(template);
  if (!hasDependencies) return null;
  const dir = join(options.cacheDir, name, key);
  const running = inFlight.get(dir);
  if (running) return running;
  const job = prepare(template, key, dir, options).finally(() => inFlight.delete(dir));
  inFlight.set(dir, job);
  return job;
}

async function prepare(
  template: TemplateInfo,
  key: string,
  dir: string,
  options: PrepareTemplateCacheOptions,
): Promise<PreparedCache> {
  const result = (installed: boolean): PreparedCache => ({
    template: template.name,
    key,
    dir,
    nodeModules: join(dir, 'node_modules'),
    installed,
  });
  const hit = () => {
    options.onProgress?.({ type: 'cache_hit', template: template.name, key });
    return result(false);
  };
  if (await isCacheReady(dir, key)) return hit();

  const parent = join(options.cacheDir, template.name);
  await mkdir(parent, { recursive: true });
  const lockPath = `${dir}.lock`;
  const staleMs = options.lockStaleMs ?? 60_000;
  let waiting = false;
  for (;;) {
    if (options.signal?.aborted)
      throw new TemplateError('cancelled', 'Preparing the template was cancelled.');
    const lock = await tryLock(lockPath, staleMs);
    if (lock) {
      try {
        if (await isCacheReady(dir, key)) return hit();
        await removeLeftovers(parent, key);
        await install(template, key, dir, options);
        return result(true);
      } finally {
        await lock.release();
      }
    }
    if (await isCacheReady(dir, key)) return hit();
    if (await breakStaleLock(lockPath, staleMs)) continue;
    if (!waiting) {
      waiting = true;
      options.onProgress?.({ type: 'cache_wait', template: template.name, key });
    }
    await sleep(options.pollMs ?? 250, undefined, { signal: options.signal }).catch(() => {});
  }
}

const stagingPrefix = (key: string) => `.staging-${key}-`;

/** Staging folders of dead installs of this key (we hold its lock), and half-removed old caches. */
async function removeLeftovers(parent: string, key: string): Promise<void> {
  for (const name of await readdir(parent)) {
    let leftover = name.startsWith(`.trash-${key}-`);
    if (name.startsWith(stagingPrefix(key))) {
      const pid = Number(name.slice(stagingPrefix(key).length).split('-')[0]);
      leftover = !(Number.isInteger(pid) && pid !== process.pid && processAlive(pid));
    }
    if (leftover) await rm(join(parent, name), { recursive: true, force: true });
  }
}

async function install(
  template: TemplateInfo,
  key: string,
  dir: string,
  options: PrepareTemplateCacheOptions,
): Promise<void> {
  const parent = join(options.cacheDir, template.name);
  const staging = join(parent, `${stagingPrefix(key)}${process.pid}-${randomBytes(4).toString('hex')}`);
  const command = template.manifest.install;
  const started = performance.now();
  options.onProgress?.({ type: 'install_start', template: template.name, key, command });
  try {
    await copyTemplateFiles(template.dir, staging, true);
    if (options.npmCacheDir) await mkdir(options.npmCacheDir, { recursive: true });
    await runInstall(command, {
      cwd: staging,
      env: installEnv(options.npmCacheDir),
      timeoutMs: options.installTimeoutMs ?? 10 * 60_000,
      template: template.name,
      ...(options.signal ? { signal: options.signal } : {}),
      onLine: (line) => options.onProgress?.({ type: 'install_output', template: template.name, line }),
    });
    const nodeModules = join(staging, 'node_modules');
    if (!(await stat(nodeModules).catch(() => undefined))?.isDirectory()) {
      throw new TemplateError(
        'install_failed',
        `Installing the dependencies of template "${template.name}": "${command}" succeeded but made no node_modules.`,
      );
    }
    // Projects get hard links to these files: read-only, so nobody edits them in place for all.
    await makeFilesReadOnly(nodeModules);
    const installMs = Math.round(performance.now() - started);
    const marker: Marker = {
      version: MARKER_VERSION,
      template: template.name,
      key,
      command,
      createdAt: new Date().toISOString(),
      installMs,
    };
    await writeFile(join(staging, CACHE_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    await commit(staging, dir, key);
    options.onProgress?.({ type: 'install_done', template: template.name, key, ms: installMs });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Moves a finished staging folder into place in one rename. */
async function commit(staging: string, dir: string, key: string): Promise<void> {
  try {
    await rename(staging, dir);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
  // Something is already there: a finished install (a racing preparer won) or an unfinished
  // folder that is not ours to trust. Keep a finished one; replace anything else.
  if (await isCacheReady(dir, key)) return;
  const trash = join(dir, '..', `.trash-${key}-${randomBytes(4).toString('hex')}`);
  await rename(dir, trash);
  await rename(staging, dir);
  await rm(trash, { recursive: true, force: true });
}
