import { ApiError } from '../api/http.ts';
import { readFile } from '../files/files-api.ts';
import { isSameOrInside } from '../files/paths.ts';
import { errorMessage } from '../ui/alert.tsx';
import type { ReloadReason } from './tabs.ts';
import { workbench } from './workbench.ts';

/** Reads an open tab's file from the server into the tab (see `reconcile` for what that does). */
export async function readTab(tabId: number, reason: ReloadReason): Promise<void> {
  const { projectId, tabs } = workbench.getState();
  const tab = tabs.tabs.find((t) => t.id === tabId);
  if (!projectId || !tab) return;
  const { path, saves } = tab;
  // Tab ids start over in another project: an answer that comes back after a switch is dropped.
  const current = () => workbench.getState().projectId === projectId;
  try {
    const file = await readFile(projectId, path);
    if (!current()) return;
    workbench.dispatch({
      type: 'read',
      id: tabId,
      saves,
      reason,
      file:
        file.encoding === 'base64'
          ? { binary: { size: file.size, base64: file.content } }
          : { text: file.content },
    });
  } catch (error) {
    if (!current()) return;
    const missing = error instanceof ApiError && error.status === 404;
    workbench.dispatch({
      type: 'readFailed',
      id: tabId,
      saves,
      missing,
      error: missing ? null : errorMessage(error),
    });
  }
}

/** Reads again the open files at or under any of `paths`, or every open file. */
export function rereadTabs(paths: readonly string[] | 'all', reason: ReloadReason): void {
  for (const tab of workbench.getState().tabs.tabs) {
    if (paths === 'all' || paths.some((path) => isSameOrInside(tab.path, path))) void readTab(tab.id, reason);
  }
}
