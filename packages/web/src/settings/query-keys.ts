import { queryKeys } from '../api/query-keys.ts';

export const settingsKeys = {
  preferences: ['settings', 'preferences'] as const,
  providers: ['settings', 'providers'] as const,
  tokens: ['settings', 'tokens'] as const,
  /** Shared with the dashboard's model picker, so saving a provider refreshes it too. */
  models: queryKeys.models,
};
