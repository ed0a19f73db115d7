/** The cookie the preview origin sets after checking a link's token (host-only, HttpOnly). */
export const PREVIEW_COOKIE = 'aura_preview';
/** The query parameter that carries a preview link's token. */
export const TOKEN_PARAM = 'aura_preview_token';

/** Aura's own cookies: Better Auth's (`aura.*`, with or without a __Secure-/__Host- prefix) and ours. */
export function isAuraCookie(name: string): boolean {
  return /^(?:__secure-|__host-)?aura\./i.test(name) || name === PREVIEW_COOKIE;
}

function pairs(header: string): { name: string; raw: string }[] {
  return header
    .split(';')
    .map((raw) => raw.trim())
    .filter(Boolean)
    .map((raw) => ({ name: raw.split('=', 1)[0]!.trim(), raw }));
}

/** The value of the first cookie named `name`. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of pairs(header)) {
    if (pair.name === name) return pair.raw.slice(pair.raw.indexOf('=') + 1).trim();
  }
  return undefined;
}

/**
 * The Cookie header without Aura's cookies: the app in the preview never sees the IDE's session
 * (browsers should not send it to the preview host anyway) nor the preview grant.
 */
export function stripAuraCookies(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const kept = pairs(header).filter((pair) => !isAuraCookie(pair.name));
  return kept.length > 0 ? kept.map((pair) => pair.raw).join('; ') : undefined;
}

/**
 * The preview grant's cookie. Over HTTPS it is `SameSite=None; Secure; Partitioned` (CHIPS), so a
 * preview on a separate registrable domain still loads inside the IDE's iframe (a third-party
 * context, where a Lax cookie is never sent); partitioned, it is kept under the IDE's site only.
 * Over plain HTTP (a local server, previews the same site as the IDE) it is Lax.
 */
export function previewCookie(token: string, maxAgeMs: number, secure: boolean): string {
  const parts = [
    `${PREVIEW_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    `Max-Age=${Math.floor(maxAgeMs / 1000)}`,
  ];
  parts.push(...(secure ? ['SameSite=None', 'Secure', 'Partitioned'] : ['SameSite=Lax']));
  return parts.join('; ');
}
