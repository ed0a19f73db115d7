import { readSetting, writeSetting } from '../ui/storage.ts';
import { activeTab, noTabs, type TabsAction, type TabsState, tabsReducer } from './tabs.ts';

/** A line to scroll to and put the cursor on, once; `nonce` tells repeated requests apart. */
export interface Reveal {
  tabId: number;
  line: number;
  nonce: number;
}

export interface WorkbenchState {
  projectId: string | null;
  tabs: TabsState;
  /** The editor panel shows the open files, or the agent's changes turn by turn. */
  mode: 'code' | 'changes';
  /** The checkpoint the changes view shows; null for the newest. */
  checkpointId: string | null;
  reveal: Reveal | null;
}

const initial: WorkbenchState = {
  projectId: null,
  tabs: noTabs,
  mode: 'code',
  checkpointId: null,
  reveal: null,
};

interface SavedTabs {
  paths: string[];
  active: string | null;
}

const storageKey = (projectId: string) => `aura.editor.tabs.${projectId}`;

/**
 * The editor's state, outside React, so that any panel can open a file or ask what is open
 * without a provider around the workspace: the chat attaches the current file, the preview
 * switches to its code. Open tabs are remembered per project and browser.
 */
export class Workbench {
  #state = initial;
  readonly #listeners = new Set<() => void>();
  /** Each open editor's live text (it may hold unsaved edits), by tab id. */
  readonly #texts = new Map<number, () => string>();
  #revealed = 0;
  #remembered: string | null = null;

  getState = (): WorkbenchState => this.#state;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** Shows a project's remembered tabs; until `detach`, changes to them are remembered. */
  attach(projectId: string): () => void {
    let tabs = noTabs;
    const saved = parseSaved(readSetting(storageKey(projectId)));
    for (const path of saved?.paths ?? []) tabs = tabsReducer(tabs, { type: 'open', path });
    const active = tabs.tabs.find((tab) => tab.path === saved?.active);
    if (active) tabs = tabsReducer(tabs, { type: 'activate', id: active.id });
    this.#remembered = null;
    this.#set({ ...initial, projectId, tabs });
    return () => {
      if (this.#state.projectId === projectId) this.#set(initial);
    };
  }

  dispatch = (action: TabsAction): void => {
    const tabs = tabsReducer(this.#state.tabs, action);
    if (tabs !== this.#state.tabs) this.#set({ ...this.#state, tabs });
  };

  openFile = (path: string, options: { line?: number } = {}): void => {
    const tabs = tabsReducer(this.#state.tabs, { type: 'open', path });
    const tab = activeTab(tabs);
    const reveal =
      tab && options.line !== undefined
        ? { tabId: tab.id, line: options.line, nonce: ++this.#revealed }
        : null;
    this.#set({ ...this.#state, tabs, mode: 'code', reveal: reveal ?? this.#state.reveal });
  };

  showChanges = (checkpointId: string | null = null): void => {
    this.#set({ ...this.#state, mode: 'changes', checkpointId });
  };

  showCode = (): void => {
    this.#set({ ...this.#state, mode: 'code' });
  };

  /** The editor of a tab reports where its live text is; the returned function forgets it. */
  registerText(tabId: number, text: () => string): () => void {
    this.#texts.set(tabId, text);
    return () => {
      if (this.#texts.get(tabId) === text) this.#texts.delete(tabId);
    };
  }

  /** A tab's text as the person sees it, unsaved edits included; null before it loaded. */
  textOf(tabId: number): string | null {
    const live = this.#texts.get(tabId);
    if (live) return live();
    return this.#state.tabs.tabs.find((tab) => tab.id === tabId)?.base ?? null;
  }

  /** Only the paths and the active one are kept, so most tab updates need no write. */
  #remember(projectId: string, tabs: TabsState): void {
    const saved: SavedTabs = {
      paths: tabs.tabs.map((tab) => tab.path),
      active: activeTab(tabs)?.path ?? null,
    };
    const text = saved.paths.length ? JSON.stringify(saved) : null;
    if (text === this.#remembered) return;
    this.#remembered = text;
    writeSetting(storageKey(projectId), text);
  }

  #set(next: WorkbenchState): void {
    const before = this.#state;
    this.#state = next;
    if (next.projectId && next.tabs !== before.tabs) this.#remember(next.projectId, next.tabs);
    for (const listener of this.#listeners) listener();
  }
}

function parseSaved(text: string | null): SavedTabs | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const { paths, active } = value as Record<string, unknown>;
    if (!Array.isArray(paths)) return null;
    return {
      paths: paths.filter((path): path is string => typeof path === 'string'),
      active: typeof active === 'string' ? active : null,
    };
  } catch {
    return null;
  }
}

/** The one workbench of the page: the IDE shows one project at a time. */
export const workbench = new Workbench();
