import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { settingsKeys } from './query-keys.ts';
import { createToken, listTokens, revokeToken } from './tokens-api.ts';

export function useTokens() {
  return useQuery({ queryKey: settingsKeys.tokens, queryFn: listTokens });
}

function useRefreshTokens() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: settingsKeys.tokens });
}

/** The created token stays only in this mutation's result; reset() forgets it. */
export function useCreateToken() {
  const refresh = useRefreshTokens();
  return useMutation({ mutationFn: createToken, onSuccess: refresh });
}

export function useRevokeToken() {
  const refresh = useRefreshTokens();
  return useMutation({ mutationFn: revokeToken, onSuccess: refresh });
}
