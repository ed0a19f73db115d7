import { useState } from 'react';
import type { PreviewErrorView } from '../state/session-view.ts';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { kindLabel } from './fix-message.ts';

interface PreviewConsoleProps {
  errors: readonly PreviewErrorView[];
  /** Sends the agent a message about the error. */
  onFix: (error: PreviewErrorView) => Promise<unknown>;
  /** Why "Fix this" cannot be used now; null when it can. */
  fixBlocked: string | null;
  onClear: () => void;
}

/** The errors the running app reported, newest first, each with a "Fix this" for the agent. */
export function PreviewConsole({ errors, onFix, fixBlocked, onClear }: PreviewConsoleProps) {
  const [sent, setSent] = useState<ReadonlySet<number>>(new Set());
  const [failure, setFailure] = useState<unknown>(null);

  const fix = (error: PreviewErrorView) => {
    setFailure(null);
    setSent((current) => new Set(current).add(error.seq));
    onFix(error).catch((e: unknown) => {
      setFailure(e);
      setSent((current) => {
        const next = new Set(current);
        next.delete(error.seq);
        return next;
      });
    });
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex items-center justify-between gap-2 px-3 py-1 text-xs text-zinc-500">
        <span>{fixBlocked ?? 'Fix this asks Aura to find and fix the cause.'}</span>
        <Button
          variant="ghost"
          className="px-2 py-0.5 text-xs"
          onClick={onClear}
          disabled={errors.length === 0}
        >
          Clear
        </Button>
      </div>
      {failure !== null && (
        <div className="px-3 pb-2">
          <ErrorAlert>{errorMessage(failure)}</ErrorAlert>
        </div>
      )}
      <ol aria-label="Errors from the app" className="min-h-0 flex-1 overflow-y-auto">
        {errors.length === 0 && (
          <li className="px-3 py-4 text-center text-xs text-zinc-500">No errors reported.</li>
        )}
        {[...errors].reverse().map((error) => (
          <li
            key={error.seq}
            className="flex items-start gap-2 border-t border-zinc-200 px-3 py-2 text-xs dark:border-zinc-800"
          >
            <div className="min-w-0 flex-1">
              <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-zinc-500">
                <span className="rounded bg-red-100 px-1.5 py-0.5 font-medium whitespace-nowrap text-red-800 dark:bg-red-950/60 dark:text-red-200">
                  {kindLabel(error.kind)}
                </span>
                <time dateTime={new Date(error.ts).toISOString()}>
                  {new Date(error.ts).toLocaleTimeString()}
                </time>
              </p>
              <p className="mt-1 font-mono break-words whitespace-pre-wrap text-red-700 dark:text-red-300">
                {error.message}
              </p>
              {(error.stack || error.url) && (
                <details className="mt-1">
                  <summary className="cursor-pointer text-zinc-500">Details</summary>
                  {error.url && <p className="mt-1 break-all text-zinc-500">{error.url}</p>}
                  {error.stack && (
                    <pre className="mt-1 max-h-48 overflow-auto rounded bg-zinc-100 p-2 text-[11px] dark:bg-zinc-900">
                      {error.stack}
                    </pre>
                  )}
                </details>
              )}
            </div>
            <Button
              variant="secondary"
              className="shrink-0 px-2 py-1 text-xs"
              onClick={() => fix(error)}
              disabled={fixBlocked !== null || sent.has(error.seq)}
            >
              {sent.has(error.seq) ? 'Sent' : 'Fix this'}
            </Button>
          </li>
        ))}
      </ol>
    </div>
  );
}
