import { useLayoutEffect, useRef } from 'react';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button, Spinner } from '../ui/button.tsx';
import type { PreviewStatusView } from './preview-status.ts';

interface PreviewStateProps {
  status: PreviewStatusView;
  logs: string | undefined;
  /** A failed start or status request. */
  problem: unknown;
  onAction: () => void;
}

/** What the panel shows while the app is not running: why, what to do, and the output so far. */
export function PreviewState({ status, logs, problem, onAction }: PreviewStateProps) {
  const log = useRef<HTMLPreElement>(null);

  // The newest lines matter most: keep them in view as they come.
  useLayoutEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  });

  return (
    <div className="flex h-full flex-col items-center justify-center gap-3 overflow-hidden p-4 text-center">
      <p className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-300">
        {status.tone === 'busy' && <Spinner />}
        {status.detail}
      </p>
      <ErrorAlert>{errorMessage(problem)}</ErrorAlert>
      {status.action && (
        <Button variant={status.tone === 'bad' ? 'secondary' : 'primary'} onClick={onAction}>
          {status.action}
        </Button>
      )}
      {status.showLogs && logs && (
        <pre
          ref={log}
          role="log"
          aria-label="Dev server output"
          className="max-h-[50%] w-full overflow-auto rounded-md bg-zinc-950 p-3 text-left text-[11px] leading-relaxed break-words whitespace-pre-wrap text-zinc-300"
        >
          {logs}
        </pre>
      )}
    </div>
  );
}
