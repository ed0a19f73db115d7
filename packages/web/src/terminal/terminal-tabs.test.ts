import { describe, expect, it } from 'vitest';
import { endedNotice, noTabs, type TabAction, type TerminalTabs, terminalTabs } from './terminal-tabs.ts';

const run = (...actions: TabAction[]): TerminalTabs => actions.reduce(terminalTabs, noTabs);
const add: TabAction = { type: 'add' };

describe('terminal tabs', () => {
  it('adds numbered tabs that open and become active', () => {
    const tabs = run(add, add);
    expect(tabs.tabs).toEqual([
      { key: 1, title: 'Terminal 1', state: { kind: 'opening' } },
      { key: 2, title: 'Terminal 2', state: { kind: 'opening' } },
    ]);
    expect(tabs.active).toBe(2);
  });

  it('never reuses a number after a tab closes', () => {
    const tabs = run(add, add, { type: 'close', key: 2 }, add);
    expect(tabs.tabs.map((t) => t.title)).toEqual(['Terminal 1', 'Terminal 3']);
  });

  it('activates the next tab when the active one closes, else the previous, else none', () => {
    expect(run(add, add, add, { type: 'select', key: 2 }, { type: 'close', key: 2 }).active).toBe(3);
    expect(run(add, add, add, { type: 'close', key: 3 }).active).toBe(2);
    expect(run(add, { type: 'close', key: 1 }).active).toBeNull();
  });

  it('keeps the active tab when another one closes, and ignores unknown keys', () => {
    const tabs = run(add, add, { type: 'select', key: 1 });
    expect(terminalTabs(tabs, { type: 'close', key: 2 }).active).toBe(1);
    expect(terminalTabs(tabs, { type: 'close', key: 9 })).toBe(tabs);
    expect(terminalTabs(tabs, { type: 'select', key: 9 })).toBe(tabs);
  });

  it('records the state of one tab', () => {
    const tabs = run(add, add, { type: 'state', key: 1, state: { kind: 'exited', exitCode: 0 } });
    expect(tabs.tabs.map((t) => t.state.kind)).toEqual(['exited', 'opening']);
  });
});

describe('ended notice', () => {
  it('says why a shell is over, and nothing while it runs', () => {
    expect(endedNotice({ kind: 'live' })).toBeNull();
    expect(endedNotice({ kind: 'opening' })).toBeNull();
    expect(endedNotice({ kind: 'exited', exitCode: 130 })).toBe('The shell exited with code 130.');
    expect(endedNotice({ kind: 'exited', exitCode: null })).toBe('The shell was stopped.');
    expect(endedNotice({ kind: 'lost' })).toMatch(/terminal ended.*open a new one/i);
    expect(endedNotice({ kind: 'failed', message: 'Too many terminals.' })).toBe('Too many terminals.');
  });
});
