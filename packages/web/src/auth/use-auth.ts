import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type AuthUser, getAuthProviders, getSessionUser, signOut } from '../api/auth.ts';
import { queryKeys } from '../api/query-keys.ts';
import { navigate } from '../router/router.ts';

export function useSessionUser() {
  return useQuery({ queryKey: queryKeys.authUser, queryFn: getSessionUser, staleTime: 5 * 60_000 });
}

export function useAuthProviders() {
  return useQuery({
    queryKey: queryKeys.authProviders,
    queryFn: getAuthProviders,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** After sign-in / sign-up: remember the user and go where they were headed. */
export function useSignedIn() {
  const queryClient = useQueryClient();
  return (user: AuthUser, next: string) => {
    queryClient.setQueryData(queryKeys.authUser, user);
    navigate(next, { replace: true });
  };
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signOut,
    onSuccess: () => {
      // Nothing of the previous user's may linger in the cache for the next one.
      queryClient.clear();
      queryClient.setQueryData(queryKeys.authUser, null);
      navigate('/sign-in');
    },
  });
}
