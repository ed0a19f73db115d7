import { useMutation, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../api/query-keys.ts';
import { navigate } from '../router/router.ts';
import { type StartedApp, workspaceHref } from './start-app.ts';

/** Starts a new app and opens its workspace; the project list refreshes whether or not it started. */
export function useStartApp(start: () => Promise<StartedApp>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: start,
    onSuccess: (started) => navigate(workspaceHref(started)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.projects }),
  });
}
