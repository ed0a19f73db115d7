import { type DragEvent, type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { AgentMarks } from './agent-marks.ts';
import { type AgentMark, DRAG_TYPE, FileRow } from './file-row.tsx';
import { isSameOrInside, parentOf } from './paths.ts';
import type { TreeRow } from './tree.ts';
import { type TreeCommand, treeKeyCommand } from './tree-keys.ts';

interface FileTreeProps {
  rows: readonly TreeRow[];
  expanded: ReadonlySet<string>;
  focused: string | null;
  activePath: string | null;
  marks: AgentMarks;
  onCommand: (command: TreeCommand) => void;
  /** Files from the desktop, dropped on a folder ('' for the top). */
  onDropFiles: (dir: string, data: DataTransfer) => void;
  /** A row dragged onto a folder. */
  onMoveInto: (path: string, dir: string) => void;
}

/** The folder a drop lands in: the folder row under the pointer, a file's folder, else the top. */
function dropDir(target: EventTarget): string {
  const row = target instanceof Element ? target.closest<HTMLElement>('[data-path]') : null;
  if (!row) return '';
  const path = row.dataset.path ?? '';
  return row.dataset.dir ? path : parentOf(path);
}

export function FileTree({
  rows,
  expanded,
  focused,
  activePath,
  marks,
  onCommand,
  onDropFiles,
  onMoveInto,
}: FileTreeProps) {
  const elements = useRef(new Map<string, HTMLDivElement>());
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const dragged = useRef<string | null>(null);
  const keyboardFocus = useRef(false);

  const rowRef = useCallback((path: string, element: HTMLDivElement | null) => {
    if (element) elements.current.set(path, element);
    else elements.current.delete(path);
  }, []);

  // Focus follows the keyboard only: a click focuses its row by itself, a live update must not.
  useEffect(() => {
    if (!keyboardFocus.current || !focused) return;
    keyboardFocus.current = false;
    elements.current.get(focused)?.focus();
  }, [focused]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const command = treeKeyCommand(rows, focused, event.key, expanded);
    if (!command) return;
    event.preventDefault();
    if (command.type === 'focus') keyboardFocus.current = true;
    onCommand(command);
  };

  const onClick = (row: TreeRow) => {
    onCommand({ type: 'focus', path: row.node.path });
    onCommand(
      row.node.type === 'dir'
        ? { type: expanded.has(row.node.path) ? 'collapse' : 'expand', path: row.node.path }
        : { type: 'open', path: row.node.path },
    );
  };

  const onDragStart = (event: DragEvent, path: string) => {
    dragged.current = path;
    event.dataTransfer.setData(DRAG_TYPE, path);
    event.dataTransfer.effectAllowed = 'move';
  };

  const onDragOver = (event: DragEvent) => {
    const types = event.dataTransfer.types;
    const fromDesktop = types.includes('Files');
    if (!fromDesktop && !types.includes(DRAG_TYPE)) return;
    const dir = dropDir(event.target);
    // A folder cannot go into itself; dropping where it already is does nothing.
    const source = dragged.current;
    if (!fromDesktop && source && (isSameOrInside(dir, source) || parentOf(source) === dir)) {
      setDropTarget(null);
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = fromDesktop ? 'copy' : 'move';
    setDropTarget(dir);
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    const dir = dropDir(event.target);
    setDropTarget(null);
    const source = event.dataTransfer.getData(DRAG_TYPE);
    dragged.current = null;
    if (source) onMoveInto(source, dir);
    else if (event.dataTransfer.types.includes('Files')) onDropFiles(dir, event.dataTransfer);
  };

  // One row is in the Tab order: the focused one, or the first when that one is gone.
  const tabbable = rows.some((row) => row.node.path === focused) ? focused : rows[0]?.node.path;
  const markOf = (path: string): AgentMark =>
    marks.writing.has(path) ? 'writing' : marks.changed.has(path) ? 'changed' : null;

  return (
    <div
      role="tree"
      aria-label="Project files"
      onDragOver={onDragOver}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDropTarget(null);
      }}
      onDrop={onDrop}
      onDragEnd={() => {
        dragged.current = null;
        setDropTarget(null);
      }}
      className={`min-h-0 flex-1 overflow-auto py-1 ${dropTarget === '' ? 'bg-indigo-50/60 dark:bg-indigo-500/10' : ''}`}
    >
      {rows.map((row) => (
        <FileRow
          key={row.node.path}
          row={row}
          expanded={expanded.has(row.node.path)}
          focused={row.node.path === focused}
          tabbable={row.node.path === tabbable}
          active={row.node.path === activePath}
          mark={markOf(row.node.path)}
          dropTarget={dropTarget !== null && dropTarget !== '' && dropTarget === row.node.path}
          onClick={onClick}
          onKeyDown={onKeyDown}
          onRename={(path) => onCommand({ type: 'rename', path })}
          onDelete={(path) => onCommand({ type: 'delete', path })}
          onDragStart={onDragStart}
          rowRef={rowRef}
        />
      ))}
    </div>
  );
}
