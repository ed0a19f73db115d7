import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { rereadTabs } from '../editor/read-tabs.ts';
import { workbench } from '../editor/workbench.ts';
import { deleteEntry, type FileEntry, makeFolder, moveEntry, writeFile } from './files-api.ts';
import { joinPath, pathProblem } from './paths.ts';
import { workspaceKeys } from './query-keys.ts';
import { base64Of, MAX_UPLOAD_FILES, type Upload } from './upload.ts';

export interface UploadProgress {
  done: number;
  total: number;
}

export interface FileActions {
  exists: (path: string) => boolean;
  createFile: (path: string) => Promise<void>;
  createFolder: (path: string) => Promise<void>;
  move: (from: string, to: string) => Promise<void>;
  remove: (path: string) => Promise<void>;
  /** Uploads into `dir`, one file at a time; resolves to the problems, one line per failed file. */
  upload: (
    dir: string,
    uploads: readonly Upload[],
    onProgress: (progress: UploadProgress) => void,
  ) => Promise<string[]>;
}

/** What the file tree can do to the workspace; each action refreshes the listing and open tabs. */
export function useFileActions(projectId: string, entries: readonly FileEntry[]): FileActions {
  const queryClient = useQueryClient();
  return useMemo(() => {
    const paths = new Set(entries.map((entry) => entry.path));
    const refresh = () => queryClient.invalidateQueries({ queryKey: workspaceKeys.files(projectId) });
    const mustBeNew = (path: string) => {
      const problem = pathProblem(path) ?? (paths.has(path) ? `${path} already exists.` : null);
      if (problem) throw new Error(problem);
    };
    return {
      exists: (path) => paths.has(path),
      async createFile(path) {
        mustBeNew(path);
        await writeFile(projectId, path, '');
        await refresh();
        workbench.openFile(path);
      },
      async createFolder(path) {
        mustBeNew(path);
        await makeFolder(projectId, path);
        await refresh();
      },
      async move(from, to) {
        mustBeNew(to);
        await moveEntry(projectId, from, to);
        workbench.dispatch({ type: 'moved', from, to });
        await refresh();
      },
      async remove(path) {
        await deleteEntry(projectId, path);
        workbench.dispatch({ type: 'deleted', path });
        await refresh();
      },
      async upload(dir, uploads, onProgress) {
        if (uploads.length > MAX_UPLOAD_FILES)
          return [`That is more than ${MAX_UPLOAD_FILES} files; upload fewer at a time, or import a zip.`];
        const problems: string[] = [];
        const written: string[] = [];
        for (const [index, { relative, file }] of uploads.entries()) {
          onProgress({ done: index, total: uploads.length });
          const path = joinPath(dir, relative);
          const problem = pathProblem(path);
          try {
            if (problem) throw new Error(problem);
            await writeFile(projectId, path, await base64Of(file), 'base64');
            written.push(path);
          } catch (error) {
            problems.push(`${relative}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
        onProgress({ done: uploads.length, total: uploads.length });
        await refresh();
        rereadTabs(written, 'refresh');
        return problems;
      },
    };
  }, [projectId, entries, queryClient]);
}
