import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { classifyAddress } from './net-guard.ts';
import { ToolError } from './types.ts';

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface GuardedFetchOptions {
  /** Skip the public-address check (loopback and private networks become reachable). */
  allowPrivateNetwork: boolean;
  signal: AbortSignal;
  timeoutMs?: number;
  /** Stop reading the (decompressed) body after this many bytes. */
  maxBytes?: number;
  maxRedirects?: number;
  /** DNS resolution; returns every address of the host. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** Why an address must not be contacted, or undefined when it may (default: classifyAddress). */
  classify?: (address: string) => string | undefined;
  headers?: Record<string, string>;
}

export interface GuardedFetchResult {
  url: string;
  status: number;
  statusText: string;
  contentType: string;
  body: Buffer;
  /** The body was longer than maxBytes and was cut. */
  truncated: boolean;
  /** URLs redirected through, in order (not including the final one). */
  redirects: string[];
}

export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
export const DEFAULT_FETCH_MAX_BYTES = 5 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 5;

async function defaultResolve(hostname: string): Promise<ResolvedAddress[]> {
  return dnsLookup(hostname, { all: true, verbatim: true });
}

function bareHost(url: URL): string {
  const host = url.hostname;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * Resolves the URL's host and checks every address. The same addresses are then pinned for the
 * connection, so a DNS answer that changes between check and connect (rebinding) cannot slip through.
 */
async function resolveChecked(url: URL, options: GuardedFetchOptions): Promise<ResolvedAddress[]> {
  const host = bareHost(url);
  let addresses: ResolvedAddress[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await (options.resolve ?? defaultResolve)(host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new ToolError(`Could not resolve the host "${host}" (${code}). Check the URL.`);
    }
    if (addresses.length === 0) throw new ToolError(`The host "${host}" has no addresses.`);
  }
  if (!options.allowPrivateNetwork) {
    const classify = options.classify ?? classifyAddress;
    for (const { address } of addresses) {
      const reason = classify(address);
      if (reason) {
        const via = address === host ? '' : ` resolves to ${address}, which`;
        throw new ToolError(
          `Refusing to fetch ${url.origin}: "${host}"${via} is a ${reason} address. web_fetch only reaches public internet hosts; local and private network addresses are blocked.`,
        );
      }
    }
  }
  return addresses;
}

function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = typeof options === 'object' ? options.family : undefined;
    const wanted =
      family === 4 || family === 6 ? addresses.filter((entry) => entry.family === family) : addresses;
    const list = wanted.length > 0 ? wanted : addresses;
    if (typeof options === 'object' && options.all) {
      (callback as (error: null, addresses: ResolvedAddress[]) => void)(null, list);
    } else {
      callback(null, list[0]!.address, list[0]!.family);
    }
  };
}

function request(url: URL, addresses: ResolvedAddress[], options: GuardedFetchOptions, signal: AbortSignal) {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      {
        method: 'GET',
        lookup: pinnedLookup(addresses),
        signal,
        headers: {
          'user-agent': 'Mozilla/5.0 (compatible; Aura/0.1; +web_fetch)',
          accept: 'text/html,application/xhtml+xml,text/plain,application/json;q=0.9,*/*;q=0.8',
          'accept-encoding': 'gzip, deflate, br',
          ...options.headers,
        },
      },
      resolve,
    );
    req.once('error', reject);
    req.end();
  });
}

function decompressed(response: IncomingMessage): Readable {
  const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return response.pipe(zlib.createGunzip());
  if (encoding === 'deflate') return response.pipe(zlib.createInflate());
  if (encoding === 'br') return response.pipe(zlib.createBrotliDecompress());
  return response;
}

async function readCapped(
  response: IncomingMessage,
  maxBytes: number,
): Promise<{ body: Buffer; truncated: boolean }> {
  const stream = decompressed(response);
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of stream) {
      const buffer = chunk as Buffer;
      if (size + buffer.length > maxBytes) {
        chunks.push(buffer.subarray(0, maxBytes - size));
        size = maxBytes;
        truncated = true;
        break;
      }
      chunks.push(buffer);
      size += buffer.length;
    }
  } finally {
    response.destroy();
    if (stream !== response) stream.destroy();
  }
  return { body: Buffer.concat(chunks, size), truncated };
}

/**
 * GET a URL for the model: http(s) only, every hop's host resolved and checked against private
 * networks (unless allowed), redirects followed manually (max 5), overall timeout, body size cap.
 */
export async function guardedFetch(
  rawUrl: string,
  options: GuardedFetchOptions,
): Promise<GuardedFetchResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  const redirects: string[] = [];
  let url = parseUrl(rawUrl);

  try {
    for (;;) {
      const addresses = await resolveChecked(url, options);
      signal.throwIfAborted();
      const response = await request(url, addresses, options, signal);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && status !== 304 && location) {
        response.resume();
        response.destroy();
        if (redirects.length >= maxRedirects) {
          throw new ToolError(`Too many redirects (more than ${maxRedirects}) starting from ${rawUrl}.`);
        }
        redirects.push(url.toString());
        url = parseUrl(location, url);
        continue;
      }
      const { body, truncated } = await readCapped(response, options.maxBytes ?? DEFAULT_FETCH_MAX_BYTES);
      return {
        url: url.toString(),
        status,
        statusText: response.statusMessage ?? '',
        contentType: String(response.headers['content-type'] ?? ''),
        body,
        truncated,
        redirects,
      };
    }
  } catch (error) {
    if (error instanceof ToolError) throw error;
    if (options.signal.aborted) throw error;
    if (timeout.aborted) {
      throw new ToolError(`Fetching ${url.toString()} timed out after ${timeoutMs / 1000} s.`);
    }
    const code = (error as NodeJS.ErrnoException).code;
    throw new ToolError(
      `Fetching ${url.toString()} failed: ${code ? `${code} ` : ''}${(error as Error).message}`.trim(),
    );
  }
}

function parseUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new ToolError(`"${raw}" is not a valid URL. Pass an absolute http:// or https:// URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const what = base ? `A redirect to "${url.toString()}"` : `The URL "${raw}"`;
    throw new ToolError(
      `${what} uses ${url.protocol.replace(/:$/, '')}; only http and https can be fetched.`,
    );
  }
  if (url.username || url.password) {
    throw new ToolError('URLs with embedded credentials (user:password@host) are not fetched.');
  }
  url.hash = '';
  return url;
}
