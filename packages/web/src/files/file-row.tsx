import type { DragEvent, KeyboardEvent, MouseEvent } from 'react';
import { ChevronRightIcon, FileIcon, FolderIcon, LinkIcon, PencilIcon, TrashIcon } from '../ui/icons.tsx';
import type { TreeRow } from './tree.ts';

export type AgentMark = 'writing' | 'changed' | null;

interface FileRowProps {
  row: TreeRow;
  expanded: boolean;
  focused: boolean;
  tabbable: boolean;
  /** The file open in the editor's active tab. */
  active: boolean;
  mark: AgentMark;
  dropTarget: boolean;
  onClick: (row: TreeRow) => void;
  onKeyDown: (event: KeyboardEvent) => void;
  onRename: (path: string) => void;
  onDelete: (path: string) => void;
  onDragStart: (event: DragEvent, path: string) => void;
  rowRef: (path: string, element: HTMLDivElement | null) => void;
}

export const DRAG_TYPE = 'application/x-aura-path';

export function FileRow({
  row,
  expanded,
  focused,
  tabbable,
  active,
  mark,
  dropTarget,
  onClick,
  onKeyDown,
  onRename,
  onDelete,
  onDragStart,
  rowRef,
}: FileRowProps) {
  const { node, depth } = row;
  const isDir = node.type === 'dir';
  const action = (run: (path: string) => void) => (event: MouseEvent) => {
    event.stopPropagation();
    run(node.path);
  };
  const tone = active
    ? 'bg-indigo-50 text-indigo-900 dark:bg-indigo-500/15 dark:text-indigo-100'
    : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800/70';
  return (
    <div
      ref={(element) => rowRef(node.path, element)}
      role="treeitem"
      aria-level={depth + 1}
      aria-setsize={row.siblings}
      aria-posinset={row.position}
      aria-expanded={isDir ? expanded : undefined}
      aria-selected={focused}
      aria-current={active ? 'page' : undefined}
      tabIndex={tabbable ? 0 : -1}
      data-path={node.path}
      data-dir={isDir || undefined}
      draggable
      onDragStart={(event) => onDragStart(event, node.path)}
      onClick={() => onClick(row)}
      onKeyDown={onKeyDown}
      title={node.path}
      className={`group flex h-7 cursor-pointer items-center gap-1 pr-1 text-[13px] select-none focus-visible:outline-offset-[-2px] ${tone} ${
        dropTarget ? 'ring-2 ring-indigo-400 ring-inset' : ''
      } ${focused ? 'bg-zinc-100 dark:bg-zinc-800/70' : ''}`}
      style={{ paddingLeft: `${depth * 12 + 6}px` }}
    >
      <span
        className={`text-zinc-400 transition-transform ${isDir ? '' : 'invisible'} ${expanded ? 'rotate-90' : ''}`}
      >
        <ChevronRightIcon className="size-3.5" />
      </span>
      <EntryIcon type={node.type} />
      <span className="min-w-0 flex-1 truncate">{node.name}</span>
      <Mark mark={mark} />
      <span className="hidden items-center group-hover:flex">
        <button
          type="button"
          tabIndex={-1}
          title="Rename (F2)"
          aria-label={`Rename ${node.name}`}
          onClick={action(onRename)}
          className="rounded p-0.5 text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 dark:hover:bg-zinc-700 dark:hover:text-zinc-100"
        >
          <PencilIcon className="size-3.5" />
        </button>
        <button
          type="button"
          tabIndex={-1}
          title="Delete (Delete)"
          aria-label={`Delete ${node.name}`}
          onClick={action(onDelete)}
          className="rounded p-0.5 text-zinc-500 hover:bg-zinc-200 hover:text-red-600 dark:hover:bg-zinc-700 dark:hover:text-red-400"
        >
          <TrashIcon className="size-3.5" />
        </button>
      </span>
    </div>
  );
}

function EntryIcon({ type }: { type: TreeRow['node']['type'] }) {
  if (type === 'dir') return <FolderIcon className="size-4 shrink-0 text-indigo-400" />;
  if (type === 'symlink') return <LinkIcon className="size-4 shrink-0 text-zinc-400" />;
  return <FileIcon className="size-4 shrink-0 text-zinc-400" />;
}

function Mark({ mark }: { mark: AgentMark }) {
  if (mark === 'writing') {
    return (
      <span className="flex items-center" title="The agent is writing this">
        <span
          aria-hidden="true"
          className="inline-block size-3 animate-spin rounded-full border-2 border-indigo-500 border-r-transparent"
        />
        <span className="sr-only">, being written by the agent</span>
      </span>
    );
  }
  if (mark === 'changed') {
    return (
      <span className="flex items-center px-1" title="Changed by the agent in its latest turn">
        <span aria-hidden="true" className="size-1.5 rounded-full bg-emerald-500" />
        <span className="sr-only">, changed by the agent</span>
      </span>
    );
  }
  return null;
}
