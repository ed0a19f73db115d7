import { Link } from '../router/link.tsx';
import { ErrorAlert } from '../ui/alert.tsx';
import { BuildNotStartedError, workspaceHref } from './start-app.ts';

/** Why a new app did not start; when its project was made anyway, a link to open it. */
export function StartError({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <ErrorAlert>
      {error.message}{' '}
      {error instanceof BuildNotStartedError && (
        <Link href={workspaceHref(error.started)} className="font-medium underline">
          Open the project
        </Link>
      )}
    </ErrorAlert>
  );
}
