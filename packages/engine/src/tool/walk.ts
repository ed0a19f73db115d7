import type { Dirent } from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ALWAYS_SKIPPED_DIRS, GitignoreRules } from './ignore.ts';

export type EntryKind = 'file' | 'dir' | 'symlink' | 'other';

export interface WalkEntry {
  /** Path relative to the workspace, `/`-separated. */
  relative: string;
  absolute: string;
  name: string;
  kind: EntryKind;
}

export interface WalkOptions {
  /** Directory (absolute, already confined) to start from; default the workspace root. */
  start?: string;
  /**
   * Whether to descend into a directory named in ALWAYS_SKIPPED_DIRS (`.git`, `node_modules`).
   * Default: never.
   */
  enterSkipped?: (relative: string) => boolean;
  /** Apply .gitignore files: the workspace root's and those at or below `start`. */
  gitignore?: boolean;
  /** Files for which .gitignore is overridden (yielded even when ignored). */
  forceFile?: (relative: string) => boolean;
  signal?: AbortSignal;
  /** Stop after visiting this many entries (protects against huge trees). */
  maxEntries?: number;
  /** Filled in as the walk goes: how many entries were seen and whether maxEntries cut it short. */
  stats?: WalkStats;
}

export interface WalkStats {
  visited: number;
  limited: boolean;
}

function kindOf(entry: Dirent): EntryKind {
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  return 'other';
}

/** Byte-order name comparison, matching ripgrep's `--sort path`. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Depth-first walk of the workspace in name order, yielding files, directories and symlinks.
 * Symbolic links are reported but never followed, so a walk cannot leave the workspace.
 * Unreadable directories are skipped.
 */
export async function* walkWorkspace(
  workspace: string,
  options: WalkOptions = {},
): AsyncGenerator<WalkEntry> {
  const root = await realpath(workspace);
  const start = options.start ?? root;
  const startRelative = path.relative(root, start).split(path.sep).join('/');
  const rules = options.gitignore ? new GitignoreRules() : undefined;
  if (rules && startRelative !== '') await rules.load(root, '');
  let visited = 0;
  const maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;

  async function* visit(absoluteDir: string, relativeDir: string): AsyncGenerator<WalkEntry> {
    if (options.signal?.aborted) return;
    let entries: Dirent[];
    try {
      entries = await readdir(absoluteDir, { withFileTypes: true });
    } catch {
      return;
    }
    if (rules) await rules.load(absoluteDir, relativeDir);
    entries.sort((a, b) => compareNames(a.name, b.name));
    for (const entry of entries) {
      if (options.signal?.aborted) return;
      if (visited >= maxEntries) {
        if (options.stats) options.stats.limited = true;
        return;
      }
      visited += 1;
      if (options.stats) options.stats.visited = visited;
      const relative = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
      const kind = kindOf(entry);
      if (rules?.ignores(relative, kind === 'dir') && !(kind === 'file' && options.forceFile?.(relative)))
        continue;
      const absolute = path.join(absoluteDir, entry.name);
      if (kind === 'dir' && ALWAYS_SKIPPED_DIRS.has(entry.name) && !options.enterSkipped?.(relative))
        continue;
      yield { relative, absolute, name: entry.name, kind };
      if (kind === 'dir') yield* visit(absolute, relative);
    }
  }

  yield* visit(start, startRelative);
}
