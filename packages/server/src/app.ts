import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deviceApprovalRoutes, deviceLoginRoutes } from './auth/device-routes.ts';
import { requireSameOrigin, requireUser } from './auth/middleware.ts';
import type { AppEnv, ServerContext } from './context.ts';
import { HttpError } from './http/errors.ts';
import { webApp } from './http/web-app.ts';
import { openApiDocument } from './openapi.ts';
import { previewHosts, previewRoutes } from './preview/index.ts';
import { authRoutes } from './routes/auth.ts';
import { checkpointRoutes } from './routes/checkpoints.ts';
import { fileRoutes } from './routes/files.ts';
import { healthRoutes } from './routes/health.ts';
import { projectRoutes } from './routes/projects.ts';
import { providerRoutes } from './routes/providers.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { settingsRoutes } from './routes/settings.ts';
import { templateRoutes } from './routes/templates.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { importPath, transferRoutes } from './routes/transfer.ts';
import { agentStreamRoutes } from './stream/agent-stream.ts';
import { sseRoutes } from './stream/sse.ts';

export function createApp(ctx: ServerContext) {
  const app = new Hono<AppEnv>();

  // Preview hosts (p-<project>.<domain>) get the project's app, never the IDE or the API.
  app.use('*', previewHosts(ctx));

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id')?.slice(0, 100) || randomUUID();
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = c.req.routePath || 'unmatched';
    ctx.metrics.httpDuration.observe({ method: c.req.method, route, status: String(c.res.status) }, seconds);
    ctx.logger.info(
      {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(seconds * 1000),
      },
      'request',
    );
  });

  app.onError((error, c) => {
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      if (error.status >= 500) ctx.metrics.errors.inc({ kind: error.code });
      return c.json(error.toBody(), error.status);
    }
    ctx.metrics.errors.inc({ kind: 'internal' });
    ctx.logger.error({ requestId: c.get('requestId'), err: error }, 'unhandled error');
    return c.json(
      {
        error: {
          code: 'internal',
          message: `Something went wrong on the server (request ${c.get('requestId')}).`,
        },
      },
      500,
    );
  });

  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404),
  );

  const jsonBodyLimit = bodyLimit({
    maxSize: ctx.options.limits.maxBodyBytes,
    onError: () => {
      throw new HttpError(
        413,
        'body_too_large',
        `The request body is larger than ${ctx.options.limits.maxBodyBytes} bytes.`,
      );
    },
  });
  // Project imports carry whole projects: their route applies its own, larger limit.
  app.use('/api/*', (c, next) => (c.req.path === importPath ? next() : jsonBodyLimit(c, next)));

  app.route('/', healthRoutes(ctx));
  const openApi = openApiDocument(ctx);
  app.get('/api/openapi.json', (c) => c.json(openApi));
  app.route('/api/auth', authRoutes(ctx));
  app.route('/api/device', deviceLoginRoutes(ctx));

  const api = new Hono<AppEnv>();
  api.use('*', requireUser(ctx), requireSameOrigin(ctx));
  api.route('/', tokenRoutes(ctx));
  api.route('/', deviceApprovalRoutes(ctx));
  api.route('/', projectRoutes(ctx));
  api.route('/', fileRoutes(ctx));
  api.route('/', sessionRoutes(ctx));
  api.route('/', sseRoutes(ctx));
  api.route('/', providerRoutes(ctx));
  api.route('/', agentStreamRoutes(ctx));
  api.route('/', previewRoutes(ctx));
  api.route('/', checkpointRoutes(ctx));
  api.route('/', transferRoutes(ctx));
  api.route('/', templateRoutes(ctx));
  api.route('/', settingsRoutes(ctx));
  app.route('/api', api);

  // The web IDE, and its client-side routes, everywhere else.
  const webHandler = webApp({
    dir: ctx.options.webDir,
    frameSources: () => [ctx.preview.originOf('prj_x').replace('//p-prj-x.', '//*.')],
    baseUrl: () => ctx.options.baseUrl,
  });
  app.get('*', webHandler);

  return app;
}

export type App = ReturnType<typeof createApp>;
