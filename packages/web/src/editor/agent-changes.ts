import { isSameOrInside } from '../files/paths.ts';
import type { DiskChange } from '../state/session-view.ts';
import type { Tab } from './tabs.ts';

/**
 * The open tabs whose files the agent's changes may have touched, to read again. A move reads
 * both ends: the file left one path (the tab will say so) and may have replaced another.
 */
export function tabsToRefresh(
  tabs: readonly Pick<Tab, 'id' | 'path'>[],
  changes: readonly DiskChange[],
): number[] {
  const touched = (tab: Pick<Tab, 'path'>) =>
    changes.some((change) => {
      switch (change.kind) {
        case 'unknown':
          return true;
        case 'moved':
          return isSameOrInside(tab.path, change.path) || isSameOrInside(tab.path, change.to);
        default:
          return isSameOrInside(tab.path, change.path);
      }
    });
  return tabs.filter(touched).map((tab) => tab.id);
}
