import { mkdir, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ArchiveError } from './errors.ts';
import { listTree, openInside } from './tree.ts';
import { type ArchiveLimits, defaultImportLimits, type ImportSummary } from './zip-read.ts';

const inside = (root: string, candidate: string) =>
  candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : `${root}${path.sep}`);

export interface FolderImportOptions {
  limits?: ArchiveLimits;
  /** Directories the source must neither lie in nor contain (the server's data directory). */
  forbidden?: string[];
}

/**
 * Copies a local folder into `dest` (which must not exist yet), leaving out excluded directories.
 * Symbolic links are never followed: one that resolves inside the folder is recreated as a
 * relative link, one that resolves outside refuses the whole import, a dangling one is skipped.
 * Nothing is written before every link and limit has been checked.
 */
export async function importFolder(
  source: string,
  dest: string,
  opts: FolderImportOptions = {},
): Promise<ImportSummary> {
  if (!path.isAbsolute(source)) throw new ArchiveError('bad_source', 'The folder must be an absolute path.');
  const root = await realpath(source).catch(() => undefined);
  if (!root || !(await stat(root)).isDirectory()) {
    throw new ArchiveError('bad_source', `${source} is not a folder on the server.`);
  }
  for (const dir of opts.forbidden ?? []) {
    const real = await realpath(dir).catch(() => path.resolve(dir));
    if (inside(real, root) || inside(root, real)) {
      throw new ArchiveError(
        'bad_source',
        `${source} overlaps the server's own data and cannot be imported.`,
      );
    }
  }
  const tree = await listTree(root, opts.limits ?? defaultImportLimits);
  const links = new Map<string, string>();
  let skipped = 0;
  for (const entry of tree) {
    if (entry.kind !== 'symlink') continue;
    const target = await realpath(entry.absolute).catch(() => undefined);
    if (target === undefined) continue;
    if (!inside(root, target)) {
      throw new ArchiveError(
        'unsafe_entry',
        `${entry.relative} is a symbolic link to a place outside the folder; remove it and import again.`,
      );
    }
    const targetRelative = path.relative(root, target).split(path.sep).join('/');
    links.set(entry.relative, path.posix.relative(path.posix.dirname(entry.relative), targetRelative) || '.');
  }

  await mkdir(dest, { mode: 0o755 });
  const summary: ImportSummary = { files: 0, bytes: 0, skipped: 0 };
  try {
    for (const entry of tree) {
      const target = path.join(dest, ...entry.relative.split('/'));
      if (entry.kind === 'dir') {
        await mkdir(target, { mode: 0o755 });
      } else if (entry.kind === 'symlink' && links.has(entry.relative)) {
        await symlink(links.get(entry.relative)!, target);
      } else if (entry.kind === 'file') {
        const handle = await openInside(root, entry.absolute);
        if (!handle) {
          skipped += 1;
          continue;
        }
        try {
          const data = await handle.readFile();
          await writeFile(target, data, { flag: 'wx', mode: entry.mode & 0o111 ? 0o755 : 0o644 });
          summary.files += 1;
          summary.bytes += data.length;
        } finally {
          await handle.close();
        }
      } else {
        skipped += 1;
      }
    }
  } catch (error) {
    await rm(dest, { recursive: true, force: true });
    throw error;
  }
  return { ...summary, skipped };
}
