import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getModelCatalog } from './models-api.ts';
import {
  listProviders,
  type ProviderInput,
  removeProvider,
  saveProvider,
  testProvider,
} from './providers-api.ts';
import { settingsKeys } from './query-keys.ts';

export function useProviders() {
  return useQuery({ queryKey: settingsKeys.providers, queryFn: listProviders });
}

export function useModelCatalog() {
  return useQuery({ queryKey: settingsKeys.models, queryFn: getModelCatalog, staleTime: 60_000 });
}

/** After a change, which providers are configured and which models are available both change. */
function useRefreshProviders() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: settingsKeys.providers }),
      queryClient.invalidateQueries({ queryKey: settingsKeys.models }),
    ]);
}

export function useSaveProvider(provider: string) {
  const refresh = useRefreshProviders();
  return useMutation({
    mutationFn: (input: ProviderInput) => saveProvider(provider, input),
    onSuccess: refresh,
  });
}

export function useRemoveProvider(provider: string) {
  const refresh = useRefreshProviders();
  return useMutation({ mutationFn: () => removeProvider(provider), onSuccess: refresh });
}

export function useTestProvider(provider: string) {
  return useMutation({
    mutationFn: (input: ProviderInput & { model?: string }) => testProvider(provider, input),
  });
}
