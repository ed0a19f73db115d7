import { APICallError } from '@ai-sdk/provider';

export type ProviderErrorKind =
  | 'rate_limit'
  | 'server'
  | 'network'
  | 'stall'
  | 'auth'
  | 'bad_request'
  | 'not_found'
  | 'aborted'
  | 'unknown';

export type ProviderErrorInfo = {
  kind: ProviderErrorKind;
  retryable: boolean;
  /** User-facing, with anything resembling a credential redacted. */
  message: string;
  statusCode?: number;
};

export type StallPhase = 'first-chunk' | 'idle';

/** The provider connection stayed open but stopped delivering stream parts. */
export class ProviderStallError extends Error {
  readonly timeoutMs: number;
  readonly phase: StallPhase;

  constructor(timeoutMs: number, phase: StallPhase) {
    const seconds = formatSeconds(timeoutMs);
    super(
      phase === 'first-chunk'
        ? `The provider sent no data for ${seconds}s after the request was made`
        : `The provider stopped sending data for ${seconds}s`,
    );
    this.name = 'ProviderStallError';
    this.timeoutMs = timeoutMs;
    this.phase = phase;
  }

  static isInstance(error: unknown): error is ProviderStallError {
    return (
      error instanceof ProviderStallError || (error instanceof Error && error.name === 'ProviderStallError')
    );
  }
}

function formatSeconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ConnectionRefused',
  'ConnectionClosed',
  'FailedToOpenSocket',
]);

const NETWORK_MESSAGE =
  /fetch failed|failed to fetch|socket hang up|other side closed|^terminated$|network error|cannot connect to api|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE/i;

// Errors whose meaning does not change with a retry, whatever the provider's hint says.
const NEVER_RETRY_STATUS = new Set([400, 401, 403, 404, 405, 413, 422]);

/** Provider stream error types (Anthropic `error.type`, OpenAI `error.type`/`code`). */
const STREAM_ERROR_KINDS: Record<string, ProviderErrorKind> = {
  overloaded_error: 'server',
  api_error: 'server',
  server_error: 'server',
  rate_limit_error: 'rate_limit',
  rate_limit_exceeded: 'rate_limit',
  authentication_error: 'auth',
  permission_error: 'auth',
  invalid_request_error: 'bad_request',
  request_too_large: 'bad_request',
  not_found_error: 'not_found',
};

const SUMMARIES: Record<ProviderErrorKind, string> = {
  rate_limit: 'The provider is rate limiting requests',
  server: 'The provider had a server error',
  network: 'The connection to the provider failed',
  stall: 'The provider stopped responding',
  auth: 'The provider rejected the credentials; check the API key',
  bad_request: 'The provider rejected the request',
  not_found: 'The provider could not find the model or endpoint; check the model name and base URL',
  aborted: 'The request was aborted',
  unknown: 'The provider request failed',
};

export function classifyError(error: unknown): ProviderErrorInfo {
  const chain = causeChain(error);

  const stall = chain.find(ProviderStallError.isInstance);
  if (stall) return { kind: 'stall', retryable: true, message: redactSecrets(stall.message) };

  if (chain.some(isAbortLike)) return build('aborted', false, undefined, undefined);

  const apiError = chain.find((item): item is APICallError => APICallError.isInstance(item));
  const status = httpStatus(apiError) ?? chain.map(statusOf).find((value) => value !== undefined);
  const detail = providerDetail(apiError, chain);

  if (status !== undefined && status >= 400) {
    const kind = kindForStatus(status);
    const hinted = apiError?.isRetryable === true || chain.some((item) => retryHint(item) === true);
    const retryable = !NEVER_RETRY_STATUS.has(status) && (kind !== 'unknown' || hinted);
    return build(kind, retryable, status, detail);
  }

  if (chain.some(isNetworkError)) return build('network', true, undefined, detail);

  const typed = chain.map(streamErrorKind).find((kind) => kind !== undefined);
  if (typed) {
    const hint = chain.map(retryHint).find((value) => value !== undefined);
    return build(typed, hint ?? (typed === 'server' || typed === 'rate_limit'), undefined, detail);
  }

  const retryable = apiError?.isRetryable === true || chain.some((item) => retryHint(item) === true);
  return build(retryable ? 'server' : 'unknown', retryable, undefined, detail);
}

