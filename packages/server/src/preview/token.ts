import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed preview grants: `<payload>.<mac>`, both base64url, the payload `{k, p, u, e}` (kind,
 * project, user, expiry in ms) and the mac an HMAC-SHA256 of it under a key derived from the
 * server key. Two kinds: a short-lived `url` token the IDE puts in the preview link, and the
 * longer `cookie` token the preview origin sets after checking the link's token. Neither is
 * accepted as the other.
 */
export type PreviewTokenKind = 'url' | 'cookie';

export interface PreviewGrant {
  kind: PreviewTokenKind;
  projectId: string;
  userId: string;
  expiresAt: number;
}

export type VerifyResult = { ok: true; grant: PreviewGrant } | { ok: false; reason: 'invalid' | 'expired' };

export const URL_TOKEN_TTL_MS = 10 * 60_000;
export const COOKIE_TOKEN_TTL_MS = 12 * 60 * 60_000;

const context = 'aura-preview.v1.';

export class PreviewTokens {
  readonly #key: Buffer;
  readonly #now: () => number;
  readonly #ttl: Record<PreviewTokenKind, number>;

  constructor(key: Buffer, opts: { now?: () => number; urlTtlMs?: number; cookieTtlMs?: number } = {}) {
    if (key.length < 32) throw new Error('The preview signing key must be at least 32 bytes.');
    this.#key = key;
    this.#now = opts.now ?? Date.now;
    this.#ttl = { url: opts.urlTtlMs ?? URL_TOKEN_TTL_MS, cookie: opts.cookieTtlMs ?? COOKIE_TOKEN_TTL_MS };
  }

  ttlMs(kind: PreviewTokenKind): number {
    return this.#ttl[kind];
  }

  issue(kind: PreviewTokenKind, projectId: string, userId: string): { token: string; expiresAt: number } {
    const expiresAt = this.#now() + this.#ttl[kind];
    const payload = Buffer.from(JSON.stringify({ k: kind, p: projectId, u: userId, e: expiresAt })).toString(
      'base64url',
    );
    return { token: `${payload}.${this.#mac(payload).toString('base64url')}`, expiresAt };
  }

  verify(token: string, kind: PreviewTokenKind): VerifyResult {
    const invalid = { ok: false, reason: 'invalid' } as const;
    if (token.length > 2048) return invalid;
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) return invalid;
    const given = Buffer.from(mac, 'base64url');
    const expected = this.#mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid;
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return invalid;
    }
    if (!isClaims(claims) || claims.k !== kind) return invalid;
    if (claims.e <= this.#now()) return { ok: false, reason: 'expired' };
    return { ok: true, grant: { kind, projectId: claims.p, userId: claims.u, expiresAt: claims.e } };
  }

  #mac(payload: string): Buffer {
    return createHmac('sha256', this.#key).update(context).update(payload).digest();
  }
}

function isClaims(value: unknown): value is { k: string; p: string; u: string; e: number } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.k === 'string' && typeof v.p === 'string' && typeof v.u === 'string' && typeof v.e === 'number'
  );
}
