import {
  type Checkpoint,
  type CheckpointRepoOptions,
  listCheckpoints,
  type RestoreResult,
  restoreCheckpoint,
} from '@aura/engine';

/** How far back undo looks: more turns than anyone undoes one by one. */
const LOG_LIMIT = 1000;

/**
 * The agent turn whose changes the workspace holds now, and the checkpoint just before it. The log
 * is read newest first; a restore means "the files are as at checkpoint X", so the walk jumps to X
 * and goes on from there. That is what makes repeated undos step back one turn at a time.
 * Checkpoints of changes made outside the agent are passed over.
 */
export function lastTurnInEffect(
  log: readonly Checkpoint[],
): { turn: Checkpoint; before: Checkpoint } | undefined {
  const position = new Map(log.map((checkpoint, index) => [checkpoint.id, index]));
  let index = 0;
  while (index < log.length) {
    const checkpoint = log[index]!;
    if (checkpoint.restoredFrom) {
      const target = position.get(checkpoint.restoredFrom);
      // A restore of something newer, or beyond the log read: nothing to step back to safely.
      if (target === undefined || target <= index) return undefined;
      index = target;
      continue;
    }
    if (checkpoint.runId) {
      const before = log[index + 1];
      return before ? { turn: checkpoint, before } : undefined;
    }
    index += 1;
  }
  return undefined;
}

/** Restores the workspace to before the last agent turn that changed files; undefined when none did. */
export async function undoLastTurn(
  repo: CheckpointRepoOptions,
): Promise<({ turn: Checkpoint } & RestoreResult) | undefined> {
  const found = lastTurnInEffect(await listCheckpoints({ ...repo, limit: LOG_LIMIT }));
  if (!found) return undefined;
  const result = await restoreCheckpoint({ ...repo, id: found.before.id });
  return { turn: found.turn, ...result };
}

/** What `/undo` tells the person. */
export function describeUndo(undone: { turn: Checkpoint } & RestoreResult): string {
  const changes = [
    undone.restoredFiles.length > 0 ? `restored ${count(undone.restoredFiles.length, 'file')}` : '',
    undone.deletedFiles.length > 0 ? `removed ${count(undone.deletedFiles.length, 'file')}` : '',
  ].filter(Boolean);
  const what = changes.length > 0 ? changes.join(', ') : 'the files were already as they were before it';
  return `Undid "${undone.turn.message}": ${what}.`;
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
