import { ApiError, request } from '../api/http.ts';
import { listFiles } from '../files/files-api.ts';

export type PreviewStatus = 'stopped' | 'installing' | 'starting' | 'running' | 'crashed' | 'failed';

/** `POST|GET|DELETE /api/projects/:id/preview` (docs/protocol.md, "Preview"). */
export interface PreviewInfo {
  /** The app's address on its own origin; for a private preview it carries a fresh token. */
  url: string;
  status: PreviewStatus;
  startedAt?: number;
  readyAt?: number;
  exitCode?: number | null;
  /** Why it could not start (no aura.json, the install failed). */
  error?: string;
  /** The last lines of the install and dev server output. */
  logs?: string;
}

const previewPath = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/preview`;

/** Under the project's key, so invalidating the project refreshes its preview too. */
export const previewKey = (projectId: string) => ['projects', 'one', projectId, 'preview'] as const;

export function getPreview(projectId: string) {
  return request<PreviewInfo>(previewPath(projectId));
}

/** Starts or restarts the dev server; returns at once, the status says how it goes. */
export function startPreview(projectId: string, sessionId: string) {
  return request<PreviewInfo>(previewPath(projectId), {
    method: 'POST',
    body: { session: sessionId, wait: false },
  });
}

/**
 * Whether the project says how to run it: without an aura.json a start can only fail. Looked up
 * in the listing: asking for a file that is not there is answered 404, which the browser logs as
 * an error.
 */
export async function hasRunConfig(projectId: string): Promise<boolean> {
  const { entries, truncated } = await listFiles(projectId);
  if (entries.some((entry) => entry.path === 'aura.json' && entry.type === 'file')) return true;
  if (!truncated) return false;
  // A listing cut short may have stopped before it.
  try {
    await request(`/api/projects/${encodeURIComponent(projectId)}/files/aura.json`);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return false;
    throw error;
  }
}

/**
 * Whether the session has a run going on the server. The session's own events may not have
 * arrived yet when the workspace opens on a build that just started.
 */
export async function sessionRunning(sessionId: string): Promise<boolean> {
  const state = await request<{ running: boolean }>(`/api/sessions/${encodeURIComponent(sessionId)}/state`);
  return state.running;
}
