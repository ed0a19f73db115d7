import type { ThemeChoice } from '../theme/theme.ts';

/** The theme this browser and the user's account last agreed on. */
export interface SyncedTheme {
  userId: string;
  theme: ThemeChoice;
}

export type ThemeSyncStep =
  | { kind: 'adopt'; theme: ThemeChoice }
  | { kind: 'push'; theme: ThemeChoice }
  | { kind: 'in-sync' };

/**
 * The local theme applies at once; the account's follows it. A local choice made since the last
 * agreement is the newer one and goes to the server; otherwise (a new sign-in, another device's
 * change) the browser adopts the account's theme.
 */
export function themeSyncStep(
  last: SyncedTheme | null,
  userId: string,
  local: ThemeChoice,
  server: ThemeChoice,
): ThemeSyncStep {
  if (local === server) return { kind: 'in-sync' };
  if (last?.userId === userId && last.theme !== local) return { kind: 'push', theme: local };
  return { kind: 'adopt', theme: server };
}

const themes = new Set<string>(['light', 'dark', 'system']);

/** The stored agreement, or null when there is none or it is not one. */
export function parseSyncedTheme(raw: string | null): SyncedTheme | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const { userId, theme } = value as Record<string, unknown>;
    if (typeof userId !== 'string' || typeof theme !== 'string' || !themes.has(theme)) return null;
    return { userId, theme: theme as ThemeChoice };
  } catch {
    return null;
  }
}
