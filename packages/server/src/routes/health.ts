import { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.ts';
import { version } from '../version.ts';

export function healthRoutes(ctx: ServerContext) {
  const app = new Hono<AppEnv>();
  app.get('/api/health', async (c) => {
    const started = performance.now();
    try {
      await ctx.store.listSessions({ limit: 1 });
      return c.json({
        status: 'ok',
        version,
        database: { status: 'ok', dialect: ctx.store.dialect, ms: Math.round(performance.now() - started) },
      });
    } catch (error) {
      ctx.logger.error({ err: error }, 'health check: database unreachable');
      return c.json(
        { status: 'degraded', version, database: { status: 'unreachable', dialect: ctx.store.dialect } },
        503,
      );
    }
  });
  app.get('/metrics', (c) =>
    c.text(ctx.metrics.render(), 200, { 'Content-Type': 'text/plain; version=0.0.4' }),
  );
  return app;
}
