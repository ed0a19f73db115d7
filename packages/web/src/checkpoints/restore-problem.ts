import { ApiError } from '../api/http.ts';

/** Why a restore failed, in words that say what to do; a run in progress is the usual reason. */
export function restoreProblem(error: unknown): string {
  if (error instanceof ApiError && error.status === 409)
    return 'The agent is working in this project right now. Stop the run, or wait for it to finish, then restore.';
  if (error instanceof ApiError && error.status === 404)
    return 'This checkpoint no longer exists. Refresh the list of changes.';
  return error instanceof Error ? error.message : String(error);
}
