import { writeFile } from '../files/files-api.ts';
import { workbench } from './workbench.ts';

/** Writes a tab's text to its file; resolves to whether the file was missing (it now exists). */
export async function saveTab(tabId: number): Promise<{ created: boolean }> {
  const { projectId, tabs } = workbench.getState();
  const tab = tabs.tabs.find((t) => t.id === tabId);
  const text = workbench.textOf(tabId);
  if (!projectId || !tab || tab.binary || text === null) return { created: false };
  await writeFile(projectId, tab.path, text);
  workbench.dispatch({ type: 'saved', id: tabId, text });
  return { created: tab.missing };
}
