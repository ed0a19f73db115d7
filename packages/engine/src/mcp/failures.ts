/** Words for the ways an MCP server can fail, shared by start-up and call errors. */

const networkCodes: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  UND_ERR_SOCKET: 'connection lost',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

/**
 * The network problem behind an error from fetch or the SDK's HTTP transport (which wraps causes
 * and sometimes keeps only their text), or undefined when the error is not a network failure.
 */
export function networkFailure(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && networkCodes[code]) return networkCodes[code];
    const message = current instanceof Error ? current.message : '';
    if (/SSE stream disconnected|terminated|other side closed/.test(message)) return 'connection lost';
    current = (current as { cause?: unknown }).cause;
  }
  if (error instanceof TypeError && error.message === 'fetch failed') return 'connection failed';
  return undefined;
}

/** An error's message, cut to a length that fits a tool result or a status line. */
export function errorText(error: unknown, max = 500): string {
  const text = (error instanceof Error ? error.message : String(error)).trim();
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** A URL as shown in messages: no credentials, query or fragment (they may hold tokens). */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
