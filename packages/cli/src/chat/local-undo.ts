import {
  type Checkpoint,
  type CheckpointRepoOptions,
  listCheckpoints,
  type RestoreResult,
  restoreCheckpoint,
} from '@aura/engine';
import { lastTurnInEffect } from './undo-plan.ts';

/** How far back undo looks: more turns than anyone undoes one by one. */
const LOG_LIMIT = 1000;

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
