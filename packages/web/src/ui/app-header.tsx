import type { ReactNode } from 'react';
import { useCurrentUser } from '../auth/current-user.tsx';
import { useSignOut } from '../auth/use-auth.ts';
import { SettingsLink } from '../settings/settings-link.tsx';
import { GlobalShortcuts } from '../settings/shortcuts/global-shortcuts.tsx';
import { ThemeSync } from '../settings/theme-sync.tsx';
import { Button } from './button.tsx';
import { Logo } from './logo.tsx';
import { ThemeSwitcher } from './theme-switcher.tsx';

/**
 * The bar on every signed-in page: logo, the page's own items, theme, settings and account. It also
 * carries what every signed-in page has: the theme's sync with the account and the global shortcuts.
 */
export function AppHeader({ children }: { children?: ReactNode }) {
  const user = useCurrentUser();
  const signOut = useSignOut();
  return (
    <header className="flex h-14 shrink-0 items-center gap-4 border-b border-zinc-200 px-4 dark:border-zinc-800">
      <Logo />
      <div className="flex min-w-0 flex-1 items-center gap-3">{children}</div>
      <ThemeSwitcher />
      <SettingsLink />
      <span className="hidden text-sm text-zinc-600 sm:inline dark:text-zinc-400" title={user.email}>
        {user.name || user.email}
      </span>
      <Button
        variant="ghost"
        onClick={() => signOut.mutate()}
        busy={signOut.isPending}
        title={signOut.error ? signOut.error.message : undefined}
      >
        {signOut.error ? 'Sign out failed, retry' : 'Sign out'}
      </Button>
      <ThemeSync />
      <GlobalShortcuts />
    </header>
  );
}
