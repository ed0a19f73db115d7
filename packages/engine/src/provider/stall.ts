import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
} from '@ai-sdk/provider';
import { ProviderStallError, type StallPhase } from './errors.ts';

export type StallWatchdogOptions = {
  /** Max wait from the request until the provider's first stream part (default 60s). */
  firstChunkTimeoutMs?: number;
  /** Max gap between two stream parts once data is flowing (default 30s). */
  idleTimeoutMs?: number;
};

type Timed<T> = { timedOut: true } | { timedOut: false; value: T };

/**
 * Errors doStream's stream with a ProviderStallError, and aborts the HTTP request,
 * when the provider keeps the connection open but stops sending. doGenerate is
 * passed through: a non-streaming call has no parts to watch.
 * Place it inside withRetry so stalls before any content get retried.
 */
export function withStallWatchdog(
  model: LanguageModelV4,
  options: StallWatchdogOptions = {},
): LanguageModelV4 {
  const limits = {
    firstChunkMs: options.firstChunkTimeoutMs ?? 60_000,
    idleMs: options.idleTimeoutMs ?? 30_000,
  };
  return {
    specificationVersion: 'v4',
    provider: model.provider,
    modelId: model.modelId,
    get supportedUrls() {
      return model.supportedUrls;
    },
    doGenerate: (callOptions) => model.doGenerate(callOptions),
    doStream: (callOptions) => watchStream(model, callOptions, limits),
  };
}

async function watchStream(
  model: LanguageModelV4,
  options: LanguageModelV4CallOptions,
  limits: { firstChunkMs: number; idleMs: number },
): Promise<LanguageModelV4StreamResult> {
  const watchdog = new AbortController();
  const abortSignal = options.abortSignal
    ? AbortSignal.any([options.abortSignal, watchdog.signal])
    : watchdog.signal;
  const firstChunkDeadline = Date.now() + limits.firstChunkMs;
  const stall = (phase: StallPhase): ProviderStallError => {
    const error = new ProviderStallError(phase === 'idle' ? limits.idleMs : limits.firstChunkMs, phase);
    watchdog.abort(error);
    return error;
  };

  // Several providers read the response until the first output before doStream resolves,
  // so the first-chunk clock has to cover the call itself.
  const started = await withTimeout(model.doStream({ ...options, abortSignal }), limits.firstChunkMs);
  if (started.timedOut) throw stall('first-chunk');
  const result = started.value;

  const reader = result.stream.getReader();
  let receivedData = false;
  const stream = new ReadableStream<LanguageModelV4StreamPart>(
    {
      async pull(controller) {
        const waitMs = receivedData ? limits.idleMs : firstChunkDeadline - Date.now();
        const next = await withTimeout(reader.read(), waitMs);
        if (next.timedOut) {
          const error = stall(receivedData ? 'idle' : 'first-chunk');
          reader.cancel(error).catch(() => {});
          throw error;
        }
        if (next.value.done) {
          controller.close();
          return;
        }
        // stream-start is emitted locally by providers before any bytes arrive.
        if (next.value.value.type !== 'stream-start') receivedData = true;
        controller.enqueue(next.value.value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    // Pull only on demand so a slow consumer is never mistaken for a stalled provider.
    { highWaterMark: 0 },
  );
  return { ...result, stream };
}

async function withTimeout<T>(promise: PromiseLike<T>, ms: number): Promise<Timed<T>> {
  if (!Number.isFinite(ms)) return { timedOut: false, value: await promise };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Timed<T>>((resolve) => {
    timer = setTimeout(() => resolve({ timedOut: true }), Math.max(0, ms));
  });
  try {
    return await Promise.race([
      Promise.resolve(promise).then((value): Timed<T> => ({ timedOut: false, value })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
