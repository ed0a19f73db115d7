import { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.ts';

/** Better Auth's standard routes, with sign-in / sign-up attempts limited per client address. */
export function authRoutes(ctx: ServerContext) {
  const app = new Hono<AppEnv>();
  app.on(['POST'], ['/sign-in/*', '/sign-up/*'], async (c, next) => {
    ctx.limits.authAttempts.take(clientAddress(c.env), 'sign-in attempts');
    await next();
  });
  app.get('/providers', (c) =>
    c.json({
      emailPassword: true,
      github: Boolean(ctx.options.oauth.github),
      google: Boolean(ctx.options.oauth.google),
    }),
  );
  app.on(['GET', 'POST'], '/*', async (c) => withoutSessionTokens(await ctx.auth.handler(c.req.raw)));
  return app;
}

/**
 * Better Auth also returns the session token in JSON bodies (for bearer clients). The browser
 * must only ever hold it in the HttpOnly cookie, so it is removed from every body; CLI clients
 * use personal API tokens instead.
 */
async function withoutSessionTokens(response: Response): Promise<Response> {
  if (!response.headers.get('content-type')?.includes('application/json')) return response;
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, response);
  }
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    delete record.token;
    if (record.session && typeof record.session === 'object')
      delete (record.session as Record<string, unknown>).token;
  }
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(body), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** The peer address of the request (Hono's node-server env), for per-client limits. */
export function clientAddress(env: unknown): string {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
