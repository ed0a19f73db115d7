import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, ServerContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { previewCookie, TOKEN_PARAM } from './cookies.ts';
import { MAX_REPORT_BYTES, parseErrorReport, readCapped } from './errors.ts';
import { checkAccess, sameHost } from './gate.ts';
import { page } from './proxy.ts';
import { ERRORS_PATH, REPORTER_PATH, reporterScript } from './reporter.ts';

/**
 * First middleware of the app: a request whose Host is a preview host (`p-<project>.<domain>`)
 * never reaches the IDE or the API. It gets the preview: the token exchange, the reporter script,
 * the error endpoint, or the project's dev server through the proxy.
 */
export function previewHosts(ctx: ServerContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const host = ctx.preview.hostOf(c.req.header('host'));
    if (!host) return next();
    c.header('cache-control', 'no-store');
    if (!host.projectId) return html(c, 404, 'No such preview', 'This address names no Aura project.');
    return servePreview(ctx, c, host.projectId);
  };
}

async function servePreview(ctx: ServerContext, c: Context<AppEnv>, projectId: string): Promise<Response> {
  const { preview } = ctx;
  const url = new URL(c.req.url);
  if (url.pathname === REPORTER_PATH && (c.req.method === 'GET' || c.req.method === 'HEAD')) {
    return c.body(reporterScript, 200, { 'content-type': 'text/javascript; charset=utf-8' });
  }

  const linkToken = url.searchParams.get(TOKEN_PARAM);
  if (linkToken !== null) {
    url.searchParams.delete(TOKEN_PARAM);
    const clean = `${url.pathname}${url.search}`;
    if (preview.isPublic) return c.redirect(clean, 302);
    const verified = preview.tokens.verify(linkToken, 'url');
    if (!verified.ok) {
      return html(
        c,
        401,
        verified.reason === 'expired' ? 'This preview link has expired' : 'This preview link is not valid',
        'Open the preview again from the Aura IDE to get a fresh link.',
      );
    }
    const owner = preview.ownerOf(projectId);
    if (verified.grant.projectId !== projectId || (owner !== undefined && owner !== verified.grant.userId)) {
      return html(c, 403, 'Access to this preview was refused', 'This link is for another project or user.');
    }
    const cookie = preview.tokens.issue('cookie', projectId, verified.grant.userId);
    c.header(
      'set-cookie',
      previewCookie(cookie.token, preview.tokens.ttlMs('cookie'), ctx.options.baseUrl.startsWith('https:')),
    );
    return c.redirect(clean, 302);
  }

  const access = checkAccess(preview, projectId, {
    kind: 'http',
    cookie: c.req.header('cookie'),
    host: c.req.header('host'),
    origin: c.req.header('origin'),
    fetchSite: c.req.header('sec-fetch-site'),
    fetchMode: c.req.header('sec-fetch-mode'),
  });
  if (!access.ok) return html(c, access.status, access.title, access.message);

  if (url.pathname === ERRORS_PATH) return receiveError(ctx, c, projectId);
  if (url.pathname.startsWith('/__aura/')) return html(c, 404, 'Not found', 'No such preview resource.');

  const upstream = await preview.upstreamOf(projectId);
  if (upstream === undefined) {
    return html(c, 503, 'The preview is not running', 'Start it from the Aura IDE.');
  }
  const node = nodeBindings(c.env);
  if (!node) throw new HttpError(500, 'internal', 'The preview proxy needs the Node.js HTTP server.');
  await preview.proxy.web(node.incoming, node.outgoing, { ...upstream, origin: preview.originOf(projectId) });
  return RESPONSE_ALREADY_SENT;
}

async function receiveError(ctx: ServerContext, c: Context<AppEnv>, projectId: string): Promise<Response> {
  if (c.req.method !== 'POST') return c.body(null, 405, { allow: 'POST' });
  // Only the preview's own pages may report: not another preview, not another site.
  const origin = c.req.header('origin');
  if (!origin || !sameHost(origin, c.req.header('host'))) {
    return c.json(
      { error: { code: 'bad_origin', message: 'Reports must come from the preview itself.' } },
      403,
    );
  }
  const text = await readCapped(c.req.raw, MAX_REPORT_BYTES);
  if (text === undefined) {
    return c.json(
      { error: { code: 'body_too_large', message: `Reports are capped at ${MAX_REPORT_BYTES} bytes.` } },
      413,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const data = parseErrorReport(raw);
  if (!data) {
    return c.json(
      { error: { code: 'invalid_body', message: 'Expected {kind, message, stack?, url?}.' } },
      400,
    );
  }
  try {
    await ctx.preview.reportError(projectId, data);
  } catch (error) {
    if (error instanceof HttpError) return c.json(error.toBody(), 429, error.headers);
    throw error;
  }
  return c.body(null, 204);
}

function html(c: Context<AppEnv>, status: 401 | 403 | 404 | 503, title: string, message: string): Response {
  return c.html(page(title, message), status);
}

function nodeBindings(env: unknown): HttpBindings | undefined {
  if (typeof env !== 'object' || env === null) return undefined;
  const { incoming, outgoing } = env as Partial<Record<'incoming' | 'outgoing', unknown>>;
  if (!incoming || !outgoing) return undefined;
  return { incoming: incoming as IncomingMessage, outgoing: outgoing as ServerResponse };
}
