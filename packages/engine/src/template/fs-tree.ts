import { constants } from 'node:fs';
import { chmod, copyFile, lchown, link, lstat, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { concurrencyLimit } from './limit.ts';

export interface LinkTreeOptions {
  /** 'hardlink' (default) shares file contents with `src`; 'copy' makes independent files. */
  mode?: 'hardlink' | 'copy';
  /** Names, relative to `src` with `/` separators, copied rather than linked (files written in place). */
  copyPaths?: readonly string[];
  /** Names, relative to `src`, left out. */
  skipPaths?: readonly string[];
  /** Operations in flight at once (default 64). */
  concurrency?: number;
}

export interface LinkTreeResult {
  /** Regular files hard-linked. */
  linked: number;
  /** Regular files copied (asked for, or after hard links turned out impossible). */
  copied: number;
  symlinks: number;
  directories: number;
  /** True when hard links failed (another filesystem, no link support) and the rest was copied. */
  fellBack: boolean;
}

/** Errors that mean "this filesystem pair cannot hard-link": copy instead. */
const NO_LINK = new Set(['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP', 'EACCES']);

/**
 * Recreates the tree at `src` under `dest` (which must not exist yet): a fresh directory for
 * every directory, the same relative symlinks, and a hard link for every regular file, so the
 * copy costs one inode reference per file, not its bytes. Falls back to real copies when
 * hard links are impossible. Files listed in `copyPaths` are always copied; they are written
 * last, so their modification time is newer than every directory (npm's hidden lockfile is only
 * trusted when it is).
 */
export async function linkTree(
  src: string,
  dest: string,
  options: LinkTreeOptions = {},
): Promise<LinkTreeResult> {
  const result: LinkTreeResult = { linked: 0, copied: 0, symlinks: 0, directories: 0, fellBack: false };
  let mode = options.mode ?? 'hardlink';
  const copyPaths = new Set(options.copyPaths ?? []);
  const skipPaths = new Set(options.skipPaths ?? []);
  const limit = concurrencyLimit(options.concurrency ?? 64);
  const deferred: [string, string][] = [];

  const copy = async (from: string, to: string) => {
    await copyFile(from, to, constants.COPYFILE_FICLONE);
    result.copied += 1;
  };

  const file = async (from: string, to: string) => {
    if (mode === 'hardlink') {
      try {
        await link(from, to);
        result.linked += 1;
        return;
      } catch (error) {
        if (!NO_LINK.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
        mode = 'copy';
        result.fellBack = true;
      }
    }
    await copy(from, to);
  };

  const walk = async (from: string, to: string, relative: string): Promise<void> => {
    await limit(() => mkdir(to));
    result.directories += 1;
    const entries = await limit(() => readdir(from, { withFileTypes: true }));
    await Promise.all(
      entries.map(async (entry) => {
        const rel = relative ? `${relative}/${entry.name}` : entry.name;
        if (skipPaths.has(rel)) return;
        const source = join(from, entry.name);
        const target = join(to, entry.name);
        if (entry.isDirectory()) return walk(source, target, rel);
        if (entry.isSymbolicLink()) {
          await limit(async () => symlink(await readlink(source), target));
          result.symlinks += 1;
          return;
        }
        if (!entry.isFile()) return; // sockets, FIFOs: nothing a dependency tree needs
        if (copyPaths.has(rel)) deferred.push([source, target]);
        else await limit(() => file(source, target));
      }),
    );
  };

  await walk(src, dest, '');
  for (const [from, to] of deferred) await copy(from, to);
  return result;
}

/** Removes the write bits of every regular file under `root` (directories stay writable). */
export async function makeFilesReadOnly(root: string, concurrency = 64): Promise<number> {
  const limit = concurrencyLimit(concurrency);
  let count = 0;
  const walk = async (dir: string): Promise<void> => {
    const entries = await limit(() => readdir(dir, { withFileTypes: true }));
    await Promise.all(
      entries.map(async (entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) return walk(path);
        if (!entry.isFile()) return;
        await limit(async () => {
          const { mode } = await lstat(path);
          if (mode & 0o222) await chmod(path, mode & 0o7555);
        });
        count += 1;
      }),
    );
  };
  await walk(root);
  return count;
}

/**
 * Gives a workspace to a sandbox user: `lchown` of every directory, symlink and unshared file,
 * but never of a file with other hard links. Those belong to the dependency cache and to other
 * projects; they stay read-only and owned by the server, so one project cannot change a file in
 * place under another. (A recursive `chown -R` would hand them over: sandbox drivers use this.)
 */
export async function chownTree(root: string, uid: number, gid: number, concurrency = 64): Promise<void> {
  const limit = concurrencyLimit(concurrency);
  const visit = async (path: string): Promise<void> => {
    const stats = await limit(() => lstat(path));
    if (stats.isFile() && stats.nlink > 1) return;
    await limit(() => lchown(path, uid, gid));
    if (!stats.isDirectory()) return;
    const entries = await limit(() => readdir(path));
    await Promise.all(entries.map((name) => visit(join(path, name))));
  };
  await visit(root);
}
