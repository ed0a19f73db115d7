import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ProjectRecord } from '@aura/engine';
import type { SessionInfo } from '@aura/protocol';
import { authenticate } from '../auth/middleware.ts';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { ownedProject } from '../http/ownership.ts';

export interface UpgradeGrant {
  userId: string;
  project: ProjectRecord;
  /** The session the socket is bound to; undefined when `?session=` names one the user may not use. */
  session: SessionInfo | undefined;
}

const wsPath = /^\/ws\/([^/]+)\/?$/;

/**
 * Decides an upgrade to `/ws/:projectId`: authenticated (token, or the cookie from an allowed
 * Origin, since browsers send cookies on cross-site WebSocket handshakes), the project owned
 * by the user, and the socket bound to a session. Throws the HttpError to answer with.
 */
export async function authorizeUpgrade(ctx: ServerContext, req: IncomingMessage): Promise<UpgradeGrant> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const projectId = projectIdOf(url.pathname);
  if (!projectId) throw new HttpError(404, 'not_found', `No WebSocket endpoint at ${url.pathname}`);

  const headers = headersOf(req);
  const principal = await authenticate(ctx, headers, url.searchParams.get('token') ?? undefined);
  if (!principal) {
    throw new HttpError(
      401,
      'unauthorized',
      'Send a personal API token as ?token= or "Authorization: Bearer …", or sign in.',
    );
  }
  if (principal.via === 'cookie' && !ctx.allowedOrigins.has(headers.get('origin') ?? '')) {
    throw new HttpError(
      403,
      'bad_origin',
      'Cross-site WebSocket refused: the Origin header does not match this server.',
    );
  }
  const project = await ownedProject(ctx, principal.userId, projectId);
  const session = await boundSession(ctx, principal.userId, project, url.searchParams.get('session'));
  return { userId: principal.userId, project, session };
}

/** The requested session if it is the user's and in this project; else the newest one, or a new one. */
async function boundSession(
  ctx: ServerContext,
  userId: string,
  project: ProjectRecord,
  requested: string | null,
): Promise<SessionInfo | undefined> {
  if (requested !== null) {
    const session = await ctx.store.getSession(requested);
    return session && session.userId === userId && session.projectId === project.id ? session : undefined;
  }
  const [newest] = await ctx.store.listSessions({ projectId: project.id, userId, limit: 1 });
  if (newest) return newest;
  const created = await ctx.store.createSession({
    directory: project.workspace,
    projectId: project.id,
    userId,
    mode: 'chat',
  });
  await ctx.store.touchProject(project.id);
  return created;
}

/** Answers a refused upgrade with a plain HTTP response in our error format, then hangs up. */
export function rejectUpgrade(socket: Duplex, error: HttpError): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(error.toBody());
  const head = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

function projectIdOf(pathname: string): string | undefined {
  const encoded = wsPath.exec(pathname)?.[1];
  if (!encoded) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}
