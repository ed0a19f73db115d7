import { PREVIEW_COOKIE, readCookie } from './cookies.ts';
import { hostnameOf } from './host.ts';
import type { PreviewService } from './service.ts';

export type Access = { ok: true } | { ok: false; status: 401 | 403; title: string; message: string };

export interface GateRequest {
  kind: 'http' | 'ws';
  cookie: string | undefined;
  host: string | undefined;
  origin: string | undefined;
  /** Fetch metadata (Sec-Fetch-Site / Sec-Fetch-Mode), sent by browsers. */
  fetchSite: string | undefined;
  fetchMode: string | undefined;
}

const privatePreview = {
  title: 'This preview is private',
  message: 'Open it from the Aura IDE: preview links carry a short-lived access token.',
};

/**
 * Who may see a private preview: a browser holding the `aura_preview` cookie this origin set
 * for this project and its owner. Also refuses requests the page did not make itself: from
 * another site or another preview (all `*.localhost` origins are one site, so SameSite does not
 * separate them) unless they are navigations, and WebSocket handshakes from another origin.
 */
export function checkAccess(service: PreviewService, projectId: string, req: GateRequest): Access {
  if (!service.isPublic) {
    const token = readCookie(req.cookie, PREVIEW_COOKIE);
    if (!token) return { ok: false, status: 401, ...privatePreview };
    const verified = service.tokens.verify(token, 'cookie');
    if (!verified.ok) {
      return {
        ok: false,
        status: 401,
        title: verified.reason === 'expired' ? 'This preview link has expired' : privatePreview.title,
        message: privatePreview.message,
      };
    }
    const owner = service.ownerOf(projectId);
    if (verified.grant.projectId !== projectId || (owner !== undefined && owner !== verified.grant.userId)) {
      return forbidden('This preview belongs to another project or user.');
    }
  }
  if (req.kind === 'ws') {
    if (req.origin !== undefined && !sameHost(req.origin, req.host)) {
      return forbidden('Cross-origin WebSocket refused.');
    }
    return { ok: true };
  }
  const site = req.fetchSite;
  if (site !== undefined && site !== 'same-origin' && site !== 'none' && req.fetchMode !== 'navigate') {
    return forbidden(
      'Requests from other sites (or other previews) are refused; only navigations are allowed.',
    );
  }
  return { ok: true };
}

/** Whether an Origin header names the same host:port as the Host header. */
export function sameHost(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    const url = new URL(origin);
    return (
      url.host === host.trim().toLowerCase() ||
      (hostnameOf(url.host) === hostnameOf(host) && url.port === portOf(host))
    );
  } catch {
    return false;
  }
}

function portOf(host: string): string {
  const match = /:(\d+)$/.exec(host.trim());
  return match ? match[1]! : '';
}

function forbidden(message: string): Access {
  return { ok: false, status: 403, title: 'Access to this preview was refused', message };
}
