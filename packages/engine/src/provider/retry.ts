import type {
  LanguageModelV4,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
} from '@ai-sdk/provider';
import { classifyError, type ProviderErrorInfo } from './errors.ts';

export type RetryInfo = {
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  reason: string;
  error: ProviderErrorInfo;
};

export type RetryOptions = {
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  onRetry?: (info: RetryInfo) => void;
  /** Must reject when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Source of jitter in [0, 1); injectable for deterministic tests. */
  random?: () => number;
};

type RetryConfig = Required<Omit<RetryOptions, 'onRetry'>> & Pick<RetryOptions, 'onRetry'>;

/**
 * Retries transient provider failures (429, 408, 409, 5xx, network errors, stalls).
 * doStream is retried only while nothing user-visible has been produced: the returned
 * promise resolves once the first content part arrived. Later failures are not retried,
 * because text already shown cannot be taken back; they become a final `error` part, which
 * streamText reports like any provider error (error part, onError, finishReason 'error')
 * instead of throwing out of fullStream. Aborts by the caller still error the stream.
 * Use with the AI SDK's own `maxRetries: 0` so retries are not multiplied.
 */
export function withRetry(model: LanguageModelV4, options: RetryOptions = {}): LanguageModelV4 {
  const config: RetryConfig = {
    maxRetries: options.maxRetries ?? 4,
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    onRetry: options.onRetry,
    sleep: options.sleep ?? abortableSleep,
    random: options.random ?? Math.random,
  };
  return {
    specificationVersion: 'v4',
    provider: model.provider,
    modelId: model.modelId,
    get supportedUrls() {
      return model.supportedUrls;
    },
    doGenerate: (callOptions) =>
      retrying(config, callOptions.abortSignal, () => model.doGenerate(callOptions)),
    doStream: (callOptions) =>
      retrying(config, callOptions.abortSignal, async (willRetry) =>
        holdUntilContent(await model.doStream(callOptions), willRetry, callOptions.abortSignal),
      ),
  };
}

async function retrying<T>(
  config: RetryConfig,
  signal: AbortSignal | undefined,
  attemptOnce: (willRetry: (error: unknown) => boolean) => PromiseLike<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const willRetry = (error: unknown) =>
      signal?.aborted !== true && attempt < config.maxRetries && classifyError(error).retryable;
    try {
      return await attemptOnce(willRetry);
    } catch (error) {
      if (!willRetry(error)) throw error;
      const info = classifyError(error);
      const delayMs = retryDelayMs(error, attempt, config);
      config.onRetry?.({ attempt: attempt + 1, delayMs, reason: info.message, error: info });
      await config.sleep(delayMs, signal);
      if (signal?.aborted) throw signal.reason;
    }
  }
}

// Parts that carry no user-visible output; holding them back costs nothing.
const PREAMBLE_PARTS = new Set<LanguageModelV4StreamPart['type']>([
  'stream-start',
  'response-metadata',
  'raw',
  'ping',
  'custom',
  'text-start',
  'reasoning-start',
]);

function isContent(part: LanguageModelV4StreamPart): boolean {
  if (PREAMBLE_PARTS.has(part.type) || part.type === 'error') return false;
  // Some OpenAI-compatible streams open with an empty delta (the role chunk).
  return !('delta' in part && part.delta === '');
}

/**
 * Reads the stream until its first content part so that failures before it can be
 * thrown (and retried); hands back a stream that replays what was read.
 */
async function holdUntilContent(
  result: LanguageModelV4StreamResult,
  willRetry: (error: unknown) => boolean,
  signal: AbortSignal | undefined,
): Promise<LanguageModelV4StreamResult> {
  const reader = result.stream.getReader();
  const held: LanguageModelV4StreamPart[] = [];
  for (;;) {
    let next: Awaited<ReturnType<typeof reader.read>>;
    try {
      next = await reader.read();
    } catch (error) {
      if (willRetry(error)) throw error;
      return { ...result, stream: replay(held, reader, signal, { error }) };
    }
    if (next.done) return { ...result, stream: replay(held, reader, signal) };
    const part = next.value;
    if (part.type === 'error' && willRetry(part.error)) {
      reader.cancel(part.error).catch(() => {});
      throw part.error;
    }
    held.push(part);
    if (isContent(part)) return { ...result, stream: replay(held, reader, signal) };
  }
}

function replay(
  held: LanguageModelV4StreamPart[],
  reader: ReadableStreamDefaultReader<LanguageModelV4StreamPart>,
  signal: AbortSignal | undefined,
  failure?: { error: unknown },
): ReadableStream<LanguageModelV4StreamPart> {
  const endWithError = (
    controller: ReadableStreamDefaultController<LanguageModelV4StreamPart>,
    error: unknown,
  ) => {
    if (signal?.aborted) throw error;
    controller.enqueue({ type: 'error', error });
    controller.close();
  };
  return new ReadableStream<LanguageModelV4StreamPart>(
    {
      start(controller) {
        for (const part of held) controller.enqueue(part);
      },
      async pull(controller) {
        if (failure) return endWithError(controller, failure.error);
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (error) {
          return endWithError(controller, error);
        }
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/** Delay before retry number `attempt + 1`: the server's Retry-After if given, else full-jitter backoff. */
export function retryDelayMs(
  error: unknown,
  attempt: number,
  config: Pick<RetryConfig, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  const hinted = retryAfterMs(error);
  if (hinted !== undefined) return Math.min(hinted, config.maxDelayMs);
  const ceiling = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** attempt);
  return Math.round(config.random() * ceiling);
}

/** Reads `retry-after-ms`, then `retry-after` (seconds or HTTP date) from the error's response headers. */
export function retryAfterMs(error: unknown, now: number = Date.now()): number | undefined {
  const headers = responseHeaders(error);
  if (headers === undefined) return undefined;
  const exact = headerValue(headers, 'retry-after-ms');
  if (exact !== undefined) {
    const ms = Number.parseFloat(exact);
    if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  }
  const value = headerValue(headers, 'retry-after');
  if (value === undefined) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.ceil(Number.parseFloat(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function responseHeaders(error: unknown): Record<string, unknown> | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const record = current as Record<string, unknown>;
    const headers = record.responseHeaders;
    if (typeof headers === 'object' && headers !== null) return headers as Record<string, unknown>;
    current = record.lastError ?? record.cause;
  }
  return undefined;
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
