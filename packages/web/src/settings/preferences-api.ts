import { request } from '../api/http.ts';
import type { ThemeChoice } from '../theme/theme.ts';

/** The signed-in user's preferences, shared with the CLI. */
export interface Preferences {
  /** `provider/model`; null means the server's default. */
  defaultModel: string | null;
  theme: ThemeChoice;
}

export function getPreferences() {
  return request<Preferences>('/api/settings');
}

export function updatePreferences(change: Partial<Preferences>) {
  return request<Preferences>('/api/settings', { method: 'PUT', body: change });
}
