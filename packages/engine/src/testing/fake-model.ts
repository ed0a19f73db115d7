import {
  APICallError,
  type LanguageModelV4,
  type LanguageModelV4CallOptions,
  type LanguageModelV4GenerateResult,
  type LanguageModelV4StreamPart,
  type LanguageModelV4StreamResult,
  type LanguageModelV4Usage,
} from '@ai-sdk/provider';

// In-memory LanguageModelV4 doubles for unit tests of model wrappers; use the
// wire server when the real provider packages should be exercised.

export type FakeModel = LanguageModelV4 & {
  streamCalls: LanguageModelV4CallOptions[];
  generateCalls: LanguageModelV4CallOptions[];
};

export type FakeModelHandlers = {
  /** `call` counts from 0. */
  doStream?: (options: LanguageModelV4CallOptions, call: number) => PromiseLike<LanguageModelV4StreamResult>;
  doGenerate?: (
    options: LanguageModelV4CallOptions,
    call: number,
  ) => PromiseLike<LanguageModelV4GenerateResult>;
};

export function fakeModel(handlers: FakeModelHandlers): FakeModel {
  const streamCalls: LanguageModelV4CallOptions[] = [];
  const generateCalls: LanguageModelV4CallOptions[] = [];
  return {
    specificationVersion: 'v4',
    provider: 'fake',
    modelId: 'fake-model',
    supportedUrls: {},
    streamCalls,
    generateCalls,
    doStream: async (options) => {
      streamCalls.push(options);
      if (!handlers.doStream) throw new Error('fakeModel: doStream not scripted');
      return handlers.doStream(options, streamCalls.length - 1);
    },
    doGenerate: async (options) => {
      generateCalls.push(options);
      if (!handlers.doGenerate) throw new Error('fakeModel: doGenerate not scripted');
      return handlers.doGenerate(options, generateCalls.length - 1);
    },
  };
}

export const FAKE_USAGE: LanguageModelV4Usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

export function textParts(deltas: string[]): LanguageModelV4StreamPart[] {
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'response-metadata', id: 'resp-1', modelId: 'fake-model' },
    { type: 'text-start', id: 't0' },
    ...deltas.map((delta): LanguageModelV4StreamPart => ({ type: 'text-delta', id: 't0', delta })),
    { type: 'text-end', id: 't0' },
    { type: 'finish', usage: FAKE_USAGE, finishReason: { unified: 'stop', raw: 'stop' } },
  ];
}

export type PartsStreamBehaviour = {
  /** Emit this many parts, then error the stream with `error`. */
  failAfter?: number;
  error?: unknown;
  /** Emit this many parts, then go silent until `signal` aborts. */
  stallAfter?: number;
  /** Delay before each part. */
  delayMs?: number;
  /** Like a real fetch body: aborting errors the stream with the abort reason. */
  signal?: AbortSignal;
};

export function partsStream(
  parts: LanguageModelV4StreamPart[],
  behaviour: PartsStreamBehaviour = {},
): ReadableStream<LanguageModelV4StreamPart> {
  let index = 0;
  return new ReadableStream<LanguageModelV4StreamPart>(
    {
      async pull(controller) {
        if (index === behaviour.failAfter) throw behaviour.error ?? new Error('fake stream failure');
        if (index === behaviour.stallAfter) {
          await untilAborted(behaviour.signal);
          throw behaviour.signal?.reason;
        }
        if (behaviour.delayMs !== undefined) await delay(behaviour.delayMs, behaviour.signal);
        const part = parts[index++];
        if (part === undefined) controller.close();
        else controller.enqueue(part);
      },
    },
    { highWaterMark: 0 },
  );
}

export function streamResult(
  parts: LanguageModelV4StreamPart[],
  behaviour: PartsStreamBehaviour = {},
): LanguageModelV4StreamResult {
  return { stream: partsStream(parts, behaviour), response: { headers: {} } };
}

export function generateResult(text: string): LanguageModelV4GenerateResult {
  return {
    content: [{ type: 'text', text }],
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: FAKE_USAGE,
    warnings: [],
  };
}

export function httpError(
  statusCode: number,
  options: { headers?: Record<string, string>; message?: string; isRetryable?: boolean } = {},
): APICallError {
  const message = options.message ?? `HTTP ${statusCode}`;
  return new APICallError({
    message,
    url: 'https://api.example.test/v1/chat/completions',
    requestBodyValues: {},
    statusCode,
    responseHeaders: options.headers ?? {},
    responseBody: JSON.stringify({ error: { message } }),
    ...(options.isRetryable === undefined ? {} : { isRetryable: options.isRetryable }),
  });
}

/** What undici throws when a connection cannot be opened. */
export function networkError(code = 'ECONNREFUSED'): TypeError {
  const cause = Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });
  return new TypeError('fetch failed', { cause });
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) resolve();
    else signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
