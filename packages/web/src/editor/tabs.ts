import { isSameOrInside, movedPath } from '../files/paths.ts';

/** Why a tab's text was (or would be) replaced by what is on disk. */
export type ReloadReason = 'open' | 'agent' | 'restore' | 'refresh';

export interface BinaryFile {
  size: number;
  base64: string;
}

export interface Tab {
  /** Stable while the tab lives, even when its file is renamed. */
  id: number;
  path: string;
  /** The text on disk, as last read or saved; null until the first read and for binary files. */
  base: string | null;
  /** A binary file: shown, not edited. */
  binary: BinaryFile | null;
  /** The editor's text differs from `base`. */
  dirty: boolean;
  /** What changed on disk under unsaved edits, until the person picks a side. */
  conflict: { text: string; reason: ReloadReason } | null;
  /** Bumped each time the editor must replace its text with `base`. */
  reloads: number;
  reloadReason: ReloadReason;
  /** The file is gone from disk; saving writes it again. */
  missing: boolean;
  error: string | null;
  /** Saves so far: a read that started before the latest save is stale. */
  saves: number;
}

export interface TabsState {
  tabs: Tab[];
  activeId: number | null;
  nextId: number;
}

export const noTabs: TabsState = { tabs: [], activeId: null, nextId: 1 };

export type DiskFile = { text: string } | { binary: BinaryFile };

export type TabsAction =
  | { type: 'open'; path: string }
  | { type: 'activate'; id: number }
  | { type: 'close'; id: number }
  | { type: 'read'; id: number; saves: number; file: DiskFile; reason: ReloadReason }
  | { type: 'readFailed'; id: number; saves: number; missing: boolean; error: string | null }
  | { type: 'edited'; id: number; dirty: boolean }
  | { type: 'saved'; id: number; text: string }
  | { type: 'resolve'; id: number; keep: 'disk' | 'mine' }
  | { type: 'moved'; from: string; to: string }
  | { type: 'deleted'; path: string };

export type Reconciled = 'load' | 'same' | 'reload' | 'conflict';

/**
 * What a fresh read of an open file means for its tab: the first text, nothing new, new text to
 * show (nothing unsaved would be lost), or a conflict with unsaved edits.
 */
export function reconcile(base: string | null, dirty: boolean, disk: string): Reconciled {
  if (base === null) return 'load';
  if (disk === base) return 'same';
  return dirty ? 'conflict' : 'reload';
}

export function tabsReducer(state: TabsState, action: TabsAction): TabsState {
  switch (action.type) {
    case 'open': {
      const open = state.tabs.find((tab) => tab.path === action.path);
      if (open) return { ...state, activeId: open.id };
      const tab = newTab(state.nextId, action.path);
      return { tabs: [...state.tabs, tab], activeId: tab.id, nextId: state.nextId + 1 };
    }
    case 'activate':
      return state.tabs.some((tab) => tab.id === action.id) ? { ...state, activeId: action.id } : state;
    case 'close':
      return close(state, action.id);
    case 'read':
      return update(state, action.id, (tab) => (tab.saves === action.saves ? read(tab, action) : tab));
    case 'readFailed':
      return update(state, action.id, (tab) =>
        tab.saves === action.saves ? { ...tab, missing: action.missing, error: action.error } : tab,
      );
    case 'edited':
      return update(state, action.id, (tab) =>
        tab.dirty === action.dirty ? tab : { ...tab, dirty: action.dirty },
      );
    case 'saved':
      return update(state, action.id, (tab) => ({
        ...tab,
        base: action.text,
        dirty: false,
        conflict: null,
        missing: false,
        error: null,
        saves: tab.saves + 1,
      }));
    case 'resolve':
      return update(state, action.id, (tab) => resolve(tab, action.keep));
    case 'moved':
      return {
        ...state,
        tabs: state.tabs.map((tab) => {
          const path = movedPath(tab.path, action.from, action.to);
          return path === null ? tab : { ...tab, path };
        }),
      };
    case 'deleted': {
      // Deleted here: tabs with nothing unsaved go too; unsaved edits stay, to be saved or dropped.
      const gone = state.tabs.filter((tab) => isSameOrInside(tab.path, action.path));
      let next = state;
      for (const tab of gone) {
        next = tab.dirty ? update(next, tab.id, (t) => ({ ...t, missing: true })) : close(next, tab.id);
      }
      return next;
    }
  }
}

export function activeTab(state: TabsState): Tab | null {
  return state.tabs.find((tab) => tab.id === state.activeId) ?? null;
}

function newTab(id: number, path: string): Tab {
  return {
    id,
    path,
    base: null,
    binary: null,
    dirty: false,
    conflict: null,
    reloads: 0,
    reloadReason: 'open',
    missing: false,
    error: null,
    saves: 0,
  };
}

function update(state: TabsState, id: number, change: (tab: Tab) => Tab): TabsState {
  let changed = false;
  const tabs = state.tabs.map((tab) => {
    if (tab.id !== id) return tab;
    const next = change(tab);
    changed ||= next !== tab;
    return next;
  });
  return changed ? { ...state, tabs } : state;
}

/** Closing the active tab activates its right neighbour, else its left one. */
function close(state: TabsState, id: number): TabsState {
  const at = state.tabs.findIndex((tab) => tab.id === id);
  if (at < 0) return state;
  const tabs = state.tabs.filter((tab) => tab.id !== id);
  if (state.activeId !== id) return { ...state, tabs };
  return { ...state, tabs, activeId: (tabs[at] ?? tabs[at - 1])?.id ?? null };
}

function read(tab: Tab, action: Extract<TabsAction, { type: 'read' }>): Tab {
  const found = { ...tab, missing: false, error: null };
  if ('binary' in action.file)
    return { ...found, binary: action.file.binary, base: null, dirty: false, conflict: null };
  const { text } = action.file;
  switch (reconcile(tab.base, tab.dirty, text)) {
    case 'load':
      return { ...found, binary: null, base: text, reloads: tab.reloads + 1, reloadReason: action.reason };
    case 'same':
      return tab.missing || tab.error || tab.conflict ? { ...found, conflict: null } : tab;
    case 'reload':
      return { ...found, base: text, conflict: null, reloads: tab.reloads + 1, reloadReason: action.reason };
    case 'conflict':
      return { ...found, conflict: { text, reason: action.reason } };
  }
}

function resolve(tab: Tab, keep: 'disk' | 'mine'): Tab {
  if (!tab.conflict) return tab;
  const { text, reason } = tab.conflict;
  // Keeping mine makes the disk text the new base, so the edits stay dirty and a save overwrites it.
  if (keep === 'mine') return { ...tab, base: text, conflict: null };
  return { ...tab, base: text, conflict: null, reloads: tab.reloads + 1, reloadReason: reason };
}
