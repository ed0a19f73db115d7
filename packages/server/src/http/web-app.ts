import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';
import { isLoopbackAlias } from '../config.ts';
import type { AppEnv } from '../context.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.map', '.wasm']);
/** Paths the IDE never serves: the API and the server's own endpoints answer (or 404) there. */
const SERVER_PATHS = /^\/(api|ws|metrics)(\/|$)/;

interface Asset {
  body: Buffer;
  gzip: Buffer | undefined;
  type: string;
}

export interface WebAppOptions {
  /** The directory `vite build` wrote. */
  dir: string;
  /** Origins the IDE may frame (the preview origins), for the Content-Security-Policy. */
  frameSources: () => string[];
  /**
   * The IDE's own address. A page asked for under a loopback alias of it (127.0.0.1, localhost) is
   * redirected there: previews are the same site only as seen from that address.
   */
  baseUrl: () => string;
}

/**
 * Serves the web IDE: hashed assets for a year, everything else (client-side routes) as
 * index.html, never cached. Files are read once and kept gzipped in memory. When the IDE has not
 * been built, pages say how to build it.
 */
export function webApp(options: WebAppOptions): MiddlewareHandler<AppEnv> {
  const cache = new Map<string, Asset | null>();
  let policy: string | undefined;
  let root: Promise<string | undefined> | undefined;

  const load = async (relative: string): Promise<Asset | null> => {
    const known = cache.get(relative);
    if (known !== undefined) return known;
    root ??= realpath(options.dir).catch(() => undefined);
    const base = await root;
    let asset: Asset | null = null;
    if (base) {
      const file = path.join(base, relative);
      const real = await realpath(file).catch(() => undefined);
      if (real?.startsWith(`${base}${path.sep}`) && (await stat(real)).isFile()) {
        const extension = path.extname(real).toLowerCase();
        const body = await readFile(real);
        asset = {
          body,
          gzip: COMPRESSIBLE.has(extension) && body.length > 1024 ? gzipSync(body, { level: 9 }) : undefined,
          type: TYPES[extension] ?? 'application/octet-stream',
        };
      }
    }
    cache.set(relative, asset);
    return asset;
  };

  return async (c, next) => {
    policy ??= contentSecurityPolicy(options.frameSources());
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || SERVER_PATHS.test(c.req.path)) return next();
    const relative = safeRelative(c.req.path);
    if (relative === undefined) return next();
    const asset = relative === '' ? null : await load(relative);
    if (asset) {
      const immutable = relative.startsWith('assets/');
      return send(c, asset, immutable ? 'public, max-age=31536000, immutable' : 'no-cache', policy);
    }
    // A missing asset is a 404; any other path is a client-side route of the single-page app.
    if (relative.startsWith('assets/') || path.extname(relative) !== '') return next();
    const canonical = new URL(options.baseUrl());
    const hostname = new URL(`http://${c.req.header('host') ?? canonical.host}`).hostname;
    if (hostname !== canonical.hostname && isLoopbackAlias(hostname)) {
      const { pathname, search } = new URL(c.req.url);
      return c.redirect(`${canonical.origin}${pathname}${search}`, 302);
    }
    const index = await load('index.html');
    if (!index) {
      return c.html(
        '<!doctype html><meta charset="utf-8"><title>Aura</title><p>The web IDE has not been built. Run <code>npm run build:web</code> (or start with <code>npm start</code>, which builds it), then reload.</p>',
        503,
      );
    }
    return send(c, index, 'no-cache', policy);
  };
}

function send(c: Context<AppEnv>, asset: Asset, cacheControl: string, policy: string): Response {
  const gzip = asset.gzip && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
  const body = gzip ? asset.gzip! : asset.body;
  const headers: Record<string, string> = {
    'content-type': asset.type,
    'content-length': String(body.length),
    'cache-control': cacheControl,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  };
  if (gzip) headers['content-encoding'] = 'gzip';
  if (asset.type.startsWith('text/html')) headers['content-security-policy'] = policy;
  if (c.req.method === 'HEAD') return c.body(null, 200, headers);
  return c.body(new Uint8Array(body), 200, headers);
}

/** The request path as a relative path inside the app, or undefined for a hostile one. */
function safeRelative(requestPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const normalized = path.posix.normalize(decoded);
  if (!normalized.startsWith('/') || normalized.split('/').includes('..')) return undefined;
  return normalized.slice(1);
}

/**
 * The IDE runs only its own scripts; it talks to its own origin (REST, WebSocket) and frames the
 * preview origins. Inline styles are allowed for the editor's and the panels' computed styles.
 */
function contentSecurityPolicy(frameSources: string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    `frame-src ${frameSources.join(' ') || "'none'"}`,
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}
