import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { type FileActivity, writingFiles } from './agent-marks.ts';
import { type FileList, listFiles } from './files-api.ts';
import { workspaceKeys } from './query-keys.ts';
import { patchEntries, withFiles } from './tree.ts';

/** How long the listing waits for the agent's next change before asking the server again. */
const REFETCH_DELAY_MS = 300;

/**
 * The project's files, following the agent: while a run is going, each change it reports patches
 * the listing at once, and files still being written show before they exist. A fresh listing
 * follows every burst of changes, since only the server knows what a command did.
 */
export function useFileTree(projectId: string, view: FileActivity) {
  const queryClient = useQueryClient();
  const key = useMemo(() => workspaceKeys.files(projectId), [projectId]);
  const query = useQuery({ queryKey: key, queryFn: ({ signal }) => listFiles(projectId, signal) });
  const seen = useRef(0);
  const refetch = useRef<ReturnType<typeof setTimeout>>(undefined);
  const running = view.run?.status === 'running';

  useEffect(() => () => clearTimeout(refetch.current), []);

  useEffect(() => {
    const fresh = view.fileChanges.filter((change) => change.seq > seen.current);
    const last = fresh.at(-1);
    if (!last) return;
    seen.current = last.seq;
    // Replayed history is not patched in: the listing loaded after it already shows the result.
    if (running) {
      queryClient.setQueryData<FileList>(
        key,
        (list) => list && { ...list, entries: fresh.reduce(patchEntries, list.entries) },
      );
    }
    clearTimeout(refetch.current);
    refetch.current = setTimeout(
      () => void queryClient.invalidateQueries({ queryKey: key }),
      REFETCH_DELAY_MS,
    );
  }, [view.fileChanges, running, queryClient, key]);

  // Joined, so a new event that leaves the same files being written does not rebuild the tree.
  const writingKey = writingFiles(view).join('\0');
  const writing = useMemo(() => (writingKey ? writingKey.split('\0') : []), [writingKey]);
  const entries = useMemo(() => withFiles(query.data?.entries ?? [], writing), [query.data, writing]);
  return { query, entries, writing };
}
