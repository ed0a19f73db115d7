import type { DiskChange } from '../state/session-view.ts';
import type { EntryType, FileEntry } from './files-api.ts';
import { ancestorsOf, baseName, isSameOrInside, movedPath } from './paths.ts';

export interface TreeNode {
  path: string;
  name: string;
  type: EntryType;
  children: TreeNode[];
}

/** A node as the tree shows it: its place among its siblings, for ARIA and the keyboard. */
export interface TreeRow {
  node: TreeNode;
  depth: number;
  parent: string;
  /** 1-based position among its siblings, and how many siblings there are. */
  position: number;
  siblings: number;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Folders first, then names in natural order (file2 before file10). */
function compareNodes(a: TreeNode, b: TreeNode): number {
  if ((a.type === 'dir') !== (b.type === 'dir')) return a.type === 'dir' ? -1 : 1;
  return collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The top-level nodes of a flat listing; folders the listing leaves out are made up. */
export function buildTree(entries: readonly FileEntry[]): TreeNode[] {
  const root: TreeNode = { path: '', name: '', type: 'dir', children: [] };
  const byPath = new Map<string, TreeNode>([['', root]]);
  const nodeFor = (path: string, type: EntryType): TreeNode => {
    const existing = byPath.get(path);
    if (existing) {
      if (type === 'dir') existing.type = 'dir';
      return existing;
    }
    const node: TreeNode = { path, name: baseName(path), type, children: [] };
    byPath.set(path, node);
    const slash = path.lastIndexOf('/');
    nodeFor(slash < 0 ? '' : path.slice(0, slash), 'dir').children.push(node);
    return node;
  };
  for (const entry of entries) nodeFor(entry.path, entry.type);
  for (const node of byPath.values()) node.children.sort(compareNodes);
  return root.children;
}

/** The rows on screen: every node whose folders are all expanded, in display order. */
export function visibleRows(roots: readonly TreeNode[], expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (nodes: readonly TreeNode[], depth: number, parent: string) => {
    for (const [index, node] of nodes.entries()) {
      rows.push({ node, depth, parent, position: index + 1, siblings: nodes.length });
      if (node.type === 'dir' && expanded.has(node.path)) walk(node.children, depth + 1, node.path);
    }
  };
  walk(roots, 0, '');
  return rows;
}

/** Adds files (with their folders) that are not listed yet; the same listing when all are. */
export function withFiles(entries: readonly FileEntry[], paths: Iterable<string>): readonly FileEntry[] {
  const known = new Set(entries.map((entry) => entry.path));
  const added: FileEntry[] = [];
  for (const path of paths) {
    for (const dir of ancestorsOf(path)) {
      if (!known.has(dir)) added.push({ path: dir, type: 'dir' });
      known.add(dir);
    }
    if (!known.has(path)) added.push({ path, type: 'file' });
    known.add(path);
  }
  return added.length ? [...entries, ...added] : entries;
}

/**
 * The listing as it is after a change the agent reported, until the server's listing confirms it.
 * Unknown changes (commands) leave it as it was: only a fresh listing can tell what they did.
 */
export function patchEntries(entries: readonly FileEntry[], change: DiskChange): readonly FileEntry[] {
  switch (change.kind) {
    case 'written':
      return withFiles(entries, [change.path]);
    case 'deleted': {
      const kept = entries.filter((entry) => !isSameOrInside(entry.path, change.path));
      return kept.length === entries.length ? entries : kept;
    }
    case 'moved': {
      const moved = entries.map((entry) => {
        const path = movedPath(entry.path, change.path, change.to);
        return path === null ? entry : { ...entry, path };
      });
      const parents = ancestorsOf(change.to).filter((dir) => !moved.some((entry) => entry.path === dir));
      return [...moved, ...parents.map((path): FileEntry => ({ path, type: 'dir' }))];
    }
    case 'unknown':
      return entries;
  }
}
