import { type WebFetchInput, webFetchInput } from '@aura/protocol';
import { describeBinary, looksBinary, SNIFF_BYTES } from './binary.ts';
import { DEFAULT_FETCH_MAX_BYTES, type GuardedFetchOptions, guardedFetch } from './guarded-fetch.ts';
import { htmlToText } from './html.ts';
import { formatBytes, truncateText } from './text.ts';
import type { ToolDefinition } from './types.ts';

export const MAX_FETCH_OUTPUT_BYTES = 50 * 1024;

function charsetOf(contentType: string): string {
  const match = /charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType);
  return match?.[1]?.toLowerCase() ?? 'utf-8';
}

function decodeBody(body: Buffer, contentType: string): string {
  try {
    return new TextDecoder(charsetOf(contentType)).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

function isHtml(contentType: string, body: Buffer): boolean {
  if (/\b(text\/html|application\/xhtml\+xml)\b/i.test(contentType)) return true;
  if (contentType && !/^text\/plain/i.test(contentType)) return false;
  return /^\s*(<!doctype html|<html)/i.test(body.subarray(0, 512).toString('latin1'));
}

function isTextual(contentType: string): boolean {
  return /^(text\/|application\/(json|xml|javascript|ecmascript|x-javascript|x-sh|x-yaml|yaml|toml|graphql|x-www-form-urlencoded))|\+(json|xml)\b/i.test(
    contentType,
  );
}

/** Turns a fetched body into what the model reads. */
export function bodyToText(body: Buffer, contentType: string, url: string): { text: string; kind: string } {
  if (isHtml(contentType, body))
    return { text: htmlToText(decodeBody(body, contentType), { baseUrl: url }), kind: 'html' };
  if (isTextual(contentType) || !looksBinary(body.subarray(0, SNIFF_BYTES))) {
    return { text: decodeBody(body, contentType), kind: 'text' };
  }
  const type =
    contentType || describeBinary(body.subarray(0, SNIFF_BYTES), body.length, new URL(url).pathname);
  return { text: `[Binary content (${type}, ${formatBytes(body.length)}) is not shown.]`, kind: 'binary' };
}

/** Test hook: lets tests inject DNS resolution and address policy. */
export type WebFetchOverrides = Pick<GuardedFetchOptions, 'resolve' | 'classify' | 'timeoutMs' | 'maxBytes'>;

export function createWebFetchTool(overrides: WebFetchOverrides = {}): ToolDefinition<WebFetchInput> {
  return {
    name: 'web_fetch',
    description: [
      'Fetch a web page or file over http(s) and return it as readable text (HTML is converted: scripts, styles and markup removed, links kept as "text (url)").',
      `Use it to read documentation, API references or issues the user points to. Responses are read up to ${formatBytes(DEFAULT_FETCH_MAX_BYTES)} and shown up to ${formatBytes(MAX_FETCH_OUTPUT_BYTES)}; redirects are followed (up to 5).`,
      'Only public internet hosts can be reached: localhost, private networks and cloud metadata addresses are refused.',
    ].join('\n'),
    inputSchema: webFetchInput,
    readOnly: true,
    subject: (input) => input.url,
    async execute(input, ctx) {
      const result = await guardedFetch(input.url, {
        allowPrivateNetwork: ctx.allowPrivateNetwork,
        signal: ctx.signal,
        ...overrides,
      });
      const { text, kind } = bodyToText(result.body, result.contentType, result.url);
      const shown = truncateText(
        text,
        MAX_FETCH_OUTPUT_BYTES,
        `Content truncated at ${formatBytes(MAX_FETCH_OUTPUT_BYTES)} of ${formatBytes(Buffer.byteLength(text))}`,
      );
      const header = [
        `URL: ${result.url}${result.redirects.length > 0 ? ` (redirected from ${input.url})` : ''}`,
        `Status: ${result.status}${result.statusText ? ` ${result.statusText}` : ''}`,
        result.contentType ? `Content-Type: ${result.contentType}` : undefined,
        result.truncated
          ? `[The response was larger than ${formatBytes(DEFAULT_FETCH_MAX_BYTES)}; only the start was read.]`
          : undefined,
      ].filter(Boolean);
      return {
        ok: result.status < 400,
        output: `${header.join('\n')}\n\n${shown.text.trim() === '' ? '(empty body)' : shown.text}`,
        metadata: {
          url: result.url,
          status: result.status,
          contentType: result.contentType,
          bytes: result.body.length,
          kind,
          truncated: result.truncated || shown.truncated,
          redirects: result.redirects,
        },
      };
    },
  };
}

export const webFetchTool = createWebFetchTool();
