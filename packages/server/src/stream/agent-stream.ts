import type { ProjectRecord } from '@aura/engine';
import type { SessionInfo } from '@aura/protocol';
import { createUIMessageStreamResponse } from 'ai';
import { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.ts';
import { notFound } from '../http/errors.ts';
import { ownedProject, ownedSession } from '../http/ownership.ts';
import { jsonBody } from '../http/validate.ts';
import { type AgentStreamBody, agentStreamBody, lastUserTurn } from './agent-request.ts';
import { SessionFeed } from './feed.ts';
import { uiMessageStream } from './ui-stream.ts';

const KEEP_ALIVE_MS = 15_000;

/**
 * `POST /agent/stream`: the AI SDK UI message stream protocol, so `DefaultChatTransport` and
 * `useChat` work unchanged. Starts a run with the last user message and streams that run until
 * `run_finished`. The run belongs to the session, not the request: a client that disconnects
 * stops only its stream.
 */
export function agentStreamRoutes(ctx: ServerContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/agent/stream', async (c) => {
    const userId = c.get('userId');
    const body = await jsonBody(c, agentStreamBody);
    const turn = lastUserTurn(body);
    const project = await ownedProject(ctx, userId, body.projectId);
    const session = await chatSession(ctx, userId, project, body);
    ctx.limits.runStarts.take(userId, 'runs started');

    // Subscribed before the run starts, so its first event cannot be missed.
    const feed = new SessionFeed(ctx, session.id, session.lastSeq);
    let runId: string;
    try {
      ({ runId } = await ctx.runs.start(session, userId, { ...turn, model: body.model, mode: body.mode }));
    } catch (error) {
      feed.close();
      throw error;
    }
    const requestId = c.get('requestId');
    const stream = uiMessageStream(feed, session.id, runId, (err) =>
      ctx.logger.error({ requestId, sessionId: session.id, err }, 'agent stream failed'),
    );
    return createUIMessageStreamResponse({
      stream,
      keepAliveMs: KEEP_ALIVE_MS,
      headers: { 'X-Request-Id': requestId },
    });
  });

  return app;
}

/**
 * `sessionId` if given; else the chat `id` when it names one of the user's sessions in the
 * project (useChat with `id: sessionId`); else a new session, announced in the message metadata.
 */
async function chatSession(
  ctx: ServerContext,
  userId: string,
  project: ProjectRecord,
  body: AgentStreamBody,
): Promise<SessionInfo> {
  if (body.sessionId) {
    const session = await ownedSession(ctx, userId, body.sessionId);
    if (session.projectId !== project.id) throw notFound('Session');
    return session;
  }
  if (body.id) {
    const session = await ctx.store.getSession(body.id);
    if (session && session.userId === userId && session.projectId === project.id) return session;
  }
  const created = await ctx.store.createSession({
    directory: project.workspace,
    projectId: project.id,
    userId,
    mode: body.mode ?? 'chat',
  });
  await ctx.store.touchProject(project.id);
  return created;
}
