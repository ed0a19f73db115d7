import { request } from '../../api/http.ts';

interface FileTree {
  entries: { path: string; type: 'file' | 'dir' | 'symlink' }[];
  truncated: boolean;
}

/** Under the project's key, so whatever refreshes the project refreshes this list too. */
export const projectFilesKey = (projectId: string) =>
  ['projects', 'one', projectId, 'chat-file-list'] as const;

/** The project's files (not directories), as workspace-relative paths. */
export async function listProjectFiles(
  projectId: string,
  signal: AbortSignal,
): Promise<{ paths: string[]; truncated: boolean }> {
  const tree = await request<FileTree>(`/api/projects/${encodeURIComponent(projectId)}/files`, { signal });
  const paths = tree.entries.filter((entry) => entry.type === 'file').map((entry) => entry.path);
  return { paths: paths.sort((a, b) => a.localeCompare(b)), truncated: tree.truncated };
}
