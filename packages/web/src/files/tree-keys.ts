import type { TreeRow } from './tree.ts';

export type TreeCommand =
  | { type: 'focus'; path: string }
  | { type: 'expand' | 'collapse'; path: string }
  | { type: 'open' | 'rename' | 'delete'; path: string };

/**
 * What a key does in the file tree, after the WAI-ARIA tree pattern: arrows move and fold, Home
 * and End jump, Enter opens, a letter jumps to the next name starting with it. F2 and Delete
 * rename and delete, as in desktop editors. Null for keys the tree leaves alone.
 */
export function treeKeyCommand(
  rows: readonly TreeRow[],
  focused: string | null,
  key: string,
  expanded: ReadonlySet<string>,
): TreeCommand | null {
  if (rows.length === 0) return null;
  const at = rows.findIndex((row) => row.node.path === focused);
  const row = rows[at];
  const focus = (index: number): TreeCommand | null => {
    const target = rows[Math.max(0, Math.min(rows.length - 1, index))];
    return target ? { type: 'focus', path: target.node.path } : null;
  };
  if (!row)
    return key === 'ArrowDown' || key === 'Home' ? focus(0) : key === 'End' ? focus(rows.length - 1) : null;
  const { path, type } = row.node;
  const isOpenDir = type === 'dir' && expanded.has(path);
  switch (key) {
    case 'ArrowDown':
      return focus(at + 1);
    case 'ArrowUp':
      return focus(at - 1);
    case 'Home':
      return focus(0);
    case 'End':
      return focus(rows.length - 1);
    case 'ArrowRight':
      if (type !== 'dir') return null;
      return isOpenDir ? (row.node.children.length ? focus(at + 1) : null) : { type: 'expand', path };
    case 'ArrowLeft':
      if (isOpenDir) return { type: 'collapse', path };
      return row.parent ? { type: 'focus', path: row.parent } : null;
    case 'Enter':
      if (type === 'dir') return { type: isOpenDir ? 'collapse' : 'expand', path };
      return { type: 'open', path };
    case 'F2':
      return { type: 'rename', path };
    case 'Delete':
      return { type: 'delete', path };
    default:
      return key.length === 1 && key !== ' ' ? typeAhead(rows, at, key) : null;
  }
}

function typeAhead(rows: readonly TreeRow[], from: number, key: string): TreeCommand | null {
  const letter = key.toLocaleLowerCase();
  for (let step = 1; step <= rows.length; step++) {
    const row = rows[(from + step) % rows.length]!;
    if (row.node.name.toLocaleLowerCase().startsWith(letter)) return { type: 'focus', path: row.node.path };
  }
  return null;
}
