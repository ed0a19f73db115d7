import type { MiddlewareHandler } from 'hono';
import type { AppEnv, ServerContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { hashToken, tokenPrefix } from './tokens.ts';

export type Principal = { userId: string; via: 'cookie' } | { userId: string; via: 'token'; tokenId: string };

/** A personal API token (Bearer or `?token=` for WebSockets), else the Better Auth session cookie. */
export async function authenticate(
  ctx: ServerContext,
  headers: Headers,
  queryToken?: string,
): Promise<Principal | undefined> {
  const bearer = bearerToken(headers.get('authorization') ?? undefined) ?? queryToken;
  if (bearer) {
    if (!bearer.startsWith(tokenPrefix)) return undefined;
    const token = await ctx.store.findApiTokenByHash(hashToken(bearer));
    return token ? { userId: token.userId, via: 'token', tokenId: token.id } : undefined;
  }
  const session = await ctx.auth.api.getSession({ headers });
  return session ? { userId: session.user.id, via: 'cookie' } : undefined;
}

/** The token of an `Authorization: Bearer <token>` header. */
function bearerToken(header: string | undefined): string | undefined {
  return header?.match(/^Bearer\s+(\S+)$/i)?.[1];
}

export function requireUser(ctx: ServerContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = await authenticate(ctx, c.req.raw.headers);
    if (!principal)
      throw new HttpError(
        401,
        'unauthorized',
        'Sign in, or send a personal API token as "Authorization: Bearer aura_pat_…".',
      );
    c.set('userId', principal.userId);
    c.set('authVia', principal.via);
    if (principal.via === 'token') c.set('tokenId', principal.tokenId);
    await next();
  };
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cookie-authenticated writes must come from the IDE's own origin (CSRF). Token-authenticated
 * requests carry no ambient credentials, so they need no origin.
 */
export function requireSameOrigin(ctx: ServerContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get('authVia') === 'cookie' && unsafeMethods.has(c.req.method)) {
      const origin = c.req.header('origin') ?? refererOrigin(c.req.header('referer'));
      if (!origin || !ctx.allowedOrigins.has(origin)) {
        throw new HttpError(
          403,
          'bad_origin',
          'Cross-site request refused: the Origin header does not match this server.',
        );
      }
    }
    await next();
  };
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}
