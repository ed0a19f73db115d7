import { request } from './http.ts';

/** Better Auth's standard routes, mounted by the server under /api/auth. */
const base = '/api/auth';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  image?: string | null;
}

/** Which sign-in methods the server has configured (`GET /api/auth/providers`). */
export interface AuthProviders {
  emailPassword: boolean;
  github: boolean;
  google: boolean;
}

export type SocialProvider = 'github' | 'google';

/** The signed-in user, or null. The session token itself stays in the HttpOnly cookie. */
export async function getSessionUser(): Promise<AuthUser | null> {
  const body = await request<{ user: AuthUser } | null>(`${base}/get-session`);
  return body?.user ?? null;
}

export function signInEmail(input: { email: string; password: string }) {
  return request<{ user: AuthUser }>(`${base}/sign-in/email`, { method: 'POST', body: input });
}

export function signUpEmail(input: { name: string; email: string; password: string }) {
  return request<{ user: AuthUser }>(`${base}/sign-up/email`, { method: 'POST', body: input });
}

export function signOut() {
  return request<{ success: boolean }>(`${base}/sign-out`, { method: 'POST', body: {} });
}

export function getAuthProviders() {
  return request<AuthProviders>(`${base}/providers`);
}

/**
 * Starts an OAuth sign-in and returns the provider's authorization URL. Relative callback URLs
 * bring the person back to this app on the server's own origin.
 */
export async function socialSignInUrl(provider: SocialProvider, next: string): Promise<string> {
  const body = await request<{ url?: string }>(`${base}/sign-in/social`, {
    method: 'POST',
    body: {
      provider,
      callbackURL: next,
      errorCallbackURL: `/sign-in?next=${encodeURIComponent(next)}`,
      disableRedirect: true,
    },
  });
  if (!body.url) throw new Error(`The server did not return a ${provider} sign-in address.`);
  return body.url;
}
