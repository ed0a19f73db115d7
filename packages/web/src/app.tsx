import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { FullPageStatus, RequireAuth } from './auth/current-user.tsx';
import { SignInPage } from './auth/sign-in-page.tsx';
import { SignUpPage } from './auth/sign-up-page.tsx';
import { useSessionUser } from './auth/use-auth.ts';
import { DashboardPage } from './dashboard/dashboard-page.tsx';
import { Link } from './router/link.tsx';
import { matchPath, navigate, safeRedirect, useLocation } from './router/router.ts';

// The workspace (panels now, editor and terminal later) is not needed to sign in or browse projects.
const WorkspacePage = lazy(async () => ({
  default: (await import('./workspace/workspace-page.tsx')).WorkspacePage,
}));

const SettingsPage = lazy(async () => ({
  default: (await import('./settings/settings-page.tsx')).SettingsPage,
}));

// Opened from a terminal's device login; most visits to the IDE never need it.
const DevicePage = lazy(async () => ({
  default: (await import('./device/device-page.tsx')).DevicePage,
}));

export function App() {
  const { pathname } = useLocation();
  if (matchPath('/sign-in', pathname)) return <SignedOutOnly page={<SignInPage />} />;
  if (matchPath('/sign-up', pathname)) return <SignedOutOnly page={<SignUpPage />} />;
  if (matchPath('/', pathname)) {
    return (
      <RequireAuth>
        <DashboardPage />
      </RequireAuth>
    );
  }
  if (matchPath('/settings', pathname)) {
    return (
      <RequireAuth>
        <Suspense fallback={<FullPageStatus />}>
          <SettingsPage />
        </Suspense>
      </RequireAuth>
    );
  }
  if (matchPath('/device', pathname)) {
    return (
      <RequireAuth>
        <Suspense fallback={<FullPageStatus />}>
          <DevicePage />
        </Suspense>
      </RequireAuth>
    );
  }
  const workspace = matchPath('/p/:projectId', pathname);
  if (workspace?.projectId) {
    return (
      <RequireAuth>
        <Suspense fallback={<FullPageStatus />}>
          <WorkspacePage key={workspace.projectId} projectId={workspace.projectId} />
        </Suspense>
      </RequireAuth>
    );
  }
  return <NotFound />;
}

/** Someone already signed in has no business on the sign-in forms: on to where they were going. */
function SignedOutOnly({ page }: { page: ReactNode }) {
  const { data: user, isPending } = useSessionUser();
  const { search } = useLocation();
  const next = safeRedirect(search.get('next'));
  useEffect(() => {
    if (user) navigate(next, { replace: true });
  }, [user, next]);
  if (isPending) return <FullPageStatus />;
  return user ? null : page;
}

function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-3 p-6 text-center">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <Link href="/" className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
        Go to your projects
      </Link>
    </main>
  );
}
