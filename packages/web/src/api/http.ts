/** A failed API call, with the server's message in words a person can act on. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly issues: readonly { path: string; message: string }[];

  constructor(status: number, code: string, message: string, issues: ApiError['issues'] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

export type Query = Record<string, string | number | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
}

/**
 * One JSON call to the Aura server with the session cookie. Resolves to the parsed body
 * (undefined for 204); rejects with an ApiError whose message is ready to show.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method: options.method ?? 'GET', credentials: 'include', headers };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), init);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, 'network', 'Cannot reach the Aura server. Check your connection and try again.');
  }
  const body = parseJson(await response.text());
  if (!response.ok) throw errorFrom(response, body);
  return body as T;
}

export function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Aura's `{error: {code, message, issues}}`, Better Auth's `{code, message}`, or just a status. */
export function errorFrom(response: Pick<Response, 'status' | 'statusText' | 'headers'>, body: unknown) {
  const record = isRecord(body) ? body : {};
  const inner = isRecord(record.error) ? record.error : record;
  const code = typeof inner.code === 'string' ? inner.code.toLowerCase() : `http_${response.status}`;
  const issues = Array.isArray(inner.issues) ? inner.issues.filter(isIssue) : [];
  let message = typeof inner.message === 'string' && inner.message ? inner.message : fallback(response);
  const retryAfter = Number(response.headers.get('retry-after'));
  if (response.status === 429 && retryAfter > 0) message = `${message} Try again in ${retryAfter} s.`;
  return new ApiError(response.status, code, message, issues);
}

function fallback(response: Pick<Response, 'status' | 'statusText'>): string {
  if (response.status === 401) return 'Your session has ended. Sign in again.';
  if (response.status >= 500) return `The server had a problem (${response.status}). Try again in a moment.`;
  return `The request failed (${response.status}${response.statusText ? ` ${response.statusText}` : ''}).`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIssue(value: unknown): value is { path: string; message: string } {
  return isRecord(value) && typeof value.path === 'string' && typeof value.message === 'string';
}
