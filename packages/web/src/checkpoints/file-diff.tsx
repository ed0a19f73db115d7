import { useState } from 'react';
import type { CheckpointDiff } from './checkpoints-api.ts';
import type { DiffLine } from './unified-diff.ts';

type DiffFile = CheckpointDiff['files'][number];

/** Lines shown before "show all": a generated lockfile can have tens of thousands. */
const FIRST_LINES = 400;

const statusLetter = { added: 'A', modified: 'M', deleted: 'D' } as const;
const statusColor = {
  added: 'text-emerald-600 dark:text-emerald-400',
  modified: 'text-amber-600 dark:text-amber-400',
  deleted: 'text-red-600 dark:text-red-400',
} as const;

const lineColor: Record<DiffLine['kind'], string> = {
  added: 'bg-emerald-50 text-emerald-950 dark:bg-emerald-500/10 dark:text-emerald-100',
  removed: 'bg-red-50 text-red-950 dark:bg-red-500/10 dark:text-red-100',
  context: 'text-zinc-700 dark:text-zinc-300',
  hunk: 'bg-indigo-50/70 text-indigo-700 dark:bg-indigo-500/10 dark:text-indigo-300',
  note: 'text-zinc-500 italic',
};

const sign: Record<DiffLine['kind'], string> = { added: '+', removed: '−', context: ' ', hunk: '', note: '' };

interface FileDiffProps {
  file: DiffFile;
  /** Null when the diff was cut short before this file. */
  lines: DiffLine[] | null;
  onOpen: (path: string) => void;
}

/** One file of a checkpoint: its status and counts, then its unified diff with line numbers. */
export function FileDiff({ file, lines, onOpen }: FileDiffProps) {
  const [all, setAll] = useState(false);
  const shown = lines && !all ? lines.slice(0, FIRST_LINES) : lines;
  return (
    <details open className="group border-b border-zinc-200 dark:border-zinc-800">
      <summary className="sticky top-0 z-10 flex cursor-pointer items-center gap-2 bg-zinc-50 px-3 py-1.5 text-xs dark:bg-zinc-900">
        <span className={`w-3 font-mono font-bold ${statusColor[file.status]}`} title={file.status}>
          {statusLetter[file.status]}
        </span>
        <span className="min-w-0 flex-1 truncate font-mono" title={file.path}>
          {file.path}
        </span>
        {file.additions !== null && (
          <span className="text-emerald-600 dark:text-emerald-400">+{file.additions}</span>
        )}
        {file.deletions !== null && <span className="text-red-600 dark:text-red-400">−{file.deletions}</span>}
        {file.status !== 'deleted' && (
          <button
            type="button"
            onClick={(event) => {
              event.preventDefault();
              onOpen(file.path);
            }}
            className="rounded px-1.5 py-0.5 font-medium text-indigo-600 hover:bg-indigo-50 dark:text-indigo-400 dark:hover:bg-indigo-500/10"
          >
            Open
          </button>
        )}
      </summary>
      {shown === null ? (
        <p className="px-3 py-2 text-xs text-zinc-500">The diff is too large to show this file.</p>
      ) : shown.length === 0 ? (
        <p className="px-3 py-2 text-xs text-zinc-500">
          No text changes (an empty file, or its mode changed).
        </p>
      ) : (
        <div className="overflow-x-auto">
          <div className="w-max min-w-full font-mono text-xs leading-5">
            {shown.map((line, index) => (
              // Diff lines have no identity beyond their place in the file.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <div key={index} className={`flex ${lineColor[line.kind]}`}>
                <span className="w-10 shrink-0 pr-2 text-right text-zinc-400 select-none">
                  {line.oldLine ?? ''}
                </span>
                <span className="w-10 shrink-0 pr-2 text-right text-zinc-400 select-none">
                  {line.newLine ?? ''}
                </span>
                <span className="w-4 shrink-0 text-center select-none">{sign[line.kind]}</span>
                <span className="pr-3 whitespace-pre">{line.text}</span>
              </div>
            ))}
          </div>
          {lines && lines.length > FIRST_LINES && !all && (
            <button
              type="button"
              onClick={() => setAll(true)}
              className="w-full py-1.5 text-xs font-medium text-indigo-600 hover:bg-zinc-50 dark:text-indigo-400 dark:hover:bg-zinc-900"
            >
              Show all {lines.length} lines
            </button>
          )}
        </div>
      )}
    </details>
  );
}
