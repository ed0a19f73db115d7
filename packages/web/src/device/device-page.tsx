import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { AuthLayout } from '../auth/auth-layout.tsx';
import { useCurrentUser } from '../auth/current-user.tsx';
import { Link } from '../router/link.tsx';
import { navigate, useLocation } from '../router/router.ts';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button, buttonClass, Spinner } from '../ui/button.tsx';
import { Field } from '../ui/field.tsx';
import { relativeTime } from '../ui/relative-time.ts';
import { type DeviceRequest, decideDevice, deviceKey, lookupDevice } from './device-api.ts';
import { normalizeUserCode, validateUserCode } from './user-code.ts';

const linkClass = 'font-medium text-indigo-600 hover:underline dark:text-indigo-400';

/**
 * `/device[?code=XXXX-XXXX]`: where a person approves a terminal's device login (`aura auth login
 * --device`). The terminal shows the code and this address; the code in the link is only a
 * convenience, so the page always asks the person to compare it with their terminal.
 */
export function DevicePage() {
  const { search } = useLocation();
  const typed = search.get('code') ?? '';
  const userCode = normalizeUserCode(typed);
  return (
    <AuthLayout title="Sign in a terminal">
      {userCode ? <ConfirmDevice key={userCode} userCode={userCode} /> : <EnterCode initial={typed} />}
    </AuthLayout>
  );
}

function EnterCode({ initial }: { initial: string }) {
  const [code, setCode] = useState(initial);
  const [problem, setProblem] = useState(initial ? validateUserCode(initial) : undefined);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const invalid = validateUserCode(code);
    setProblem(invalid);
    const userCode = normalizeUserCode(code);
    if (!invalid && userCode) navigate(`/device?code=${userCode}`);
  };
  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Run <code className="font-mono text-xs">aura auth login --device</code> and enter the code it shows.
      </p>
      <Field
        label="Code from your terminal"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        placeholder="BCDF-GHJK"
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        maxLength={20}
        error={problem}
        autoFocus
      />
      <Button type="submit" variant="primary">
        Continue
      </Button>
    </form>
  );
}

function ConfirmDevice({ userCode }: { userCode: string }) {
  const lookup = useQuery({
    queryKey: deviceKey(userCode),
    queryFn: () => lookupDevice(userCode),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'deny') => decideDevice(userCode, decision),
  });

  if (decide.data) return <Decided status={decide.data.status} />;
  if (lookup.isPending) return <Spinner label="Looking up the code" />;
  if (lookup.error) {
    return (
      <div className="flex flex-col gap-4">
        <ErrorAlert>{errorMessage(lookup.error)}</ErrorAlert>
        <Link href="/device" className={linkClass}>
          Enter another code
        </Link>
      </div>
    );
  }
  const busy = decide.isPending ? decide.variables : undefined;
  return (
    <div className="flex flex-col gap-4">
      <RequestDetails request={lookup.data} />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Approve only if you started this sign-in yourself and the code matches your terminal. The terminal
        gets an API token that acts as you; you can revoke it in{' '}
        <Link href="/settings" className={linkClass}>
          Settings → API tokens
        </Link>
        .
      </p>
      <ErrorAlert>{errorMessage(decide.error)}</ErrorAlert>
      <div className="flex gap-2">
        <Button
          variant="primary"
          className="flex-1"
          onClick={() => decide.mutate('approve')}
          busy={busy === 'approve'}
          disabled={busy !== undefined}
        >
          Approve
        </Button>
        <Button
          className="flex-1"
          onClick={() => decide.mutate('deny')}
          busy={busy === 'deny'}
          disabled={busy !== undefined}
        >
          Deny
        </Button>
      </div>
    </div>
  );
}

function RequestDetails({ request }: { request: DeviceRequest }) {
  const user = useCurrentUser();
  return (
    <>
      <p className="text-sm">
        <strong className="font-semibold">{request.clientName}</strong> is asking to sign in to Aura as{' '}
        <strong className="font-semibold">{user.email}</strong>.
      </p>
      <dl className="flex flex-col gap-2 rounded-xl border border-zinc-200 bg-zinc-50 p-4 text-sm dark:border-zinc-800 dark:bg-zinc-950">
        <div className="flex items-baseline justify-between gap-3">
          <dt className="text-zinc-600 dark:text-zinc-400">Code</dt>
          <dd className="font-mono text-xl font-semibold tracking-widest">{request.userCode}</dd>
        </div>
        <div className="flex items-baseline justify-between gap-3">
          <dt className="text-zinc-600 dark:text-zinc-400">Device</dt>
          <dd className="min-w-0 truncate" title={request.clientName}>
            {request.clientName}
          </dd>
        </div>
        <div className="flex items-baseline justify-between gap-3">
          <dt className="text-zinc-600 dark:text-zinc-400">Requested</dt>
          <dd>{relativeTime(request.createdAt)}</dd>
        </div>
      </dl>
    </>
  );
}

function Decided({ status }: { status: 'approved' | 'denied' }) {
  const approved = status === 'approved';
  return (
    <div role="status" className="flex flex-col gap-4">
      <p className="text-base font-semibold">
        {approved ? 'Your terminal is signed in.' : 'Sign-in denied.'}
      </p>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {approved
          ? 'You can close this tab and go back to your terminal.'
          : 'The terminal was refused and gets no access. You can close this tab.'}
      </p>
      <Link href={approved ? '/settings' : '/'} className={buttonClass('secondary')}>
        {approved ? 'Manage API tokens' : 'Go to your projects'}
      </Link>
    </div>
  );
}
