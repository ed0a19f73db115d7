import { describe, expect, it } from 'vitest';
import {
  activeTab,
  noTabs,
  reconcile,
  type Tab,
  type TabsAction,
  type TabsState,
  tabsReducer,
} from './tabs.ts';

const run = (...actions: TabsAction[]) => actions.reduce(tabsReducer, noTabs);
const tab = (state: TabsState, path: string): Tab => {
  const found = state.tabs.find((t) => t.path === path);
  if (!found) throw new Error(`no tab for ${path}`);
  return found;
};
const read = (id: number, text: string, reason: 'open' | 'agent' = 'agent', saves = 0): TabsAction => ({
  type: 'read',
  id,
  saves,
  file: { text },
  reason,
});

describe('reconcile', () => {
  it('loads the first read, ignores the same text, reloads a clean tab and flags a dirty one', () => {
    expect(reconcile(null, false, 'a')).toBe('load');
    expect(reconcile('a', true, 'a')).toBe('same');
    expect(reconcile('a', false, 'b')).toBe('reload');
    expect(reconcile('a', true, 'b')).toBe('conflict');
  });
});

describe('opening, switching and closing tabs', () => {
  it('opens each path once and activates it', () => {
    const state = run(
      { type: 'open', path: 'a.ts' },
      { type: 'open', path: 'b.ts' },
      { type: 'open', path: 'a.ts' },
    );
    expect(state.tabs.map((t) => t.path)).toEqual(['a.ts', 'b.ts']);
    expect(activeTab(state)?.path).toBe('a.ts');
  });

  it('activates the right neighbour of a closed active tab, else the left one', () => {
    let state = run(
      { type: 'open', path: 'a' },
      { type: 'open', path: 'b' },
      { type: 'open', path: 'c' },
      { type: 'activate', id: 2 },
      { type: 'close', id: 2 },
    );
    expect(activeTab(state)?.path).toBe('c');
    state = tabsReducer(state, { type: 'close', id: 3 });
    expect(activeTab(state)?.path).toBe('a');
    state = tabsReducer(state, { type: 'close', id: 1 });
    expect(state).toMatchObject({ tabs: [], activeId: null });
  });

  it('keeps the active tab when another one closes', () => {
    const state = run({ type: 'open', path: 'a' }, { type: 'open', path: 'b' }, { type: 'close', id: 1 });
    expect(activeTab(state)?.path).toBe('b');
  });

  it('ignores actions for tabs that are gone', () => {
    const state = run({ type: 'open', path: 'a' });
    expect(tabsReducer(state, { type: 'activate', id: 9 })).toBe(state);
    expect(tabsReducer(state, read(9, 'x'))).toBe(state);
    expect(tabsReducer(state, { type: 'close', id: 9 })).toBe(state);
  });
});

describe('dirty state and saving', () => {
  it('loads the text of a new tab and asks the editor to show it', () => {
    const state = run({ type: 'open', path: 'a' }, read(1, 'hello', 'open'));
    expect(tab(state, 'a')).toMatchObject({ base: 'hello', reloads: 1, reloadReason: 'open', dirty: false });
  });

  it('follows the editor’s dirty flag without churning when it does not change', () => {
    const state = run({ type: 'open', path: 'a' }, read(1, 'x'), { type: 'edited', id: 1, dirty: true });
    expect(tab(state, 'a').dirty).toBe(true);
    expect(tabsReducer(state, { type: 'edited', id: 1, dirty: true })).toBe(state);
  });

  it('makes the saved text the new base and drops reads started before the save', () => {
    const state = run(
      { type: 'open', path: 'a' },
      read(1, 'old', 'open'),
      { type: 'edited', id: 1, dirty: true },
      { type: 'saved', id: 1, text: 'mine' },
      read(1, 'old', 'agent', 0),
    );
    expect(tab(state, 'a')).toMatchObject({ base: 'mine', dirty: false, saves: 1, reloads: 1 });
  });

  it('keeps a binary file as it is: shown, never dirty', () => {
    const state = run(
      { type: 'open', path: 'logo.png' },
      { type: 'read', id: 1, saves: 0, file: { binary: { size: 3, base64: 'AAEC' } }, reason: 'open' },
    );
    expect(tab(state, 'logo.png')).toMatchObject({ binary: { size: 3, base64: 'AAEC' }, base: null });
  });
});

