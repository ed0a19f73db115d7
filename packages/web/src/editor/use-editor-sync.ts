import { useEffect, useRef } from 'react';
import type { FileChange } from '../state/session-view.ts';
import { tabsToRefresh } from './agent-changes.ts';
import { readTab } from './read-tabs.ts';
import type { Tab } from './tabs.ts';
import { workbench } from './workbench.ts';

/**
 * Keeps the open tabs in step with the disk: reads each new tab once, and reads again the files
 * the agent's changes touched (replayed history included — reading an unchanged file changes nothing).
 */
export function useEditorSync(projectId: string, tabs: readonly Tab[], fileChanges: readonly FileChange[]) {
  useEffect(() => workbench.attach(projectId), [projectId]);

  const reading = useRef(new Set<number>());
  useEffect(() => {
    for (const tab of tabs) {
      const unread = tab.base === null && !tab.binary && !tab.missing && !tab.error;
      if (!unread || reading.current.has(tab.id)) continue;
      reading.current.add(tab.id);
      void readTab(tab.id, 'open').finally(() => reading.current.delete(tab.id));
    }
  }, [tabs]);

  const seen = useRef(0);
  useEffect(() => {
    const fresh = fileChanges.filter((change) => change.seq > seen.current);
    const last = fresh.at(-1);
    if (!last) return;
    seen.current = last.seq;
    for (const id of tabsToRefresh(workbench.getState().tabs.tabs, fresh)) void readTab(id, 'agent');
  }, [fileChanges]);
}
