import { useState } from 'react';
import { type SocialProvider, socialSignInUrl } from '../api/auth.ts';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { GithubIcon, GoogleIcon } from '../ui/icons.tsx';
import { useAuthProviders } from './use-auth.ts';

const providers: { id: SocialProvider; label: string; Icon: typeof GithubIcon }[] = [
  { id: 'github', label: 'GitHub', Icon: GithubIcon },
  { id: 'google', label: 'Google', Icon: GoogleIcon },
];

/** Buttons for the OAuth providers the server has configured; nothing when it has none. */
export function OAuthButtons({ next }: { next: string }) {
  const { data } = useAuthProviders();
  const [busy, setBusy] = useState<SocialProvider | null>(null);
  const [error, setError] = useState<unknown>(null);
  const enabled = providers.filter((p) => data?.[p.id]);
  if (enabled.length === 0) return null;

  const start = async (provider: SocialProvider) => {
    setBusy(provider);
    setError(null);
    try {
      window.location.assign(await socialSignInUrl(provider, next));
    } catch (e) {
      setError(e);
      setBusy(null);
    }
  };

  return (
    <div className="flex flex-col gap-3">
      {enabled.map(({ id, label, Icon }) => (
        <Button key={id} onClick={() => start(id)} busy={busy === id} disabled={busy !== null}>
          {busy !== id && <Icon />}
          Continue with {label}
        </Button>
      ))}
      <ErrorAlert>{errorMessage(error)}</ErrorAlert>
      <div className="flex items-center gap-3 text-xs text-zinc-500">
        <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
        or with email
        <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
      </div>
    </div>
  );
}
