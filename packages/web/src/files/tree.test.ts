import { describe, expect, it } from 'vitest';
import type { FileEntry } from './files-api.ts';
import { buildTree, patchEntries, visibleRows, withFiles } from './tree.ts';

const file = (path: string): FileEntry => ({ path, type: 'file' });
const dir = (path: string): FileEntry => ({ path, type: 'dir' });

const listing: FileEntry[] = [
  file('README.md'),
  dir('src'),
  file('src/file10.ts'),
  file('src/App.tsx'),
  file('src/file2.ts'),
  dir('src/components'),
  file('src/components/Button.tsx'),
  file('.gitignore'),
  dir('public'),
];

const paths = (rows: { node: { path: string } }[]) => rows.map((row) => row.node.path);

describe('buildTree', () => {
  it('nests entries, folders first, names in natural order', () => {
    const roots = buildTree(listing);
    expect(roots.map((node) => node.path)).toEqual(['public', 'src', '.gitignore', 'README.md']);
    const src = roots[1]!;
    expect(src.children.map((node) => node.name)).toEqual(['components', 'App.tsx', 'file2.ts', 'file10.ts']);
    expect(src.children[0]!.children.map((node) => node.path)).toEqual(['src/components/Button.tsx']);
  });

  it('makes up folders the listing leaves out', () => {
    const [lib] = buildTree([file('lib/util/a.ts')]);
    expect(lib).toMatchObject({ path: 'lib', type: 'dir' });
    expect(lib!.children[0]).toMatchObject({ path: 'lib/util', type: 'dir' });
  });
});

describe('visibleRows', () => {
  const roots = buildTree(listing);

  it('shows only the children of expanded folders', () => {
    expect(paths(visibleRows(roots, new Set()))).toEqual(['public', 'src', '.gitignore', 'README.md']);
    expect(paths(visibleRows(roots, new Set(['src'])))).toEqual([
      'public',
      'src',
      'src/components',
      'src/App.tsx',
      'src/file2.ts',
      'src/file10.ts',
      '.gitignore',
      'README.md',
    ]);
  });

  it('hides the children of a collapsed folder inside an expanded one', () => {
    const rows = visibleRows(roots, new Set(['src/components']));
    expect(paths(rows)).not.toContain('src/components/Button.tsx');
  });

  it('gives each row its depth, parent and place among its siblings', () => {
    const rows = visibleRows(roots, new Set(['src', 'src/components']));
    expect(rows.find((row) => row.node.path === 'src/components/Button.tsx')).toMatchObject({
      depth: 2,
      parent: 'src/components',
      position: 1,
      siblings: 1,
    });
    expect(rows.find((row) => row.node.path === 'src/App.tsx')).toMatchObject({
      depth: 1,
      position: 2,
      siblings: 4,
    });
  });
});

describe('patching the listing from the agent’s changes', () => {
  it('adds a written file and its new folders, once', () => {
    const patched = patchEntries(listing, { kind: 'written', path: 'src/hooks/useX.ts' });
    expect(patched.slice(listing.length)).toEqual([dir('src/hooks'), file('src/hooks/useX.ts')]);
    expect(patchEntries(listing, { kind: 'written', path: 'src/App.tsx' })).toBe(listing);
  });

  it('removes a deleted file or folder with everything inside', () => {
    const patched = patchEntries(listing, { kind: 'deleted', path: 'src/components' });
    expect(patched.map((entry) => entry.path)).not.toContain('src/components/Button.tsx');
    expect(patched.map((entry) => entry.path)).not.toContain('src/components');
    expect(patched.map((entry) => entry.path)).toContain('src/App.tsx');
    expect(patchEntries(listing, { kind: 'deleted', path: 'nope' })).toBe(listing);
  });

  it('moves a folder with its contents and makes the target’s folders', () => {
    const patched = patchEntries(listing, { kind: 'moved', path: 'src/components', to: 'ui/parts' });
    const byPath = new Map(patched.map((entry) => [entry.path, entry.type]));
    expect(byPath.get('ui')).toBe('dir');
    expect(byPath.get('ui/parts')).toBe('dir');
    expect(byPath.get('ui/parts/Button.tsx')).toBe('file');
    expect(byPath.has('src/components')).toBe(false);
  });

  it('leaves the listing alone for a command, which only a fresh listing can explain', () => {
    expect(patchEntries(listing, { kind: 'unknown' })).toBe(listing);
  });

  it('adds files being written that are not on disk yet', () => {
    expect(withFiles([], ['a/b.ts'])).toEqual([dir('a'), file('a/b.ts')]);
  });
});
