import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { getPreview, hasRunConfig, previewKey, sessionRunning, startPreview } from './preview-api.ts';
import { previewStatusView } from './preview-status.ts';

export interface PreviewOptions {
  projectId: string;
  sessionId: string;
  /** A run is going: the app builder starts the preview itself when it gets there. */
  runActive: boolean;
  /**
   * Changes when the session says something about the preview (it started, it failed, the
   * builder moved on), so the status is asked for again at once instead of at the next poll.
   */
  signal: string;
}

/**
 * The project's preview: its status polled (quickly while it changes by itself), a start that
 * also happens by itself once, for a project that can run and is not being built, and fresh
 * status whenever the session reports on the preview.
 */
export function usePreview({ projectId, sessionId, runActive, signal }: PreviewOptions) {
  const queryClient = useQueryClient();
  const key = previewKey(projectId);
  const start = useMutation({
    mutationFn: () => startPreview(projectId, sessionId),
    onSuccess: (info) => queryClient.setQueryData(key, info),
  });
  const query = useQuery({
    queryKey: key,
    queryFn: () => getPreview(projectId),
    refetchInterval: (q) => previewStatusView(q.state.data, start.isPending).pollMs,
  });
  const status = previewStatusView(query.data, start.isPending);

  const firstStatus = query.data?.status;
  const decided = useRef(false);
  const startNow = start.mutate;
  useEffect(() => {
    if (decided.current || firstStatus === undefined) return;
    decided.current = true;
    if (firstStatus !== 'stopped' || runActive) return;
    // A build that is preparing the workspace must not be raced: it starts the preview itself.
    sessionRunning(sessionId)
      .then((running) => !running && hasRunConfig(projectId))
      .then(
        (runnable) => {
          if (runnable) startNow();
        },
        () => undefined,
      );
  }, [firstStatus, runActive, projectId, sessionId, startNow]);

  const lastSignal = useRef(signal);
  useEffect(() => {
    if (lastSignal.current === signal) return;
    lastSignal.current = signal;
    void queryClient.invalidateQueries({ queryKey: previewKey(projectId) });
  }, [signal, projectId, queryClient]);

  return { info: query.data, error: query.error, refetch: query.refetch, status, start };
}
