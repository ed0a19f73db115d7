import { useState } from 'react';
import { Button } from '../ui/button.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { relativeTime } from '../ui/relative-time.ts';
import type { ApiToken } from './tokens-api.ts';
import { useRevokeToken } from './use-tokens.ts';

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });

function expiry(token: ApiToken, now: number): string {
  if (token.expiresAt === null) return 'Never expires';
  return token.expiresAt <= now
    ? `Expired ${dateFormat.format(token.expiresAt)}`
    : `Expires ${dateFormat.format(token.expiresAt)}`;
}

/** The person's tokens, by name and first characters, each with a revoke button. */
export function TokenList({ tokens }: { tokens: readonly ApiToken[] }) {
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const now = Date.now();
  if (tokens.length === 0) {
    return <p className="text-sm text-zinc-500 dark:text-zinc-400">No tokens yet.</p>;
  }
  return (
    <>
      <ul className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
        {tokens.map((token) => (
          <li key={token.id} className="flex flex-wrap items-center gap-3 p-3">
            <div className="flex min-w-0 flex-1 flex-col gap-0.5">
              <span className="truncate text-sm font-medium">{token.name}</span>
              <span className="text-xs text-zinc-500 dark:text-zinc-400">
                <code className="font-mono">{token.prefix}…</code> · created{' '}
                {relativeTime(token.createdAt, now)} ·{' '}
                {token.lastUsedAt === null
                  ? 'never used'
                  : `last used ${relativeTime(token.lastUsedAt, now)}`}{' '}
                · {expiry(token, now)}
              </span>
            </div>
            <Button variant="ghost" onClick={() => setRevoking(token)} aria-label={`Revoke ${token.name}`}>
              Revoke
            </Button>
          </li>
        ))}
      </ul>
      <RevokeDialog token={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}

function RevokeDialog({ token, onClose }: { token: ApiToken | null; onClose: () => void }) {
  const revoke = useRevokeToken();
  return (
    <ConfirmDialog
      open={token !== null}
      title="Revoke token?"
      confirmLabel="Revoke token"
      onConfirm={async () => {
        if (token) await revoke.mutateAsync(token.id);
      }}
      onClose={onClose}
    >
      {token && (
        <p>
          Anything that signs in with{' '}
          <strong className="font-semibold text-zinc-900 dark:text-zinc-100">{token.name}</strong> (
          <code className="font-mono text-xs">{token.prefix}…</code>) stops working at once. This cannot be
          undone.
        </p>
      )}
    </ConfirmDialog>
  );
}
