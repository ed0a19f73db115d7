import { RemoteError } from './errors.ts';

/** One request that gets no answer within this long counts as the server being unreachable. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface RequestOptions {
  signal?: AbortSignal;
  /** Default 30 s; event streams pass 0 (none). */
  timeoutMs?: number;
}

/**
 * A client of an Aura server's REST API with a personal API token. Failures become RemoteErrors
 * whose messages say what to do: the server cannot be reached, is not an Aura server, refused the
 * token, or answered with an Aura error (its own message).
 */
export class RemoteApi {
  readonly server: string;
  readonly #token: string;

  constructor(server: string, token: string) {
    this.server = server;
    this.#token = token;
  }

  /** A JSON call; resolves to the parsed body (undefined for 204). */
  async request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    const response = await this.fetch(path, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      ...opts,
    });
    const text = await response.text().catch((error: unknown) => {
      throw this.#unreachable(error);
    });
    if (response.status === 204) return undefined as T;
    const parsed = parseJson(text);
    if (response.ok && parsed !== undefined) return parsed as T;
    throw this.#failure(response, parsed);
  }

  /**
   * A raw response (event streams) with the token attached. Network failures and redirects become
   * RemoteErrors; the status is the caller's to check (see `failure`).
   */
  async fetch(path: string, init: RequestInit & RequestOptions = {}): Promise<Response> {
    const { timeoutMs = REQUEST_TIMEOUT_MS, signal, headers, ...rest } = init;
    const timeout = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
    const signals = [signal, timeout].filter((s): s is AbortSignal => s !== undefined && s !== null);
    let response: Response;
    try {
      response = await fetch(`${this.server}${path}`, {
        ...rest,
        headers: { accept: 'application/json', ...headers, authorization: `Bearer ${this.#token}` },
        // Never follow: a redirect to another host would carry the token there.
        redirect: 'manual',
        ...(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw timeout?.aborted
        ? new RemoteError(
            'unreachable',
            `The Aura server at ${this.server} did not answer within ${timeoutMs / 1000} s.`,
          )
        : this.#unreachable(error);
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      throw new RemoteError(
        'not_aura',
        `${this.server} answered with a redirect${location ? ` to ${safeLocation(location, this.server)}` : ''}. Use the server's final address (for example https:// instead of http://).`,
        { status: response.status },
      );
    }
    return response;
  }

  /** The RemoteError for a response that is not a success. */
  async failure(response: Response): Promise<RemoteError> {
    const text = await response.text().catch(() => '');
    return this.#failure(response, parseJson(text));
  }

  #failure(response: Response, body: unknown): RemoteError {
    const error = auraError(body);
    if (response.status === 401 && error) {
      return new RemoteError(
        'unauthorized',
        `The Aura server at ${this.server} refused the token (401): it is wrong, expired or revoked. Create a new one in the web IDE (${this.server}/settings#tokens) and run: aura auth login --server ${this.server}`,
        { status: 401, code: error.code },
      );
    }
    if (!error) {
      const type = response.headers.get('content-type')?.split(';')[0];
      return new RemoteError(
        'not_aura',
        `${this.server} did not answer like an Aura server (HTTP ${response.status}${type ? `, ${type}` : ''}). Check the URL.`,
        { status: response.status },
      );
    }
    return new RemoteError('api', error.message, { status: response.status, code: error.code });
  }

  #unreachable(error: unknown): RemoteError {
    return new RemoteError(
      'unreachable',
      `Cannot reach the Aura server at ${this.server}: ${networkReason(error)}.`,
      {
        cause: error,
      },
    );
  }
}

/** An Aura error body `{error: {code, message}}`, if that is what `body` is. */
function auraError(body: unknown): { code: string; message: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string' ? { code, message } : undefined;
}

/** `connect ECONNREFUSED 127.0.0.1:9` rather than undici's bare "fetch failed". */
export function networkReason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error && cause.message) return cause.message;
  if (cause && typeof cause === 'object' && 'code' in cause) return String(cause.code);
  return error instanceof Error ? error.message : String(error);
}

/** Where a redirect points, without any query (it might carry a token of the other site). */
function safeLocation(location: string, base: string): string {
  try {
    const url = new URL(location, base);
    return `${url.origin}${url.pathname}`;
  } catch {
    return 'an invalid address';
  }
}

/** The JSON in a response body; undefined for an empty or non-JSON body. */
export function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
