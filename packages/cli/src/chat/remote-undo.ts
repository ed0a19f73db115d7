import { lastTurnInEffect } from './undo-plan.ts';

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
 * What `/undo` restores, from the project's checkpoints (newest first): this session's last turn
 * still in effect (see lastTurnInEffect), so a second `/undo` undoes the turn before. Undefined
 * when the session has no turn left to undo within the list.
 */
export function planUndo(checkpoints: CheckpointSummary[], sessionId: string): UndoPlan | undefined {
  const found = lastTurnInEffect(
    checkpoints,
    (checkpoint) => checkpoint.sessionId === sessionId && checkpoint.runId !== null,
  );
  return found && { turn: found.turn, restoreTo: found.before };
}
