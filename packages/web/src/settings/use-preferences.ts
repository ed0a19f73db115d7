import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getPreferences, updatePreferences } from './preferences-api.ts';
import { settingsKeys } from './query-keys.ts';

export function usePreferences() {
  return useQuery({ queryKey: settingsKeys.preferences, queryFn: getPreferences });
}

export function useUpdatePreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updatePreferences,
    onSuccess: (preferences) => queryClient.setQueryData(settingsKeys.preferences, preferences),
  });
}
