import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { handlePreviewUpgrade } from '../preview/upgrade.ts';
import { WsConnection } from './ws-connection.ts';
import { closeCodes } from './ws-frames.ts';
import { authorizeUpgrade, rejectUpgrade } from './ws-upgrade.ts';

const HEARTBEAT_MS = 30_000;
const PONG_TIMEOUT_MS = 60_000;
const MAX_FRAME_BYTES = 1024 * 1024;
/** How long close() lets clients answer the close handshake before cutting them off. */
const CLOSE_GRACE_MS = 2_000;

export interface WebSocketEndpoint {
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * `/ws/:projectId` on the HTTP server (frames and close codes: ws-frames.ts). Refused upgrades get
 * an HTTP status: 401 without credentials, 403 for a cookie from a foreign Origin, 404 for a
 * project that is missing or not the user's.
 */
export function attachWebSocket(server: Server, ctx: ServerContext): WebSocketEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const connections = new Set<WsConnection>();
  let closing = false;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that hangs up mid-handshake must not crash the server.
    socket.on('error', () => socket.destroy());
    // Preview hosts' upgrades (HMR) go to the project's dev server through the preview proxy.
    if (handlePreviewUpgrade(ctx, req, socket, head)) return;
    void upgrade(req, socket, head);
  };

  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      const grant = await authorizeUpgrade(ctx, req);
      if (closing) throw new HttpError(503, 'shutting_down', 'The server is shutting down.');
      if (socket.destroyed) return;
      wss.handleUpgrade(req, socket, head, (ws) => {
        const { session } = grant;
        if (!session) {
          ws.on('error', () => ws.terminate());
          ws.close(closeCodes.sessionNotFound, 'Session not found');
          return;
        }
        const scope = { ctx, userId: grant.userId, projectId: grant.project.id, sessionId: session.id };
        const connection = new WsConnection(ws, scope);
        connections.add(connection);
        void connection.closed.then(() => connections.delete(connection));
        connection.hello(session.lastSeq);
      });
    } catch (error) {
      if (error instanceof HttpError) return rejectUpgrade(socket, error);
      ctx.metrics.errors.inc({ kind: 'internal' });
      ctx.logger.error(
        { err: error, url: req.url?.replace(/token=[^&]*/, 'token=[redacted]') },
        'websocket upgrade failed',
      );
      rejectUpgrade(socket, new HttpError(500, 'internal', 'Something went wrong on the server.'));
    }
  };

  server.on('upgrade', onUpgrade);
  const heartbeat = setInterval(() => {
    const now = Date.now();
    for (const connection of connections) connection.heartbeat(now, PONG_TIMEOUT_MS);
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    get connections() {
      return connections.size;
    },
    async close() {
      closing = true;
      clearInterval(heartbeat);
      server.off('upgrade', onUpgrade);
      await Promise.all(
        [...connections].map(async (connection) => {
          connection.close(closeCodes.goingAway, 'server shutting down');
          const grace = setTimeout(() => connection.terminate(), CLOSE_GRACE_MS);
          await connection.closed;
          clearTimeout(grace);
        }),
      );
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
