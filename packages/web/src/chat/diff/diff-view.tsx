import { Fragment, useState } from 'react';
import type { DiffLine, FileDiff } from './unified.ts';

/** Lines shown before "show all": a rewritten large file would otherwise flood the chat. */
const INITIAL_LINES = 300;

const rowClass: Record<DiffLine['kind'], string> = {
  add: 'bg-emerald-50 text-emerald-950 dark:bg-emerald-950/40 dark:text-emerald-100',
  delete: 'bg-red-50 text-red-950 dark:bg-red-950/40 dark:text-red-100',
  context: 'text-zinc-700 dark:text-zinc-300',
};

const marker: Record<DiffLine['kind'], string> = { add: '+', delete: '-', context: ' ' };

export function DiffStat({ added, removed }: { added: number; removed: number }) {
  return (
    <span className="shrink-0 font-mono text-xs tabular-nums">
      <span className="text-emerald-600 dark:text-emerald-400">+{added}</span>{' '}
      <span className="text-red-600 dark:text-red-400">−{removed}</span>
      <span className="sr-only">
        {' '}
        ({added} lines added, {removed} removed)
      </span>
    </span>
  );
}

/** Unified diffs, coloured, with both sides' line numbers where they are known. */
export function DiffView({ files }: { files: readonly FileDiff[] }) {
  const [expanded, setExpanded] = useState(false);
  if (files.length === 0) return <p className="text-xs text-zinc-500">No changes.</p>;
  let budget = expanded ? Number.POSITIVE_INFINITY : INITIAL_LINES;
  const total = files.reduce((sum, file) => sum + file.hunks.reduce((n, h) => n + h.lines.length, 0), 0);
  return (
    <div className="flex flex-col gap-2">
      {files.map((file, index) => {
        const shown = budget;
        budget -= file.hunks.reduce((n, h) => n + h.lines.length, 0);
        const path = file.newPath ?? file.oldPath ?? 'file';
        return (
          <FileDiffView
            // biome-ignore lint/suspicious/noArrayIndexKey: a diff's files never reorder
            key={index}
            file={file}
            path={path}
            maxLines={Math.max(0, shown)}
          />
        );
      })}
      {total > INITIAL_LINES && (
        <button
          type="button"
          onClick={() => setExpanded((value) => !value)}
          className="self-start text-xs font-medium text-indigo-600 hover:underline dark:text-indigo-400"
        >
          {expanded ? 'Show less' : `Show all ${total} lines`}
        </button>
      )}
    </div>
  );
}

function FileDiffView({ file, path, maxLines }: { file: FileDiff; path: string; maxLines: number }) {
  const state = file.oldPath === null ? 'new file' : file.newPath === null ? 'deleted' : null;
  let left = maxLines;
  return (
    <figure className="min-w-0 overflow-hidden rounded-md border border-zinc-200 dark:border-zinc-800">
      <figcaption className="flex items-center gap-2 border-b border-zinc-200 bg-zinc-50 px-2 py-1 font-mono text-xs dark:border-zinc-800 dark:bg-zinc-900">
        <span className="min-w-0 flex-1 truncate" title={path}>
          {path}
        </span>
        {state && <span className="text-zinc-500">{state}</span>}
        <DiffStat added={file.added} removed={file.removed} />
      </figcaption>
      <div className="overflow-x-auto font-mono text-xs leading-5">
        <div
          className={`grid min-w-max ${file.numbered ? 'grid-cols-[auto_auto_auto_1fr]' : 'grid-cols-[auto_1fr]'}`}
        >
          {file.hunks.map((hunk, index) => {
            const lines = hunk.lines.slice(0, Math.max(0, left));
            left -= hunk.lines.length;
            if (lines.length === 0) return null;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: hunks never reorder
              <Fragment key={index}>
                {index > 0 && (
                  <div className="col-span-full bg-zinc-100 px-2 text-zinc-500 dark:bg-zinc-800/60">
                    ⋯ {hunk.section}
                  </div>
                )}
                {lines.map((line, at) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: lines never reorder
                  <Row key={at} line={line} numbered={file.numbered} />
                ))}
              </Fragment>
            );
          })}
        </div>
      </div>
      {file.notes.map((note) => (
        <p
          key={note}
          className="border-t border-zinc-200 px-2 py-1 text-xs text-zinc-500 dark:border-zinc-800"
        >
          {note}
        </p>
      ))}
    </figure>
  );
}

const spoken: Record<DiffLine['kind'], string> = { add: 'added: ', delete: 'removed: ', context: '' };

function Row({ line, numbered }: { line: DiffLine; numbered: boolean }) {
  const number = 'select-none px-1.5 text-right text-zinc-400 dark:text-zinc-600';
  return (
    <div className={`col-span-full grid grid-cols-subgrid ${rowClass[line.kind]}`}>
      {numbered && (
        <>
          <span className={number}>{line.oldNumber ?? ''}</span>
          <span className={number}>{line.newNumber ?? ''}</span>
        </>
      )}
      <span className="pl-1.5 select-none" aria-hidden="true">
        {marker[line.kind]}
      </span>
      <span className="pr-3 pl-1 whitespace-pre">
        <span className="sr-only">{spoken[line.kind]}</span>
        {line.text || ' '}
      </span>
    </div>
  );
}
