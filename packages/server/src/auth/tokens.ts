import { createHash, randomBytes } from 'node:crypto';

/** Personal API tokens look like `aura_pat_<43 chars>`; only their SHA-256 is stored. */
export const tokenPrefix = 'aura_pat_';

export function newApiToken(): { token: string; hash: string; prefix: string } {
  const token = `${tokenPrefix}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token), prefix: token.slice(0, tokenPrefix.length + 6) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
