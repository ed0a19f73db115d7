/**
 * The editor's API for the other panels (see packages/web/README.md). None of it loads
 * CodeMirror: that happens when the editor panel first shows a file.
 */
import { useMemo } from 'react';
import { type LanguageId, languageOf } from './languages.ts';
import { activeTab } from './tabs.ts';
import { useWorkbench } from './use-workbench.ts';
import { workbench } from './workbench.ts';

export type { LanguageId } from './languages.ts';

export interface ActiveFile {
  path: string;
  language: LanguageId | null;
  /** It has edits that are not saved yet. */
  dirty: boolean;
  /** Binary files are shown, not edited; `text()` is null for them. */
  binary: boolean;
  /** The text as the person sees it, unsaved edits included; null until it has loaded. */
  text: () => string | null;
}

/** Opens a file in the editor (a tab, made active), optionally at a 1-based line. */
export function useOpenFile(): (path: string, options?: { line?: number }) => void {
  return workbench.openFile;
}

/** Shows the agent's changes turn by turn, at a checkpoint (the newest when none is given). */
export function useShowChanges(): (checkpointId?: string) => void {
  return workbench.showChanges;
}

/** The file in the editor's active tab, or null when no file is open. */
export function useActiveFile(): ActiveFile | null {
  const tab = useWorkbench((state) => activeTab(state.tabs));
  return useMemo(
    () =>
      tab && {
        path: tab.path,
        language: languageOf(tab.path),
        dirty: tab.dirty,
        binary: tab.binary !== null,
        text: () => (tab.binary ? null : workbench.textOf(tab.id)),
      },
    [tab],
  );
}
