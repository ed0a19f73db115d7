import { RemoteApi } from './api-client.ts';
import type { RemoteUser } from './credentials.ts';
import { RemoteError } from './errors.ts';

export const tokenPattern = /^aura_pat_[A-Za-z0-9_-]+$/;

export interface VerifiedUser extends RemoteUser {
  id: string;
}

/**
 * Who a token belongs to (`GET /api/me`), refusing what is not an Aura token, a server that is
 * not Aura, and a token the server rejects, each with its own message.
 */
export async function verifyToken(server: string, token: string): Promise<VerifiedUser> {
  if (!tokenPattern.test(token)) {
    throw new RemoteError(
      'unauthorized',
      `That is not an Aura API token (they look like aura_pat_…). Create one in the web IDE (${server}/settings#tokens).`,
    );
  }
  const me = await new RemoteApi(server, token).request<Record<string, unknown>>('GET', '/api/me');
  if (typeof me?.id !== 'string')
    throw new RemoteError(
      'not_aura',
      `${server} did not answer like an Aura server (no user in GET /api/me). Check the URL.`,
    );
  return {
    id: me.id,
    email: typeof me.email === 'string' ? me.email : null,
    name: typeof me.name === 'string' ? me.name : null,
  };
}

/** `Ada Lovelace <ada@example.com>`, or whichever of the two is known. */
export function describeUser(user: RemoteUser | undefined): string {
  // What a server sends is printed to a terminal: no escape sequences from it.
  const name = printable(user?.name);
  const email = printable(user?.email);
  if (name && email) return `${name} <${email}>`;
  return email || name || 'an unknown user';
}

/** Text from a server, safe to print to a terminal: no control or formatting characters. */
export const printable = (text: string | null | undefined) =>
  (text ?? '').replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
