import { stat } from 'node:fs/promises';
import path from 'node:path';
import { adoptEntry } from '../sandbox/ownership.ts';
import { resolveCheckpoint } from './checkpoints.ts';
import { git, nulFields, type Repo } from './git.ts';
import { withLock } from './lock.ts';
import { parseNameStatus } from './log.ts';
import { commitChanges, defaultMaxFileBytes, repoOf } from './repo.ts';
import type { CheckpointRepoOptions, RestoreResult } from './types.ts';

/**
 * Makes the workspace's checkpointed files exactly what they were at checkpoint `id`: files made
 * since are removed, changed ones rewritten, deleted ones re-created. Excluded and ignored files
 * are left alone. Uncheckpointed changes are recorded first, and the restore itself becomes a
 * checkpoint, so every step can be undone by restoring the one before it.
 */
export async function restoreCheckpoint(
  opts: CheckpointRepoOptions & { id: string },
): Promise<RestoreResult> {
  const repo = await repoOf(opts);
  const maxFileBytes = opts.maxFileBytes ?? defaultMaxFileBytes;
  return withLock(repo.gitDir, async () => {
    const target = await resolveCheckpoint(repo, opts.id);
    await commitChanges(repo, 'Changes before restore', {}, maxFileBytes);
    const { stdout } = await git(repo, ['diff', '--name-status', '-z', '--no-renames', 'HEAD', target, '--']);
    const changes = parseNameStatus(nulFields(stdout));
    if (changes.length === 0) return { restoredFiles: [], deletedFiles: [] };
    await git(repo, ['read-tree', '-u', '--reset', target]);
    const checkpoint = await commitChanges(
      repo,
      `Restored ${target.slice(0, 7)}`,
      { restoredFrom: target },
      maxFileBytes,
      { allowEmpty: true },
    );
    const restoredFiles = changes.filter((c) => c.status !== 'deleted').map((c) => c.path);
    await giveToWorkspaceOwner(repo, restoredFiles);
    return {
      restoredFiles,
      deletedFiles: changes.filter((c) => c.status === 'deleted').map((c) => c.path),
      ...(checkpoint ? { checkpoint } : {}),
    };
  });
}

/**
 * A server running as root writes restored files as root; the sandbox's unprivileged user must
 * still be able to change them, so they (and directories git created) take the workspace's owner.
 */
async function giveToWorkspaceOwner(repo: Repo, files: string[]): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const owner = await stat(repo.workspace);
  if (owner.uid === 0) return;
  const done = new Set<string>();
  for (const file of files) {
    let current = file;
    while (current !== '.' && current !== '' && !done.has(current)) {
      done.add(current);
      // Opened without following links and checked to be inside: a sandbox can't redirect it.
      await adoptEntry(repo.workspace, path.join(repo.workspace, current), owner).catch(() => undefined);
      current = path.posix.dirname(current);
    }
  }
}
