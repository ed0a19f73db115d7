import path from 'node:path';
import type { EventInput, RunStatus } from '@aura/protocol';
import { checkpointPending, checkpointTurn } from './checkpoints.ts';
import type { CheckpointTurn } from './types.ts';

export interface TurnCheckpoints {
  /** Records the turn's changes (emitting `checkpoint_created`), if it made any. */
  finish(turn: CheckpointTurn, request: string, status: RunStatus): Promise<void>;
}

/** `checkpoints` in the run options: where the workspace's checkpoint repository lives. */
export interface CheckpointRunOptions {
  gitDir: string;
  maxFileBytes?: number;
}

/**
 * Called as a turn starts: records changes made since the last checkpoint (or the workspace's
 * starting state), so the turn's own checkpoint holds exactly what the turn did. Checkpoint
 * failures become `error` events of kind `checkpoint` and never fail the turn.
 */
export async function beginTurnCheckpoints(
  workspace: string,
  options: CheckpointRunOptions,
  emit: (event: EventInput) => unknown,
): Promise<TurnCheckpoints> {
  const repo = { workspace, ...options };
  // Clients never see host paths: git's messages name them.
  const hidePaths = (text: string) =>
    text
      .replaceAll(workspace, '<workspace>')
      .replaceAll(path.dirname(path.resolve(options.gitDir)), '<checkpoints>')
      .replace(/(^|[\s'"(])\/[^\s'"):]+/g, '$1<path>');
  const report = (error: unknown) =>
    emit({
      type: 'error',
      data: {
        message: `Could not record a checkpoint: ${hidePaths(error instanceof Error ? error.message : String(error))}`,
        kind: 'checkpoint',
      },
    });
  await checkpointPending(repo).catch(report);
  return {
    async finish(turn, request, status) {
      try {
        const checkpoint = await checkpointTurn({ ...repo, message: turnMessage(request, status), turn });
        if (!checkpoint) return;
        emit({
          type: 'checkpoint_created',
          data: { id: checkpoint.id, turn, message: checkpoint.message, files: checkpoint.files },
        });
      } catch (error) {
        report(error);
      }
    },
  };
}

/** The request's first line, shortened, noting a turn that did not complete. */
export function turnMessage(request: string, status: RunStatus): string {
  const line = request.split('\n').find((l) => l.trim() !== '') ?? '';
  const short = line.trim().length > 100 ? `${line.trim().slice(0, 99)}…` : line.trim();
  const title = short || 'Agent turn';
  return status === 'completed' ? title : `${title} (${status.replace('_', ' ')})`;
}
