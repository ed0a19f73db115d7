import { useQuery } from '@tanstack/react-query';
import { queryKeys } from '../api/query-keys.ts';
import { createSession, listSessions } from '../api/sessions.ts';

/**
 * The session the workspace shows: the one in the URL, else the project's newest, else a new
 * one. Resolved before connecting so the socket, the URL and a reload all name the same session.
 */
export function useWorkspaceSession(projectId: string, requested: string | null) {
  return useQuery({
    queryKey: queryKeys.workspaceSession(projectId, requested),
    queryFn: async () => {
      if (requested) return requested;
      const [newest] = await listSessions(projectId, { limit: 1 });
      return newest?.id ?? (await createSession(projectId, {})).id;
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
}