describe('when the agent changes an open file', () => {
  const opened = run({ type: 'open', path: 'a' }, read(1, 'v1', 'open'));

  it('reloads a tab without unsaved edits, saying why', () => {
    const state = tabsReducer(opened, read(1, 'v2', 'agent'));
    expect(tab(state, 'a')).toMatchObject({ base: 'v2', reloads: 2, reloadReason: 'agent', conflict: null });
  });

  it('does nothing when the text on disk did not change', () => {
    expect(tabsReducer(opened, read(1, 'v1'))).toBe(opened);
  });

  it('keeps unsaved edits and asks: reload takes the agent’s text', () => {
    const dirty = tabsReducer(opened, { type: 'edited', id: 1, dirty: true });
    const conflicted = tabsReducer(dirty, read(1, 'v2', 'agent'));
    expect(tab(conflicted, 'a')).toMatchObject({
      base: 'v1',
      reloads: 1,
      conflict: { text: 'v2', reason: 'agent' },
    });
    const reloaded = tabsReducer(conflicted, { type: 'resolve', id: 1, keep: 'disk' });
    expect(tab(reloaded, 'a')).toMatchObject({
      base: 'v2',
      reloads: 2,
      reloadReason: 'agent',
      conflict: null,
    });
  });

  it('keeps unsaved edits and asks: keep mine stays dirty against the agent’s text', () => {
    const conflicted = run(
      { type: 'open', path: 'a' },
      read(1, 'v1', 'open'),
      { type: 'edited', id: 1, dirty: true },
      read(1, 'v2'),
    );
    const kept = tabsReducer(conflicted, { type: 'resolve', id: 1, keep: 'mine' });
    expect(tab(kept, 'a')).toMatchObject({ base: 'v2', reloads: 1, dirty: true, conflict: null });
  });

  it('updates a pending conflict to the newest text, and drops it when the file goes back', () => {
    const conflicted = run(
      { type: 'open', path: 'a' },
      read(1, 'v1', 'open'),
      { type: 'edited', id: 1, dirty: true },
      read(1, 'v2'),
      read(1, 'v3'),
    );
    expect(tab(conflicted, 'a').conflict?.text).toBe('v3');
    expect(tab(tabsReducer(conflicted, read(1, 'v1')), 'a').conflict).toBeNull();
  });

  it('marks a file deleted on disk as missing, and found again when it comes back', () => {
    const missing = tabsReducer(opened, { type: 'readFailed', id: 1, saves: 0, missing: true, error: null });
    expect(tab(missing, 'a').missing).toBe(true);
    expect(tab(tabsReducer(missing, read(1, 'v1')), 'a').missing).toBe(false);
  });
});

describe('renames and deletes in the file tree', () => {
  it('follows a file or folder that moved', () => {
    const state = run(
      { type: 'open', path: 'src/x/a.ts' },
      { type: 'open', path: 'src/xy.ts' },
      { type: 'moved', from: 'src/x', to: 'lib/x' },
    );
    expect(state.tabs.map((t) => [t.id, t.path])).toEqual([
      [1, 'lib/x/a.ts'],
      [2, 'src/xy.ts'],
    ]);
  });

  it('closes tabs of deleted files, except those with unsaved edits, which are marked missing', () => {
    const state = run(
      { type: 'open', path: 'src/a.ts' },
      { type: 'open', path: 'src/b.ts' },
      { type: 'open', path: 'main.ts' },
      { type: 'edited', id: 2, dirty: true },
      { type: 'deleted', path: 'src' },
    );
    expect(state.tabs.map((t) => [t.path, t.missing])).toEqual([
      ['src/b.ts', true],
      ['main.ts', false],
    ]);
  });
});
