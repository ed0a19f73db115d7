import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { activeTab } from './tabs.ts';
import { Workbench } from './workbench.ts';

const storage = new Map<string, string>();

beforeEach(() => {
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => storage.set(key, value),
    removeItem: (key: string) => storage.delete(key),
  });
});

afterEach(() => {
  storage.clear();
  vi.unstubAllGlobals();
});

describe('Workbench', () => {
  it('opens files from anywhere and tells its subscribers', () => {
    const bench = new Workbench();
    bench.attach('p1');
    const listener = vi.fn();
    bench.subscribe(listener);
    bench.openFile('src/App.tsx');
    expect(activeTab(bench.getState().tabs)?.path).toBe('src/App.tsx');
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('asks to reveal a line each time one is given, and switches back to the code', () => {
    const bench = new Workbench();
    bench.attach('p1');
    bench.showChanges('c1');
    expect(bench.getState()).toMatchObject({ mode: 'changes', checkpointId: 'c1' });
    bench.openFile('a.ts', { line: 12 });
    const first = bench.getState().reveal;
    bench.openFile('a.ts', { line: 12 });
    expect(bench.getState().mode).toBe('code');
    expect(first).toMatchObject({ tabId: 1, line: 12 });
    expect(bench.getState().reveal?.nonce).toBeGreaterThan(first!.nonce);
  });

  it('remembers open tabs per project and forgets them on detach', () => {
    const bench = new Workbench();
    const detach = bench.attach('p1');
    bench.openFile('a.ts');
    bench.openFile('b.ts');
    bench.dispatch({ type: 'activate', id: 1 });
    detach();
    expect(bench.getState().tabs.tabs).toEqual([]);

    bench.attach('p2');
    expect(bench.getState().tabs.tabs).toEqual([]);
    bench.attach('p1');
    const { tabs } = bench.getState();
    expect(tabs.tabs.map((tab) => tab.path)).toEqual(['a.ts', 'b.ts']);
    expect(activeTab(tabs)?.path).toBe('a.ts');
  });

  it('ignores remembered tabs it cannot read', () => {
    storage.set('aura.editor.tabs.p1', '{"paths": "nope"}');
    const bench = new Workbench();
    bench.attach('p1');
    expect(bench.getState().tabs.tabs).toEqual([]);
  });

  it('reads a tab’s live text from its editor, else what was loaded', () => {
    const bench = new Workbench();
    bench.attach('p1');
    bench.openFile('a.ts');
    bench.dispatch({ type: 'read', id: 1, saves: 0, file: { text: 'disk' }, reason: 'open' });
    expect(bench.textOf(1)).toBe('disk');
    const forget = bench.registerText(1, () => 'typed');
    expect(bench.textOf(1)).toBe('typed');
    forget();
    expect(bench.textOf(1)).toBe('disk');
    expect(bench.textOf(7)).toBeNull();
  });
});
