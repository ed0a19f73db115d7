/** What undo needs of a checkpoint, locally (engine checkpoints) and remotely (the API's list). */
export interface CheckpointLink {
  id: string;
  runId: string | null;
  /** Set on the checkpoint a restore records: the checkpoint that was restored. */
  restoredFrom: string | null;
}

/**
 * The agent turn whose changes the workspace holds now, and the checkpoint just before it. The log
 * is read newest first; a restore means "the files are as at checkpoint X", so the walk jumps to X
 * and goes on from there. That is what makes repeated undos step back one turn at a time.
 * Checkpoints that are not turns (`isTurn`: by default, any agent run's) are passed over.
 */
export function lastTurnInEffect<C extends CheckpointLink>(
  log: readonly C[],
  isTurn: (checkpoint: C) => boolean = (checkpoint) => checkpoint.runId !== null,
): { turn: C; before: C } | undefined {
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
    if (isTurn(checkpoint)) {
      const before = log[index + 1];
      return before ? { turn: checkpoint, before } : undefined;
    }
    index += 1;
  }
  return undefined;
}
