import { ErrorAlert } from '../ui/alert.tsx';
import { Spinner } from '../ui/button.tsx';
import type { UploadProgress } from './use-file-actions.ts';

interface StatusLineProps {
  progress: UploadProgress | null;
  problem: string | null;
  truncated: boolean;
  onDismiss: () => void;
}

/** Under the tree: an upload's progress, what went wrong, and whether the listing is complete. */
export function StatusLine({ progress, problem, truncated, onDismiss }: StatusLineProps) {
  if (!progress && !problem && !truncated) return null;
  return (
    <div className="flex flex-col gap-2 border-t border-zinc-200 p-2 text-xs dark:border-zinc-800">
      {progress && (
        <p role="status" className="flex items-center gap-2 text-zinc-600 dark:text-zinc-400">
          <Spinner /> Uploading {Math.min(progress.done + 1, progress.total)} of {progress.total}…
        </p>
      )}
      {problem && (
        <ErrorAlert>
          <span className="whitespace-pre-wrap">{problem}</span>{' '}
          <button type="button" className="underline" onClick={onDismiss}>
            Dismiss
          </button>
        </ErrorAlert>
      )}
      {truncated && <p className="text-zinc-500">The project has more files than the tree lists.</p>}
    </div>
  );
}
