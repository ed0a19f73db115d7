import { memo, useId, useMemo, useState } from 'react';
import type { ToolCallStatus, ToolCallView } from '../../state/session-view.ts';
import { Spinner } from '../../ui/button.tsx';
import { CheckIcon, ChevronRightIcon, CrossIcon, MinusCircleIcon } from '../../ui/icons.tsx';
import { toolOutcome, toolSummary, toolTitle } from '../../workspace/tool-summary.ts';
import { DiffStat } from '../diff/diff-view.tsx';
import { toolDiff } from '../diff/tool-diff.ts';
import { formatDuration } from '../format.ts';
import { ToolDetails } from './tool-details.tsx';

const statusText: Record<ToolCallStatus, string> = {
  running: 'running',
  completed: 'done',
  error: 'failed',
  interrupted: 'interrupted',
};

function ToolStatusIcon({ status }: { status: ToolCallStatus }) {
  switch (status) {
    case 'running':
      return <Spinner />;
    case 'completed':
      return <CheckIcon className="size-4 text-emerald-600 dark:text-emerald-400" />;
    case 'error':
      return <CrossIcon className="size-4 text-red-600 dark:text-red-400" />;
    case 'interrupted':
      return <MinusCircleIcon className="size-4 text-zinc-400" />;
  }
}

/**
 * One tool call as a compact card: what it did, on what, and how it went. Opening it shows the
 * input (a coloured diff for edits, writes and patches) and the output. Memoized on the call, which
 * the reducer replaces only when that call changes.
 */
export const ToolCard = memo(function ToolCard({ call }: { call: ToolCallView }) {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const summary = toolSummary(call.tool, call.input);
  const outcome = toolOutcome(call);
  const diff = useMemo(
    () => toolDiff(call.tool, call.input, call.metadata),
    [call.tool, call.input, call.metadata],
  );
  const stat = diff?.files.reduce(
    (sum, file) => ({ added: sum.added + file.added, removed: sum.removed + file.removed }),
    { added: 0, removed: 0 },
  );

  return (
    <div
      className={`min-w-0 rounded-lg border text-xs ${
        call.status === 'error'
          ? 'border-red-200 dark:border-red-900/60'
          : 'border-zinc-200 dark:border-zinc-800'
      }`}
    >
      <button
        type="button"
        aria-expanded={open}
        aria-controls={open ? detailsId : undefined}
        onClick={() => setOpen((value) => !value)}
        className="flex w-full min-w-0 items-center gap-2 rounded-lg px-2.5 py-1.5 text-left hover:bg-zinc-50 dark:hover:bg-zinc-900"
      >
        <ToolStatusIcon status={call.status} />
        <span className="sr-only">{statusText[call.status]}:</span>
        <span className="shrink-0 font-mono font-semibold">{toolTitle(call.tool)}</span>
        <span className="min-w-0 flex-1 truncate font-mono text-zinc-600 dark:text-zinc-400" title={summary}>
          {summary}
        </span>
        {stat && (stat.added > 0 || stat.removed > 0) && <DiffStat {...stat} />}
        {outcome && call.status === 'completed' && (
          <span className="shrink-0 font-mono text-zinc-500">{outcome}</span>
        )}
        {call.durationMs !== null && (
          <span className="shrink-0 text-zinc-400 tabular-nums">{formatDuration(call.durationMs)}</span>
        )}
        <ChevronRightIcon
          className={`size-3.5 text-zinc-400 transition-transform ${open ? 'rotate-90' : ''}`}
        />
      </button>
      {outcome && call.status !== 'completed' && !open && (
        <p
          className={`truncate px-2.5 pb-1.5 ${call.status === 'error' ? 'text-red-700 dark:text-red-300' : 'text-zinc-500'}`}
          title={outcome}
        >
          {outcome}
        </p>
      )}
      {open && (
        <div id={detailsId} className="border-t border-zinc-200 p-2.5 dark:border-zinc-800">
          <ToolDetails call={call} diff={diff} />
        </div>
      )}
    </div>
  );
});
