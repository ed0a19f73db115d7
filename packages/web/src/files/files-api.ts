import { request } from '../api/http.ts';
import { shellQuote } from './paths.ts';

export type EntryType = 'file' | 'dir' | 'symlink';

export interface FileEntry {
  path: string;
  type: EntryType;
}

export interface FileList {
  entries: readonly FileEntry[];
  /** The workspace has more entries than the server lists. */
  truncated: boolean;
}

export interface FileContent {
  path: string;
  size: number;
  modifiedAt: number;
  /** base64 for binary files. */
  encoding: 'utf8' | 'base64';
  content: string;
}

const projectPath = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}`;

/** The URL of one file: each segment encoded, the slashes kept. */
export function fileUrl(projectId: string, path: string): string {
  return `${projectPath(projectId)}/files/${path.split('/').map(encodeURIComponent).join('/')}`;
}

export function listFiles(projectId: string, signal?: AbortSignal) {
  return request<FileList>(`${projectPath(projectId)}/files`, signal ? { signal } : {});
}

export function readFile(projectId: string, path: string) {
  return request<FileContent>(fileUrl(projectId, path));
}

export function writeFile(
  projectId: string,
  path: string,
  content: string,
  encoding: FileContent['encoding'] = 'utf8',
) {
  return request<{ path: string; size: number }>(fileUrl(projectId, path), {
    method: 'PUT',
    body: { content, encoding },
  });
}

export function deleteEntry(projectId: string, path: string) {
  return request<void>(fileUrl(projectId, path), { method: 'DELETE' });
}

export function moveEntry(projectId: string, from: string, to: string) {
  return request<{ from: string; to: string }>(`${projectPath(projectId)}/files/move`, {
    method: 'POST',
    body: { from, to },
  });
}

/** The files API writes files only; an empty folder is made by a command in the project's sandbox. */
export async function makeFolder(projectId: string, path: string): Promise<void> {
  const result = await request<{ exitCode: number | null; stderr: string }>(
    `${projectPath(projectId)}/exec`,
    {
      method: 'POST',
      body: { command: `mkdir -p -- ${shellQuote(path)}`, timeout_ms: 15_000 },
    },
  );
  if (result.exitCode !== 0) throw new Error(result.stderr.trim() || `The folder ${path} could not be made.`);
}
