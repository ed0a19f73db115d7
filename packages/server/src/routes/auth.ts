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
  app.on(['GET', 'POST'], '/*', (c) => ctx.auth.handler(c.req.raw));
  return app;
}

function clientAddress(env: unknown): string {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
