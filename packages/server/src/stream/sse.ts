import { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.ts';
import { ownedSession } from '../http/ownership.ts';
import { replayCursor } from './cursor.ts';
import { SessionFeed } from './feed.ts';
import { sseStream } from './sse-stream.ts';

const HEARTBEAT_MS = 15_000;

/** `GET /sessions/:id/events`: the session's event log as Server-Sent Events, replayed then live. */
export function sseRoutes(ctx: ServerContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/sessions/:id/events', async (c) => {
    const session = await ownedSession(ctx, c.get('userId'), c.req.param('id'));
    const since = replayCursor(c.req.header('last-event-id'), c.req.query('since'), session.lastSeq);
    const feed = new SessionFeed(ctx, session.id, since);
    const requestId = c.get('requestId');
    const body = sseStream(feed, {
      heartbeatMs: HEARTBEAT_MS,
      onError: (err) => ctx.logger.error({ requestId, sessionId: session.id, err }, 'event stream failed'),
    });
    c.header('Content-Type', 'text/event-stream; charset=utf-8');
    c.header('Cache-Control', 'no-cache, no-transform');
    c.header('X-Accel-Buffering', 'no');
    return c.body(body);
  });

  return app;
}
