import { useEffect } from 'react';
import { useCurrentUser } from '../auth/current-user.tsx';
import { setTheme, type ThemeChoice, useTheme } from '../theme/theme.ts';
import { readSetting, writeSetting } from '../ui/storage.ts';
import { parseSyncedTheme, themeSyncStep } from './theme-sync-step.ts';
import { usePreferences, useUpdatePreferences } from './use-preferences.ts';

const storageKey = 'aura.theme.synced';

function remember(userId: string, theme: ThemeChoice) {
  writeSetting(storageKey, JSON.stringify({ userId, theme }));
}

/**
 * Keeps the browser's theme and the account's in step (see themeSyncStep). Renders nothing;
 * mounted once on every signed-in page. A failed save is tried again with the next change.
 */
export function ThemeSync() {
  const user = useCurrentUser();
  const [local] = useTheme();
  const server = usePreferences().data?.theme;
  const { mutate } = useUpdatePreferences();

  useEffect(() => {
    if (!server) return;
    const step = themeSyncStep(parseSyncedTheme(readSetting(storageKey)), user.id, local, server);
    if (step.kind === 'in-sync') remember(user.id, local);
    if (step.kind === 'adopt') {
      setTheme(step.theme);
      remember(user.id, step.theme);
    }
    if (step.kind === 'push')
      mutate({ theme: step.theme }, { onSuccess: () => remember(user.id, step.theme) });
  }, [user.id, local, server, mutate]);

  return null;
}
