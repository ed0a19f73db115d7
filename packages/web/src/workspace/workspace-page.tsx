import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError } from '../api/http.ts';
import { getProject } from '../api/projects.ts';
import { queryKeys } from '../api/query-keys.ts';
import { EditorPanel } from '../editor/editor-panel.tsx';
import { FilesPanel } from '../files/files-panel.tsx';
import { PreviewPanel } from '../preview/preview-panel.tsx';
import { Link } from '../router/link.tsx';
import { navigate, useLocation } from '../router/router.ts';
import { TerminalPanel } from '../terminal/terminal-panel.tsx';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { AppHeader } from '../ui/app-header.tsx';
import { BackToProjects } from '../ui/back-to-projects.tsx';
import { Spinner } from '../ui/button.tsx';
import { ChatPanel } from './chat-panel.tsx';
import { ConnectionBanner } from './connection-banner.tsx';
import { useSessionStream } from './use-session-stream.ts';
import { useWorkspaceSession } from './use-workspace-session.ts';
import { WorkspaceLayout } from './workspace-layout.tsx';

export function WorkspacePage({ projectId }: { projectId: string }) {
  const { search, pathname } = useLocation();
  const requested = search.get('session');
  const project = useQuery({ queryKey: queryKeys.project(projectId), queryFn: () => getProject(projectId) });
  const session = useWorkspaceSession(projectId, requested);

  // The URL names the session, so a reload or a shared link opens this same conversation.
  useEffect(() => {
    if (session.data && session.data !== requested) {
      navigate(`${pathname}?session=${encodeURIComponent(session.data)}`, { replace: true });
    }
  }, [session.data, requested, pathname]);

  const problem = project.error ?? session.error;
  const missing = problem instanceof ApiError && problem.status === 404;

  return (
    <div className="flex h-dvh flex-col">
      <AppHeader>
        <BackToProjects />
        <h1 className="truncate text-sm font-semibold">{project.data?.name ?? ''}</h1>
      </AppHeader>
      {problem ? (
        <div className="mx-auto flex max-w-md flex-col gap-4 p-10 text-center">
          <ErrorAlert>
            {missing ? 'This project does not exist, or it is not yours.' : errorMessage(problem)}
          </ErrorAlert>
          <Link href="/" className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            Back to your projects
          </Link>
        </div>
      ) : session.data && project.data ? (
        <SessionWorkspace key={session.data} projectId={projectId} sessionId={session.data} />
      ) : (
        <div className="flex flex-1 items-center justify-center text-zinc-500">
          <Spinner label="Opening the project" />
        </div>
      )}
    </div>
  );
}

function SessionWorkspace({ projectId, sessionId }: { projectId: string; sessionId: string }) {
  const stream = useSessionStream(projectId, sessionId);
  const queryClient = useQueryClient();
  const { status } = stream;

  // A socket that keeps failing may mean the sign-in ended: check, and RequireAuth takes over.
  const failing = status.state === 'offline' && status.attempt >= 2;
  useEffect(() => {
    if (failing) void queryClient.invalidateQueries({ queryKey: queryKeys.authUser });
  }, [failing, queryClient]);

  return (
    <>
      <ConnectionBanner status={status} onRetry={stream.retryNow} />
      <WorkspaceLayout
        chat={<ChatPanel stream={stream} projectId={projectId} />}
        files={<FilesPanel projectId={projectId} view={stream.view} />}
        editor={<EditorPanel projectId={projectId} view={stream.view} />}
        preview={<PreviewPanel projectId={projectId} sessionId={sessionId} stream={stream} />}
        terminal={<TerminalPanel projectId={projectId} sessionId={sessionId} />}
      />
    </>
  );
}
