import { describe, expect, it } from 'vitest';
import { tabsToRefresh } from './agent-changes.ts';

const tabs = [
  { id: 1, path: 'src/App.tsx' },
  { id: 2, path: 'src/lib/util.ts' },
  { id: 3, path: 'README.md' },
];

describe('tabsToRefresh', () => {
  it('reads again the files the agent wrote or deleted, folders included', () => {
    expect(tabsToRefresh(tabs, [{ kind: 'written', path: 'src/App.tsx' }])).toEqual([1]);
    expect(tabsToRefresh(tabs, [{ kind: 'deleted', path: 'src/lib' }])).toEqual([2]);
    expect(tabsToRefresh(tabs, [{ kind: 'written', path: 'src/App' }])).toEqual([]);
  });

  it('reads both ends of a move', () => {
    expect(tabsToRefresh(tabs, [{ kind: 'moved', path: 'src/lib', to: 'README.md' }])).toEqual([2, 3]);
  });

  it('reads every tab after a command, which may have changed anything', () => {
    expect(tabsToRefresh(tabs, [{ kind: 'written', path: 'x' }, { kind: 'unknown' }])).toEqual([1, 2, 3]);
  });
});
