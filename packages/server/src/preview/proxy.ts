import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Endpoint } from '@aura/engine';
import { ProxyServer } from 'http-proxy-3';
import type { Logger } from '../logger.ts';
import { stripAuraCookies } from './cookies.ts';
import { injectReporter } from './inject.ts';

/** HTML pages larger than this pass through without the reporter. */
const MAX_INJECT_BYTES = 8 * 1024 * 1024;
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export interface Upstream {
  /** The dev server's port inside the sandbox (what it believes its address is). */
  port: number;
  /** Where the server reaches it: loopback TCP, or a UNIX socket into the sandbox's network. */
  endpoint: Endpoint;
}

interface Target extends Upstream {
  /** The preview's public origin, for rewriting redirects that name the dev server's address. */
  origin: string;
}

/** http-proxy's target; over a socket the Host header still names 127.0.0.1:<port>. */
function proxyTarget({
  port,
  endpoint,
}: Upstream): string | { socketPath: string; host: string; port: number } {
  if ('socketPath' in endpoint) return { socketPath: endpoint.socketPath, host: `127.0.0.1:${port}`, port };
  return `http://${endpoint.host}:${endpoint.port}`;
}

/**
 * Forwards preview requests to a project's dev server (http-proxy-3), WebSocket upgrades
 * (HMR) included. Aura's cookies are removed from every forwarded request; HTML responses get
 * the error reporter injected (the upstream is asked for an uncompressed body so it can be).
 */
export class PreviewProxy {
  readonly #proxy: ProxyServer;
  readonly #targets = new WeakMap<IncomingMessage, Target>();
  readonly #sockets = new Set<Duplex>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
    this.#proxy = new ProxyServer({
      xfwd: true,
      // The dev server sees Host 127.0.0.1:<port>, which dev servers' host checks accept.
      changeOrigin: true,
      selfHandleResponse: true,
      proxyTimeout: 120_000,
    });
    this.#proxy.on('proxyRes', (proxyRes, req, res) => this.#respond(proxyRes, req, res));
    this.#proxy.on('error', (error) => this.#logger.debug({ err: error }, 'preview proxy error'));
  }

  /** Proxies one HTTP request; resolves when the response has been sent (or the client left). */
  web(req: IncomingMessage, res: ServerResponse, target: Target): Promise<void> {
    prepare(req);
    req.headers['accept-encoding'] = 'identity';
    this.#targets.set(req, target);
    return new Promise((resolve) => {
      res.once('close', () => resolve());
      this.#proxy.web(req, res, { target: proxyTarget(target) }, (error) => {
        this.#logger.debug({ err: error, port: target.port }, 'preview upstream unreachable');
        if (res.headersSent) {
          res.destroy();
          return;
        }
        res.writeHead(502, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(
          page(
            'The preview is not answering',
            'The dev server did not respond. It may still be starting, or it may have crashed: see the preview logs in the IDE.',
          ),
        );
      });
    });
  }

  /** Proxies a WebSocket upgrade (HMR). */
  ws(req: IncomingMessage, socket: Duplex, head: Buffer, upstream: Upstream): void {
    prepare(req);
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    this.#proxy.ws(req, socket, head, { target: proxyTarget(upstream) }, (error) => {
      this.#logger.debug({ err: error, port: upstream.port }, 'preview websocket upstream unreachable');
      socket.destroy();
    });
  }

  /** Cuts every proxied WebSocket (server shutdown). */
  close(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  #respond(proxyRes: IncomingMessage, req: IncomingMessage, res: ServerResponse): void {
    const target = this.#targets.get(req);
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(proxyRes.headers)) {
      if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
    }
    const location = proxyRes.headers.location;
    if (location && target) headers.location = rewriteLocation(location, target);
    const status = proxyRes.statusCode ?? 502;
    const type = String(proxyRes.headers['content-type'] ?? '');
    const encoding = String(proxyRes.headers['content-encoding'] ?? 'identity').toLowerCase();
    const injectable =
      /^text\/html\b/i.test(type) &&
      encoding === 'identity' &&
      req.method !== 'HEAD' &&
      status !== 204 &&
      status !== 304 &&
      Number(proxyRes.headers['content-length'] ?? 0) <= MAX_INJECT_BYTES;
    if (!injectable) {
      res.writeHead(status, proxyRes.statusMessage, headers);
      proxyRes.pipe(res);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let passthrough = false;
    proxyRes.on('data', (chunk: Buffer) => {
      if (passthrough) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_INJECT_BYTES) {
        // Too big to buffer: send what we have untouched and stream the rest.
        passthrough = true;
        res.writeHead(status, proxyRes.statusMessage, headers);
        res.write(Buffer.concat(chunks));
        proxyRes.pipe(res);
      }
    });
    proxyRes.on('end', () => {
      if (passthrough) return;
      const body = Buffer.from(injectReporter(Buffer.concat(chunks).toString('utf8')), 'utf8');
      headers['content-length'] = String(body.length);
      delete headers.etag;
      res.writeHead(status, proxyRes.statusMessage, headers);
      res.end(body);
    });
    proxyRes.on('error', () => res.destroy());
  }
}

/** Requests reach the app without Aura's cookies. */
function prepare(req: IncomingMessage): void {
  const cookie = stripAuraCookies(req.headers.cookie);
  if (cookie === undefined) delete req.headers.cookie;
  else req.headers.cookie = cookie;
}

/** A redirect to the dev server's own address (127.0.0.1:<port>, localhost:<port>) stays on the preview origin. */
function rewriteLocation(location: string, target: Target): string {
  try {
    const url = new URL(location);
    const local = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (!local || Number(url.port) !== target.port) return location;
    return `${target.origin}${url.pathname}${url.search}${url.hash}`;
  } catch {
    return location;
  }
}

/** A small self-contained HTML page for the proxy's own answers. */
export function page(title: string, message: string): string {
  const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}h1{font-size:1.25rem}</style></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
}
