import type { SessionInfo, SessionMode } from '@aura/protocol';
import { request } from './http.ts';

/** Sessions as the API returns them: without the workspace's host path. */
export type PublicSession = Omit<SessionInfo, 'directory'>;

export interface ModelInfo {
  id: string;
  provider: string;
  available: boolean;
}

export interface ModelList {
  items: ModelInfo[];
  scriptedAllowed: boolean;
}

export function createSession(
  projectId: string,
  input: { title?: string; model?: string; mode?: SessionMode },
) {
  return request<PublicSession>(`/api/projects/${encodeURIComponent(projectId)}/sessions`, {
    method: 'POST',
    body: input,
  });
}

/** The project's sessions, most recently active first. */
export async function listSessions(projectId: string, query: { limit: number; offset?: number }) {
  const path = `/api/projects/${encodeURIComponent(projectId)}/sessions`;
  return (await request<{ items: PublicSession[] }>(path, { query })).items;
}

/** Starts a run; its progress arrives over the session's event stream. */
export function postMessage(sessionId: string, input: { text: string; model?: string; mode?: SessionMode }) {
  return request<{ sessionId: string; runId: string }>(
    `/api/sessions/${encodeURIComponent(sessionId)}/messages`,
    { method: 'POST', body: input },
  );
}

export function listModels() {
  return request<ModelList>('/api/models');
}
