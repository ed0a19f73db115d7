import { describe, expect, it } from 'vitest';
import { buildTree, visibleRows } from './tree.ts';
import { treeKeyCommand } from './tree-keys.ts';

const roots = buildTree([
  { path: 'src', type: 'dir' },
  { path: 'src/App.tsx', type: 'file' },
  { path: 'src/main.tsx', type: 'file' },
  { path: 'empty', type: 'dir' },
  { path: 'index.html', type: 'file' },
  { path: 'README.md', type: 'file' },
]);
const expanded = new Set(['src', 'empty']);
const rows = visibleRows(roots, expanded);
const press = (focused: string | null, key: string) => treeKeyCommand(rows, focused, key, expanded);

describe('treeKeyCommand', () => {
  it('moves down and up through the visible rows, stopping at the ends', () => {
    expect(rows.map((row) => row.node.path)).toEqual([
      'empty',
      'src',
      'src/App.tsx',
      'src/main.tsx',
      'index.html',
      'README.md',
    ]);
    expect(press('src', 'ArrowDown')).toEqual({ type: 'focus', path: 'src/App.tsx' });
    expect(press('src/App.tsx', 'ArrowUp')).toEqual({ type: 'focus', path: 'src' });
    expect(press('README.md', 'ArrowDown')).toEqual({ type: 'focus', path: 'README.md' });
    expect(press('empty', 'ArrowUp')).toEqual({ type: 'focus', path: 'empty' });
    expect(press('src', 'End')).toEqual({ type: 'focus', path: 'README.md' });
    expect(press('src', 'Home')).toEqual({ type: 'focus', path: 'empty' });
  });

  it('focuses the first row when nothing is focused yet', () => {
    expect(press(null, 'ArrowDown')).toEqual({ type: 'focus', path: 'empty' });
    expect(press('gone.ts', 'End')).toEqual({ type: 'focus', path: 'README.md' });
    expect(press(null, 'Enter')).toBeNull();
  });

  it('expands with Right, then goes to the first child; collapses with Left, then goes to the parent', () => {
    const closed = visibleRows(roots, new Set());
    expect(treeKeyCommand(closed, 'src', 'ArrowRight', new Set())).toEqual({ type: 'expand', path: 'src' });
    expect(press('src', 'ArrowRight')).toEqual({ type: 'focus', path: 'src/App.tsx' });
    expect(press('empty', 'ArrowRight')).toBeNull();
    expect(press('src', 'ArrowLeft')).toEqual({ type: 'collapse', path: 'src' });
    expect(press('src/main.tsx', 'ArrowLeft')).toEqual({ type: 'focus', path: 'src' });
    expect(press('index.html', 'ArrowLeft')).toBeNull();
    expect(press('index.html', 'ArrowRight')).toBeNull();
  });

  it('opens files and toggles folders with Enter', () => {
    expect(press('src/App.tsx', 'Enter')).toEqual({ type: 'open', path: 'src/App.tsx' });
    expect(press('src', 'Enter')).toEqual({ type: 'collapse', path: 'src' });
    expect(treeKeyCommand(visibleRows(roots, new Set()), 'src', 'Enter', new Set())).toEqual({
      type: 'expand',
      path: 'src',
    });
  });

  it('renames with F2 and deletes with Delete', () => {
    expect(press('index.html', 'F2')).toEqual({ type: 'rename', path: 'index.html' });
    expect(press('src', 'Delete')).toEqual({ type: 'delete', path: 'src' });
  });

  it('jumps to the next name starting with a typed letter, wrapping around', () => {
    expect(press('empty', 'r')).toEqual({ type: 'focus', path: 'README.md' });
    expect(press('src/main.tsx', 'S')).toEqual({ type: 'focus', path: 'src' });
    expect(press('src', 'z')).toBeNull();
    expect(press('src', 'Shift')).toBeNull();
  });
});
