import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { rejectUpgrade } from '../stream/ws-upgrade.ts';
import { checkAccess } from './gate.ts';

/**
 * WebSocket upgrades on preview hosts (the dev server's HMR socket) go to the dev server, after
 * the same access check as HTTP plus an Origin check. Returns false when `req` is not for a
 * preview host (the IDE's own /ws endpoint handles it).
 */
export function handlePreviewUpgrade(
  ctx: ServerContext,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): boolean {
  const { preview } = ctx;
  const host = preview.hostOf(req.headers.host);
  if (!host) return false;
  if (!host.projectId) {
    rejectUpgrade(socket, new HttpError(404, 'not_found', 'This address names no Aura project.'));
    return true;
  }
  const access = checkAccess(preview, host.projectId, {
    kind: 'ws',
    cookie: req.headers.cookie,
    host: req.headers.host,
    origin: req.headers.origin,
    fetchSite: undefined,
    fetchMode: undefined,
  });
  if (!access.ok) {
    rejectUpgrade(
      socket,
      new HttpError(access.status, access.status === 401 ? 'unauthorized' : 'forbidden', access.message),
    );
    return true;
  }
  preview.upstreamOf(host.projectId).then(
    (upstream) => {
      if (upstream) preview.proxy.ws(req, socket, head, upstream);
      else rejectUpgrade(socket, new HttpError(503, 'not_running', 'The preview is not running.'));
    },
    () => rejectUpgrade(socket, new HttpError(502, 'unreachable', 'The dev server cannot be reached.')),
  );
  return true;
}
