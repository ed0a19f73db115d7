import { useEffect, useState } from 'react';
import type { ConnectionStatus } from '../api/socket/session-socket.ts';
import { Link } from '../router/link.tsx';
import { Button } from '../ui/button.tsx';

/** Says when the live connection is down, when it will retry, and that typing still works. */
export function ConnectionBanner({ status, onRetry }: { status: ConnectionStatus; onRetry: () => void }) {
  const now = useNow(status.state === 'offline' && status.retryAt !== null);
  if (status.state === 'online' || (status.state === 'connecting' && status.attempt === 0)) return null;
  let text: string;
  if (status.state === 'closed') text = status.reason;
  else if (status.state === 'connecting') text = 'Reconnecting…';
  else if (status.retryAt === null) text = 'You are offline. Aura reconnects when your network is back.';
  else text = `Connection lost. Reconnecting in ${Math.max(1, Math.ceil((status.retryAt - now) / 1000))} s.`;
  return (
    <div
      role="status"
      className="flex flex-wrap items-center justify-center gap-3 border-b border-amber-300 bg-amber-50 px-4 py-1.5 text-sm text-amber-900 dark:border-amber-800/70 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <span>
        {text}
        {status.state !== 'closed' && ' Messages you send now go out when the connection is back.'}
      </span>
      {status.state === 'offline' && status.retryAt !== null && (
        <Button variant="ghost" className="py-0.5" onClick={onRetry}>
          Reconnect now
        </Button>
      )}
      {status.state === 'closed' && (
        <Link href="/" className="font-medium underline">
          Back to your projects
        </Link>
      )}
    </div>
  );
}

/** The time, refreshed every second while `ticking`. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

export function ConnectionDot({ status }: { status: ConnectionStatus }) {
  const label = status.state === 'online' ? 'Live' : status.state === 'closed' ? 'Closed' : 'Offline';
  const color =
    status.state === 'online'
      ? 'bg-emerald-500'
      : status.state === 'connecting'
        ? 'bg-amber-400'
        : 'bg-red-500';
  return (
    <span className="flex items-center gap-1.5 text-xs text-zinc-500" title={`Connection: ${label}`}>
      <span aria-hidden="true" className={`size-2 rounded-full ${color}`} />
      {status.state === 'connecting' ? 'Connecting' : label}
    </span>
  );
}
