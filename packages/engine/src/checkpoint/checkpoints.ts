import { CheckpointNotFoundError } from './errors.ts';
import { git, nulFields, type Repo } from './git.ts';
import { withLock } from './lock.ts';
import { parseNameStatus, readLog } from './log.ts';
import { commitChanges, defaultMaxFileBytes, ensureRepo, repoExists, repoOf } from './repo.ts';
import type {
  Checkpoint,
  CheckpointDiff,
  CheckpointFileStat,
  CheckpointRepoOptions,
  CheckpointTurn,
} from './types.ts';

const defaultMaxDiffBytes = 512 * 1024;

/**
 * Records what changed in the workspace during an agent turn. Returns undefined when nothing
 * changed. The first call on a workspace also records its state before anything else.
 */
export async function checkpointTurn(
  opts: CheckpointRepoOptions & { message: string; turn: CheckpointTurn },
): Promise<Checkpoint | undefined> {
  const repo = await repoOf(opts);
  const maxFileBytes = opts.maxFileBytes ?? defaultMaxFileBytes;
  return withLock(repo.gitDir, async () => {
    await ensureRepo(repo, maxFileBytes);
    return commitChanges(repo, opts.message, { ...opts.turn }, maxFileBytes);
  });
}

/**
 * Records changes made outside any turn (file API, editor, imports) so a turn's checkpoint holds
 * only that turn's work. On first use this is the initial checkpoint of the workspace.
 */
export async function checkpointPending(
  opts: CheckpointRepoOptions & { message?: string },
): Promise<Checkpoint | undefined> {
  const repo = await repoOf(opts);
  const maxFileBytes = opts.maxFileBytes ?? defaultMaxFileBytes;
  return withLock(repo.gitDir, async () => {
    const initial = await ensureRepo(repo, maxFileBytes);
    return initial ?? commitChanges(repo, opts.message ?? 'Changes made outside the agent', {}, maxFileBytes);
  });
}

/** Checkpoints, newest first (default 50, at most 1000); none before the first one is recorded. */
export async function listCheckpoints(
  opts: CheckpointRepoOptions & { limit?: number },
): Promise<Checkpoint[]> {
  const repo = await repoOf(opts);
  if (!repoExists(repo)) return [];
  const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? 50)), 1000);
  return withLock(repo.gitDir, () => readLog(repo, 'HEAD', limit));
}

/** The full id of a checkpoint in this workspace's history, or CheckpointNotFoundError. */
export async function resolveCheckpoint(repo: Repo, id: string): Promise<string> {
  if (!/^[0-9a-f]{4,64}$/i.test(id) || !repoExists(repo)) throw new CheckpointNotFoundError(id);
  const parsed = await git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${id}^{commit}`], {
    okCodes: [1, 128],
  });
  const sha = parsed.stdout.toString('utf8').trim();
  if (parsed.code !== 0 || !sha) throw new CheckpointNotFoundError(id);
  const ancestor = await git(repo, ['merge-base', '--is-ancestor', sha, 'HEAD'], { okCodes: [1] });
  if (ancestor.code !== 0) throw new CheckpointNotFoundError(id);
  return sha;
}

/** What a checkpoint changed against the one before it: a unified diff (capped) and per-file stats. */
export async function diffCheckpoint(
  opts: CheckpointRepoOptions & { id: string; maxBytes?: number },
): Promise<CheckpointDiff> {
  const repo = await repoOf(opts);
  return withLock(repo.gitDir, async () => {
    const id = await resolveCheckpoint(repo, opts.id);
    const base = ['diff-tree', '-r', '--root', '--no-commit-id', '--no-renames'];
    const [names, numstat, patch] = await Promise.all([
      git(repo, [...base, '-z', '--name-status', id]),
      git(repo, [...base, '-z', '--numstat', id]),
      git(repo, [...base, '-p', '--no-color', '--no-ext-diff', '--no-textconv', id], {
        maxStdout: opts.maxBytes ?? defaultMaxDiffBytes,
      }),
    ]);
    const counts = new Map<string, { additions: number | null; deletions: number | null }>();
    for (const field of nulFields(numstat.stdout)) {
      const [added = '-', deleted = '-', ...rest] = field.split('\t');
      counts.set(rest.join('\t'), {
        additions: added === '-' ? null : Number(added),
        deletions: deleted === '-' ? null : Number(deleted),
      });
    }
    const files: CheckpointFileStat[] = parseNameStatus(nulFields(names.stdout)).map((file) => {
      const count = counts.get(file.path) ?? { additions: null, deletions: null };
      return { ...file, ...count, binary: count.additions === null };
    });
    return { id, diff: patch.stdout.toString('utf8'), truncated: patch.truncated, files };
  });
}
