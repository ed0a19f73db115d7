import { constants, type Dirent } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { lstat, open, readdir, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ArchiveError } from './errors.ts';
import { excludedDirNames } from './excludes.ts';
import type { ArchiveLimits } from './zip-read.ts';

export interface TreeEntry {
  /** `/`-separated, relative to the root. */
  relative: string;
  absolute: string;
  kind: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  mode: number;
  mtimeMs: number;
}

/**
 * Every entry under `root` in name order, without following symbolic links and without entering
 * excluded directories (node_modules, .git, .aura, caches). Over the limits it throws, so an
 * export or import never starts on a tree it cannot finish.
 */
export async function listTree(root: string, limits: ArchiveLimits): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  let total = 0;
  async function visit(dir: string, relativeDir: string): Promise<void> {
    let names: Dirent[];
    try {
      names = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const dirent of names) {
      if (dirent.isDirectory() && excludedDirNames.has(dirent.name)) continue;
      const absolute = path.join(dir, dirent.name);
      const relative = relativeDir ? `${relativeDir}/${dirent.name}` : dirent.name;
      const info = await lstat(absolute).catch(() => undefined);
      if (!info) continue;
      const kind = info.isSymbolicLink()
        ? 'symlink'
        : info.isDirectory()
          ? 'dir'
          : info.isFile()
            ? 'file'
            : 'other';
      entries.push({ relative, absolute, kind, size: info.size, mode: info.mode, mtimeMs: info.mtimeMs });
      if (entries.length > limits.maxEntries) {
        throw new ArchiveError('too_many_entries', `More than ${limits.maxEntries} files and directories.`);
      }
      if (kind === 'file') total += info.size;
      if (total > limits.maxTotalBytes) {
        throw new ArchiveError('too_large', `The files add up to more than ${limits.maxTotalBytes} bytes.`);
      }
      if (kind === 'dir') await visit(absolute, relative);
    }
  }
  await visit(root, '');
  return entries;
}

/**
 * Opens a regular file for reading only if it really lies inside `realRoot`: the last component
 * is never followed (O_NOFOLLOW) and the opened file's real path is checked afterwards, so a file
 * swapped for a link — or a directory above it swapped for one — between listing and reading
 * cannot smuggle in a file from elsewhere. Returns undefined for anything else.
 */
export async function openInside(realRoot: string, absolute: string): Promise<FileHandle | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const info = await handle.stat();
    const real = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => realpath(absolute));
    if (info.isFile() && real.startsWith(`${realRoot}${path.sep}`)) return handle;
  } catch {
    // fall through: treated as not readable
  }
  await handle.close();
  return undefined;
}