function build(
  kind: ProviderErrorKind,
  retryable: boolean,
  statusCode: number | undefined,
  detail: string | undefined,
): ProviderErrorInfo {
  const summary = statusCode === undefined ? SUMMARIES[kind] : `${SUMMARIES[kind]} (HTTP ${statusCode})`;
  const message = detail ? `${summary}: ${detail}` : summary;
  const info: ProviderErrorInfo = { kind, retryable, message: redactSecrets(message) };
  if (statusCode !== undefined) info.statusCode = statusCode;
  return info;
}

function kindForStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'rate_limit';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 408) return 'network';
  if (status === 409 || status >= 500) return 'server';
  if (status >= 400 && status < 500) return 'bad_request';
  return 'unknown';
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current != null && !chain.includes(current) && chain.length < 8) {
    chain.push(current);
    const record = asRecord(current);
    // The AI SDK's RetryError keeps the interesting error in lastError.
    current = record?.lastError ?? record?.cause;
  }
  return chain;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function isAbortLike(item: unknown): boolean {
  const name = asRecord(item)?.name;
  return name === 'AbortError' || name === 'ResponseAborted' || name === 'TimeoutError';
}

function isNetworkError(item: unknown): boolean {
  const record = asRecord(item);
  if (record === undefined) return false;
  if (typeof record.code === 'string' && NETWORK_CODES.has(record.code)) return true;
  return item instanceof Error && NETWORK_MESSAGE.test(item.message);
}

function httpStatus(apiError: APICallError | undefined): number | undefined {
  const status = apiError?.statusCode;
  // A 200 status on a failed call means the body broke mid-stream; the cause says why.
  return status !== undefined && status >= 400 ? status : undefined;
}

function statusOf(item: unknown): number | undefined {
  const record = asRecord(item);
  const status = record?.statusCode ?? record?.status;
  return typeof status === 'number' && status >= 400 ? status : undefined;
}

function retryHint(item: unknown): boolean | undefined {
  const value = asRecord(item)?.isRetryable;
  return typeof value === 'boolean' ? value : undefined;
}

function streamErrorKind(item: unknown): ProviderErrorKind | undefined {
  const record = asRecord(item);
  const nested = asRecord(record?.error);
  for (const key of [record?.type, record?.code, nested?.type, nested?.code]) {
    if (typeof key === 'string' && key in STREAM_ERROR_KINDS) return STREAM_ERROR_KINDS[key];
  }
  return undefined;
}

/** The provider's own explanation: the parsed error body, else the first error message in the chain. */
function providerDetail(apiError: APICallError | undefined, chain: unknown[]): string | undefined {
  const fromBody = messageFromBody(apiError?.data) ?? messageFromJson(apiError?.responseBody);
  if (fromBody) return truncate(fromBody);
  for (const item of chain) {
    const record = asRecord(item);
    const message = record?.message ?? asRecord(record?.error)?.message;
    if (
      typeof message === 'string' &&
      message !== '' &&
      message !== 'Failed to process successful response'
    ) {
      return truncate(message);
    }
  }
  return undefined;
}

function messageFromBody(data: unknown): string | undefined {
  const record = asRecord(data);
  const message = asRecord(record?.error)?.message ?? record?.message;
  return typeof message === 'string' && message !== '' ? message : undefined;
}

function messageFromJson(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    return messageFromBody(JSON.parse(body));
  } catch {
    return undefined;
  }
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine;
}

const SECRET_PATTERNS: RegExp[] = [
  /\b(authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|token)\s+)?[^\s"',;}]+/gi,
  /\b(x-api-key|api-key|x-goog-api-key|api[_-]?key|access[_-]?token|secret|password)(["']?\s*[:=]\s*["']?)[^\s"',;}&]+/gi,
  /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\bsk-(?:ant-|proj-|or-)?[A-Za-z0-9_*-]{6,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /\b(?:ghp|gho|ghs|github_pat|xox[abp])_[A-Za-z0-9_]{10,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
];

/** Removes API keys and authorization values from text meant for users or logs. */
export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce(
    (result, pattern) =>
      result.replace(pattern, (_match, label: unknown, separator: unknown) => {
        if (typeof label !== 'string' || /^(bearer|basic)$/i.test(label)) return '[REDACTED]';
        return typeof separator === 'string' ? `${label}${separator}[REDACTED]` : `${label}: [REDACTED]`;
      }),
    text,
  );
}

/**
 * Removes known credential values wherever they appear, whatever their shape: pattern-based
 * redaction cannot recognise a key like `mysecretvalue`, but the run knows the keys it uses.
 */
export function redactValues(text: string, secrets: readonly string[]): string {
  let result = redactSecrets(text);
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('[REDACTED]');
  }
  return result;
}
