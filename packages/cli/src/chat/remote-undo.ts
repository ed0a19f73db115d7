/** A checkpoint as `GET /api/projects/:id/checkpoints` lists it. */
export interface CheckpointSummary {
  id: string;
  message: string;
  sessionId: string | null;
  runId: string | null;
  restoredFrom: string | null;
}

export interface UndoPlan {
  /** The session's last turn that changed files, as the workspace is now. */
  turn: CheckpointSummary;
  /** The checkpoint just before it: restoring it undoes the turn. */
  restoreTo: CheckpointSummary;
}

/**
 * What `/undo` restores, from the project's checkpoints (newest first). A restore leaves the
 * workspace as the checkpoint it restored, so the search continues from that one: a second
 * `/undo` undoes the turn before, instead of the same turn again. Undefined when the session has
 * no turn left to undo within the list.
 */
export function planUndo(checkpoints: CheckpointSummary[], sessionId: string): UndoPlan | undefined {
  let index = 0;
  for (;;) {
    const restoredFrom = checkpoints[index]?.restoredFrom;
    if (!restoredFrom) break;
    const source = checkpoints.findIndex((checkpoint) => checkpoint.id === restoredFrom);
    // Restores only go back to older checkpoints (later in the list); anything else is unusable.
    if (source <= index) return undefined;
    index = source;
  }
  for (let i = index; i < checkpoints.length; i++) {
    const turn = checkpoints[i]!;
    if (turn.sessionId !== sessionId || turn.runId === null) continue;
    const restoreTo = checkpoints[i + 1];
    return restoreTo ? { turn, restoreTo } : undefined;
  }
  return undefined;
}
