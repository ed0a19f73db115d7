import { request } from '../api/http.ts';

export type CheckpointFileStatus = 'added' | 'modified' | 'deleted';

export interface Checkpoint {
  id: string;
  message: string;
  createdAt: number;
  sessionId: string | null;
  runId: string | null;
  messageId: string | null;
  /** Set on checkpoints made by restoring another one. */
  restoredFrom: string | null;
  files: { path: string; status: CheckpointFileStatus }[];
}

export interface CheckpointDiff {
  id: string;
  /** git's unified diff of every file, in the order of `files`; cut short when `truncated`. */
  diff: string;
  truncated: boolean;
  files: {
    path: string;
    status: CheckpointFileStatus;
    additions: number | null;
    deletions: number | null;
    binary: boolean;
  }[];
}

export interface RestoreResult {
  restoredFiles: string[];
  deletedFiles: string[];
  checkpoint?: Checkpoint;
}

const base = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/checkpoints`;

/** Newest first. */
export async function listCheckpoints(projectId: string, limit = 100) {
  return (await request<{ items: Checkpoint[] }>(base(projectId), { query: { limit } })).items;
}

export function checkpointDiff(projectId: string, checkpointId: string) {
  return request<CheckpointDiff>(`${base(projectId)}/${encodeURIComponent(checkpointId)}/diff`);
}

export function restoreCheckpoint(projectId: string, checkpointId: string) {
  return request<RestoreResult>(`${base(projectId)}/${encodeURIComponent(checkpointId)}/restore`, {
    method: 'POST',
  });
}
