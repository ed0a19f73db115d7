import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { rereadTabs } from '../editor/read-tabs.ts';
import { useWorkbench } from '../editor/use-workbench.ts';
import { workbench } from '../editor/workbench.ts';
import { workspaceKeys } from '../files/query-keys.ts';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button, Spinner } from '../ui/button.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { relativeTime } from '../ui/relative-time.ts';
import { type Checkpoint, checkpointDiff, listCheckpoints, restoreCheckpoint } from './checkpoints-api.ts';
import { FileDiff } from './file-diff.tsx';
import { restoreProblem } from './restore-problem.ts';
import { splitDiff } from './unified-diff.ts';

interface ChangesViewProps {
  projectId: string;
  /** Checkpoints the session has announced; a new one refreshes the list. */
  announced: number;
}

/** The project's checkpoints, newest first, each turn's diff, and a way back to any of them. */
export function ChangesView({ projectId, announced }: ChangesViewProps) {
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: workspaceKeys.checkpoints(projectId),
    queryFn: () => listCheckpoints(projectId),
    staleTime: 0,
  });
  useEffect(() => {
    if (announced > 0) void queryClient.invalidateQueries({ queryKey: workspaceKeys.checkpoints(projectId) });
  }, [announced, projectId, queryClient]);
  const chosen = useWorkbench((state) => state.checkpointId);
  const items = list.data ?? [];
  const selected = items.find((item) => item.id === chosen) ?? items[0];

  if (list.isPending)
    return (
      <div className="m-auto text-zinc-500">
        <Spinner label="Loading the agent's changes" />
      </div>
    );
  if (list.isError)
    return (
      <div className="p-3">
        <ErrorAlert>{errorMessage(list.error)}</ErrorAlert>
      </div>
    );
  if (!selected)
    return (
      <p className="m-auto max-w-64 p-4 text-center text-xs text-zinc-500">
        No checkpoints yet. Each turn in which the agent changes files is recorded here, and can be restored.
      </p>
    );
  return (
    <div className="flex min-h-0 flex-1 flex-col @2xl:flex-row">
      <nav
        aria-label="Checkpoints"
        className="max-h-40 shrink-0 overflow-y-auto border-b border-zinc-200 @2xl:max-h-none @2xl:w-60 @2xl:border-r @2xl:border-b-0 dark:border-zinc-800"
      >
        <ol>
          {items.map((item) => (
            <li key={item.id}>
              <button
                type="button"
                aria-current={item.id === selected.id ? 'true' : undefined}
                onClick={() => workbench.showChanges(item.id)}
                className={`flex w-full flex-col gap-0.5 px-3 py-2 text-left text-xs ${
                  item.id === selected.id
                    ? 'bg-indigo-50 dark:bg-indigo-500/15'
                    : 'hover:bg-zinc-50 dark:hover:bg-zinc-900'
                }`}
              >
                <span className="line-clamp-2 font-medium text-zinc-800 dark:text-zinc-200">
                  {item.message}
                </span>
                <span className="text-zinc-500">
                  {relativeTime(item.createdAt)} · {item.files.length}{' '}
                  {item.files.length === 1 ? 'file' : 'files'}
                </span>
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <CheckpointDetail key={selected.id} projectId={projectId} checkpoint={selected} />
    </div>
  );
}

function CheckpointDetail({ projectId, checkpoint }: { projectId: string; checkpoint: Checkpoint }) {
  const queryClient = useQueryClient();
  const diff = useQuery({
    queryKey: workspaceKeys.checkpointDiff(projectId, checkpoint.id),
    queryFn: () => checkpointDiff(projectId, checkpoint.id),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const perFile = useMemo(() => (diff.data ? splitDiff(diff.data.diff) : []), [diff.data]);
  const [confirming, setConfirming] = useState(false);
  const [restored, setRestored] = useState<string | null>(null);

  const restore = async () => {
    try {
      const result = await restoreCheckpoint(projectId, checkpoint.id);
      // The restore makes a newer checkpoint; stay on this one, whose restore is being reported.
      workbench.showChanges(checkpoint.id);
      const changed = result.restoredFiles.length + result.deletedFiles.length;
      setRestored(
        changed
          ? `Restored: ${changed} ${changed === 1 ? 'file' : 'files'} changed.`
          : 'Nothing to restore: the files already match.',
      );
    } catch (error) {
      throw new Error(restoreProblem(error));
    }
    rereadTabs('all', 'restore');
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: workspaceKeys.files(projectId) }),
      queryClient.invalidateQueries({ queryKey: workspaceKeys.checkpoints(projectId), exact: true }),
    ]);
  };

  return (
    <section aria-label={`Changes of ${checkpoint.message}`} className="flex min-h-0 min-w-0 flex-1 flex-col">
      <header className="flex items-start gap-3 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <div className="min-w-0 flex-1">
          <h3 className="truncate text-sm font-semibold" title={checkpoint.message}>
            {checkpoint.message}
          </h3>
          <p className="text-xs text-zinc-500">
            {new Date(checkpoint.createdAt).toLocaleString()} ·{' '}
            <span className="font-mono">{checkpoint.id.slice(0, 8)}</span>
          </p>
        </div>
        <Button variant="secondary" className="px-2.5 py-1 text-xs" onClick={() => setConfirming(true)}>
          Restore
        </Button>
      </header>
      {restored && (
        <p
          role="status"
          className="border-b border-emerald-200 bg-emerald-50 px-3 py-1.5 text-xs text-emerald-800 dark:border-emerald-500/30 dark:bg-emerald-500/10 dark:text-emerald-200"
        >
          {restored}
        </p>
      )}
      <div className="min-h-0 flex-1 overflow-y-auto">
        {diff.isPending ? (
          <div className="p-6 text-center text-zinc-500">
            <Spinner label="Loading the diff" />
          </div>
        ) : diff.isError ? (
          <div className="p-3">
            <ErrorAlert>{errorMessage(diff.error)}</ErrorAlert>
          </div>
        ) : (
          <>
            {diff.data.files.map((file, index) => (
              <FileDiff
                key={file.path}
                file={file}
                lines={perFile[index] ?? null}
                onOpen={(path) => workbench.openFile(path)}
              />
            ))}
            {diff.data.truncated && (
              <p className="px-3 py-2 text-xs text-zinc-500">The diff is too large to show in full.</p>
            )}
          </>
        )}
      </div>
      {confirming && (
        <ConfirmDialog
          title="Restore this checkpoint?"
          confirmLabel="Restore"
          onConfirm={restore}
          onClose={() => setConfirming(false)}
        >
          <p>
            The project’s files go back to how they were after “{checkpoint.message}”. Files made since are
            removed. The restore is itself a checkpoint, so you can undo it by restoring the one before.
          </p>
          <p className="mt-2">Open files with unsaved edits will ask whether to keep them.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
