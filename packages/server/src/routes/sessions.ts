import { compactAndAnnounce } from '@aura/engine';
import { attachment, sessionMode } from '@aura/protocol';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, ServerContext } from '../context.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { ownedProject, ownedSession, publicSession } from '../http/ownership.ts';
import { jsonBody, queryParams } from '../http/validate.ts';

export const createSessionBody = z.object({
  title: z.string().trim().min(1).max(200).optional(),
  model: z.string().min(1).max(200).optional(),
  mode: sessionMode.optional(),
});

export const postMessageBody = z.object({
  text: z.string().min(1).max(100_000),
  model: z.string().min(1).max(200).optional(),
  mode: sessionMode.optional(),
  attachments: z.array(attachment).max(20).optional(),
});

/** The model the session's next runs use (a message may still name another). */
export const updateSessionBody = z.object({ model: z.string().min(1).max(200) });

export const compactResult = z.object({
  prunedToolOutputs: z.number(),
  tokensBefore: z.number(),
  tokensAfter: z.number(),
});

export const permissionReplyBody = z.object({
  reply: z.enum(['once', 'always', 'reject']),
  message: z.string().max(10_000).optional(),
});

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

const messagesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().optional(),
  after: z.coerce.number().optional(),
});

export function sessionRoutes(ctx: ServerContext) {
  const app = new Hono<AppEnv>();

  app.get('/projects/:id/sessions', async (c) => {
    const project = await ownedProject(ctx, c.get('userId'), c.req.param('id'));
    const query = queryParams(c, listQuery);
    const items = await ctx.store.listSessions({ projectId: project.id, userId: c.get('userId'), ...query });
    return c.json({ items: items.map(publicSession), limit: query.limit, offset: query.offset });
  });

  app.post('/projects/:id/sessions', async (c) => {
    const project = await ownedProject(ctx, c.get('userId'), c.req.param('id'));
    const body = await jsonBody(c, createSessionBody);
    const session = await ctx.store.createSession({
      directory: project.workspace,
      projectId: project.id,
      userId: c.get('userId'),
      title: body.title ?? null,
      model: body.model ?? null,
      mode: body.mode ?? 'chat',
    });
    await ctx.store.touchProject(project.id);
    return c.json(publicSession(session), 201);
  });

  app.get('/sessions/:id', async (c) => {
    const session = await ownedSession(ctx, c.get('userId'), c.req.param('id'));
    return c.json({ ...publicSession(session), running: ctx.runs.isActive(session.id) });
  });

  app.patch('/sessions/:id', async (c) => {
    const userId = c.get('userId');
    const session = await ownedSession(ctx, userId, c.req.param('id'));
    const body = await jsonBody(c, updateSessionBody);
    const model = await ctx.runs.checkModel(userId, body.model);
    const updated = await ctx.store.updateSession(session.id, { model });
    return c.json(publicSession(updated ?? session));
  });

  app.delete('/sessions/:id', async (c) => {
    const session = await ownedSession(ctx, c.get('userId'), c.req.param('id'));
    ctx.runs.cancel(session.id);
    await ctx.runs.settled(session.id);
    await ctx.store.deleteSession(session.id);
    return c.body(null, 204);
  });

  app.get('/sessions/:id/messages', async (c) => {
    const session = await ownedSession(ctx, c.get('userId'), c.req.param('id'));
    const query = queryParams(c, messagesQuery);
    const items = await ctx.store.listMessages(session.id, query);
    return c.json({ items, limit: query.limit });
  });

  /** Starts a run and returns at once: progress streams over SSE / WebSocket. */
  app.post('/sessions/:id/messages', async (c) => {
    const userId = c.get('userId');
    const session = await ownedSession(ctx, userId, c.req.param('id'));
    const body = await jsonBody(c, postMessageBody);
    ctx.limits.runStarts.take(userId, 'runs started');
    const { runId } = await ctx.runs.start(session, userId, body);
    return c.json({ sessionId: session.id, runId }, 202);
  });

  app.post('/sessions/:id/cancel', async (c) => {
    const session = await ownedSession(ctx, c.get('userId'), c.req.param('id'));
    if (!ctx.runs.cancel(session.id))
      throw new HttpError(409, 'no_active_run', 'This session has no run in progress.');
    return c.json({ sessionId: session.id, cancelling: true }, 202);
  });

  /** `/compact`: old tool outputs in the stored messages become a one-line note, so later turns send less. */
  app.post('/sessions/:id/compact', async (c) => {
    const session = await ownedSession(ctx, c.get('userId'), c.req.param('id'));
    if (ctx.runs.isActive(session.id))
      throw new HttpError(
        409,
        'run_active',
        'This session has a run in progress. Compact it once the run has finished.',
      );
    return c.json(await compactAndAnnounce(ctx.store, ctx.bus, session.id));
  });

  app.get('/sessions/:id/state', async (c) => {
    const session = await ownedSession(ctx, c.get('userId'), c.req.param('id'));
    return c.json({
      sessionId: session.id,
      state: session.state,
      running: ctx.runs.isActive(session.id),
      lastSeq: session.lastSeq,
    });
  });

  app.post('/sessions/:id/permissions/:requestId', async (c) => {
    const session = await ownedSession(ctx, c.get('userId'), c.req.param('id'));
    const body = await jsonBody(c, permissionReplyBody);
    if (!ctx.runs.replyPermission(session.id, c.req.param('requestId'), body))
      throw notFound('Permission request');
    return c.json({ requestId: c.req.param('requestId'), reply: body.reply });
  });

  return app;
}
