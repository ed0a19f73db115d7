import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, ServerContext } from '../context.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { ownedProject, ownedSession } from '../http/ownership.ts';

export const startPreviewBody = z
  .object({
    /** The session that gets `server_started` / `preview_error` (default: the newest one). */
    session: z.string().min(1).max(200).optional(),
    /** Wait (up to 60 s) for the dev server to answer before replying; default true. */
    wait: z.boolean().default(true),
  })
  .strict();

export const previewInfoSchema = z.object({
  url: z.string(),
  status: z.enum(['stopped', 'installing', 'starting', 'running', 'crashed', 'failed']),
  startedAt: z.number().optional(),
  readyAt: z.number().optional(),
  exitCode: z.number().nullable().optional(),
  error: z.string().optional(),
  logs: z.string().optional(),
});

/**
 * `POST|GET|DELETE /projects/:id/preview`: start (or restart), read, stop the project's dev
 * server. Every answer carries the preview `url` (with a fresh access token for a private
 * preview) and its `status`; GET adds the last lines of its logs.
 */
export function previewRoutes(ctx: ServerContext) {
  const app = new Hono<AppEnv>();

  app.post('/projects/:id/preview', async (c) => {
    const userId = c.get('userId');
    const project = await ownedProject(ctx, userId, c.req.param('id'));
    const body = await optionalBody(c.req.raw);
    let sessionId: string | undefined;
    if (body.session !== undefined) {
      const session = await ownedSession(ctx, userId, body.session);
      if (session.projectId !== project.id) throw notFound('Session');
      sessionId = session.id;
    }
    // The builder copies the template and installs before it starts the dev server itself: a
    // start from outside in the middle of that would race it for the same files.
    if (ctx.runs.buildingIn(project.id))
      throw new HttpError(
        409,
        'build_active',
        'The app builder is setting up this project; it starts the preview itself when the app is ready.',
      );
    const info = await ctx.preview.start(project, userId, {
      ...(sessionId ? { sessionId } : {}),
      waitMs: body.wait ? 60_000 : 0,
    });
    return c.json({ ...info, logs: ctx.preview.logs(project.id, 40) });
  });

  app.get('/projects/:id/preview', async (c) => {
    const userId = c.get('userId');
    const project = await ownedProject(ctx, userId, c.req.param('id'));
    return c.json(ctx.preview.info(project.id, userId, { logs: true }));
  });

  app.delete('/projects/:id/preview', async (c) => {
    const userId = c.get('userId');
    const project = await ownedProject(ctx, userId, c.req.param('id'));
    return c.json(await ctx.preview.stop(project.id, userId));
  });

  return app;
}

/** The POST body is optional: empty means all defaults. */
async function optionalBody(request: Request): Promise<z.infer<typeof startPreviewBody>> {
  const text = await request.text();
  let raw: unknown = {};
  if (text.trim()) {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
    }
  }
  const parsed = startPreviewBody.safeParse(raw);
  if (!parsed.success) {
    throw new HttpError(400, 'invalid_body', 'The request body is invalid.', {
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.join('.') || '(body)',
        message: issue.message,
      })),
    });
  }
  return parsed.data;
}
