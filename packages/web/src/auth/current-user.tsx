import { createContext, type ReactNode, useContext, useEffect } from 'react';
import type { AuthUser } from '../api/auth.ts';
import { navigate, useLocation, withNext } from '../router/router.ts';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button, Spinner } from '../ui/button.tsx';
import { useSessionUser } from './use-auth.ts';

const CurrentUser = createContext<AuthUser | null>(null);

export function useCurrentUser(): AuthUser {
  const user = useContext(CurrentUser);
  if (!user) throw new Error('useCurrentUser outside RequireAuth');
  return user;
}

/** Renders its children for a signed-in person; sends anyone else to sign in, then back here. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { data: user, isPending, error, refetch, isRefetching } = useSessionUser();
  const { href } = useLocation();
  const signedOut = !isPending && !error && !user;

  useEffect(() => {
    if (signedOut) navigate(withNext('/sign-in', href), { replace: true });
  }, [signedOut, href]);

  if (isPending) return <FullPageStatus />;
  if (error) {
    return (
      <div className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-4 p-6">
        <ErrorAlert>{errorMessage(error)}</ErrorAlert>
        <Button onClick={() => refetch()} busy={isRefetching}>
          Try again
        </Button>
      </div>
    );
  }
  if (!user) return null;
  return <CurrentUser value={user}>{children}</CurrentUser>;
}

export function FullPageStatus() {
  return (
    <div className="flex min-h-dvh items-center justify-center text-zinc-500">
      <Spinner label="Loading" />
    </div>
  );
}
