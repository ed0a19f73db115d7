import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { attributesFileText, excludeFileText } from './excludes.ts';
import { git, nulFields, type Repo } from './git.ts';
import { type CheckpointTrailers, commitMessage, parseNameStatus, readLog } from './log.ts';
import type { Checkpoint, CheckpointRepoOptions } from './types.ts';

export const defaultMaxFileBytes = 20 * 1024 * 1024;

export async function repoOf(opts: CheckpointRepoOptions): Promise<Repo> {
  return { workspace: await realpath(opts.workspace), gitDir: path.resolve(opts.gitDir) };
}

export function repoExists(repo: Repo): boolean {
  return existsSync(path.join(repo.gitDir, 'HEAD'));
}

async function writeIfChanged(file: string, text: string): Promise<void> {
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current !== text) await writeFile(file, text);
}

/**
 * Creates the checkpoint repository on first use, with a first checkpoint of the workspace as it
 * is then (returned); afterwards only refreshes its exclude and attribute files.
 */
export async function ensureRepo(repo: Repo, maxFileBytes: number): Promise<Checkpoint | undefined> {
  const fresh = !repoExists(repo);
  if (fresh) {
    await mkdir(path.dirname(repo.gitDir), { recursive: true });
    await git(repo, ['init', '-q', '--template=']);
  }
  await mkdir(path.join(repo.gitDir, 'info'), { recursive: true });
  await writeIfChanged(path.join(repo.gitDir, 'info', 'exclude'), excludeFileText());
  await writeIfChanged(path.join(repo.gitDir, 'info', 'attributes'), attributesFileText());
  return fresh ? commitChanges(repo, 'Initial state', {}, maxFileBytes, { allowEmpty: true }) : undefined;
}

/**
 * Paths whose work-tree state the index does not have yet (`git status` column Y), without
 * embedded repositories. Changes already staged (after a restore) need no `add`.
 */
async function changedPaths(repo: Repo): Promise<{ path: string; deleted: boolean }[]> {
  const { stdout } = await git(repo, [
    'status',
    '--porcelain=v1',
    '-z',
    '--untracked-files=all',
    '--no-renames',
    '--ignore-submodules=all',
  ]);
  return nulFields(stdout)
    .map((field) => ({ xy: field.slice(0, 2), path: field.slice(3) }))
    .filter((entry) => entry.path !== '' && !entry.path.endsWith('/') && entry.xy[1] !== ' ')
    .map((entry) => ({ path: entry.path, deleted: entry.xy[1] === 'D' }));
}

async function tooLarge(repo: Repo, relative: string, maxFileBytes: number): Promise<boolean> {
  try {
    const info = await lstat(path.join(repo.workspace, relative));
    return info.isFile() && info.size > maxFileBytes;
  } catch {
    return false;
  }
}

/**
 * Commits whatever changed in the workspace since the last checkpoint. Returns the new checkpoint,
 * or undefined when nothing changed (unless `allowEmpty`).
 */
export async function commitChanges(
  repo: Repo,
  subject: string,
  trailers: CheckpointTrailers,
  maxFileBytes: number,
  opts: { allowEmpty?: boolean } = {},
): Promise<Checkpoint | undefined> {
  const changed = await changedPaths(repo);
  const paths: string[] = [];
  for (const entry of changed) {
    if (entry.deleted || !(await tooLarge(repo, entry.path, maxFileBytes))) paths.push(entry.path);
  }
  if (paths.length > 0) {
    await git(repo, ['add', '-A', '--pathspec-from-file=-', '--pathspec-file-nul'], {
      input: `${paths.join('\0')}\0`,
    });
  }
  if (!opts.allowEmpty && (await stagedFiles(repo)) === 0) return undefined;
  await git(repo, ['commit', '-q', '--no-verify', '--allow-empty', '-F', '-'], {
    input: commitMessage(subject, trailers),
  });
  return (await readLog(repo, 'HEAD', 1))[0];
}

/** How many files the index holds that the last checkpoint does not. */
async function stagedFiles(repo: Repo): Promise<number> {
  const { stdout } = await git(repo, ['diff', '--cached', '--name-status', '-z', '--no-renames']);
  return parseNameStatus(nulFields(stdout)).length;
}
