export type CheckpointFileStatus = 'added' | 'modified' | 'deleted';

export interface CheckpointFile {
  /** Relative to the workspace, `/`-separated. */
  path: string;
  status: CheckpointFileStatus;
}

/** The agent turn a checkpoint belongs to. */
export interface CheckpointTurn {
  sessionId: string;
  runId: string;
  messageId: string;
}

export interface Checkpoint {
  /** The commit id (full SHA) in the checkpoint repository. */
  id: string;
  message: string;
  /** Epoch milliseconds (git keeps whole seconds). */
  createdAt: number;
  sessionId: string | null;
  runId: string | null;
  messageId: string | null;
  /** Set on the checkpoint a restore records: the checkpoint that was restored. */
  restoredFrom: string | null;
  /** What changed since the previous checkpoint. */
  files: CheckpointFile[];
}

export interface CheckpointRepoOptions {
  /** The workspace root (resolved with realpath). */
  workspace: string;
  /**
   * The checkpoint repository, created on first use. Keep it outside the workspace where possible
   * (the server uses `<dataDir>/checkpoints/<projectId>.git`): the agent cannot then rewrite history.
   */
  gitDir: string;
  /** Files larger than this are left out of checkpoints (default 20 MiB). */
  maxFileBytes?: number;
}

export interface CheckpointFileStat extends CheckpointFile {
  /** Lines added and removed; null for binary files. */
  additions: number | null;
  deletions: number | null;
  binary: boolean;
}

export interface CheckpointDiff {
  id: string;
  /** Unified diff of the checkpoint against the one before it (binary files named, not shown). */
  diff: string;
  /** The diff was cut at the size limit. */
  truncated: boolean;
  files: CheckpointFileStat[];
}

export interface RestoreResult {
  /** Files written back (modified since, or deleted since and re-created). */
  restoredFiles: string[];
  /** Files that did not exist at the checkpoint and were removed. */
  deletedFiles: string[];
  /** The checkpoint recording the restore (undo it by restoring the one before); absent when nothing changed. */
  checkpoint?: Checkpoint;
}
