import type { LanguageModelV4CallOptions, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import {
  fakeModel,
  generateResult,
  httpError,
  networkError,
  streamResult,
  textParts,
} from '../testing/index.ts';
import { ProviderStallError } from './errors.ts';
import { type RetryInfo, type RetryOptions, retryAfterMs, retryDelayMs, withRetry } from './retry.ts';

const CALL: LanguageModelV4CallOptions = {
  prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
};

function harness(overrides: RetryOptions = {}) {
  const sleeps: number[] = [];
  const retries: RetryInfo[] = [];
  const options: RetryOptions = {
    random: () => 1,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onRetry: (info) => retries.push(info),
    ...overrides,
  };
  return { sleeps, retries, options };
}

async function collect(
  stream: ReadableStream<LanguageModelV4StreamPart>,
): Promise<LanguageModelV4StreamPart[]> {
  const parts: LanguageModelV4StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

function deltas(parts: LanguageModelV4StreamPart[]): string[] {
  return parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : []));
}

describe('withRetry doGenerate', () => {
  it('retries server errors with exponential backoff and reports each retry', async () => {
    const { sleeps, retries, options } = harness();
    const model = fakeModel({
      doGenerate: async (_options, call) => {
        if (call < 3) throw httpError(503, { message: 'upstream overloaded' });
        return generateResult('done');
      },
    });

    const result = await withRetry(model, options).doGenerate(CALL);

    expect(result.content).toEqual([{ type: 'text', text: 'done' }]);
    expect(model.generateCalls).toHaveLength(4);
    expect(sleeps).toEqual([500, 1000, 2000]);
    expect(retries.map((retry) => retry.attempt)).toEqual([1, 2, 3]);
    expect(retries[0]?.error.kind).toBe('server');
    expect(retries[0]?.reason).toContain('upstream overloaded');
  });

  it('applies full jitter below the exponential ceiling and caps at maxDelayMs', () => {
    const config = { baseDelayMs: 500, maxDelayMs: 3000, random: () => 0.5 };
    const error = httpError(500);
    expect([0, 1, 2, 3, 4].map((attempt) => retryDelayMs(error, attempt, config))).toEqual([
      250, 500, 1000, 1500, 1500,
    ]);
  });

  it('gives up after maxRetries and throws the last provider error', async () => {
    const { sleeps, options } = harness({ maxRetries: 2 });
    const model = fakeModel({
      doGenerate: async () => {
        throw httpError(500);
      },
    });

    await expect(withRetry(model, options).doGenerate(CALL)).rejects.toMatchObject({ statusCode: 500 });
    expect(model.generateCalls).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it.each([400, 401, 403, 404])('never retries HTTP %i', async (status) => {
    const { sleeps, options } = harness();
    const model = fakeModel({
      doGenerate: async () => {
        throw httpError(status, { isRetryable: true });
      },
    });

    await expect(withRetry(model, options).doGenerate(CALL)).rejects.toMatchObject({ statusCode: status });
    expect(model.generateCalls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries 429, 408 and connection failures', async () => {
    const failures = [
      httpError(429),
      httpError(408),
      networkError('ECONNREFUSED'),
      new Error('socket hang up'),
    ];
    const { options } = harness();
    const model = fakeModel({
      doGenerate: async (_options, call) => {
        const failure = failures[call];
        if (failure) throw failure;
        return generateResult('ok');
      },
    });

    await withRetry(model, options).doGenerate(CALL);
    expect(model.generateCalls).toHaveLength(5);
  });

  it('waits for Retry-After seconds instead of the backoff', async () => {
    const { sleeps, options } = harness();
    const model = fakeModel({
      doGenerate: async (_options, call) => {
        if (call === 0) throw httpError(429, { headers: { 'retry-after': '7' } });
        if (call === 1) throw httpError(429, { headers: { 'retry-after-ms': '1250.5', 'retry-after': '9' } });
        return generateResult('ok');
      },
    });

    await withRetry(model, options).doGenerate(CALL);
    expect(sleeps).toEqual([7000, 1251]);
  });

  it('caps Retry-After at maxDelayMs and understands HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    const dated = httpError(503, { headers: { 'Retry-After': 'Wed, 01 Jan 2025 00:00:04 GMT' } });
    expect(retryAfterMs(dated, now)).toBe(4000);
    expect(retryAfterMs(httpError(503))).toBeUndefined();

    const huge = httpError(429, { headers: { 'retry-after': '3600' } });
    expect(retryDelayMs(huge, 0, { baseDelayMs: 500, maxDelayMs: 30_000, random: () => 0 })).toBe(30_000);
  });

  it('does not retry once the caller aborted', async () => {
    const { options } = harness();
    const controller = new AbortController();
    const model = fakeModel({
      doGenerate: async () => {
        controller.abort();
        throw httpError(503);
      },
    });

    await expect(
      withRetry(model, options).doGenerate({ ...CALL, abortSignal: controller.signal }),
    ).rejects.toThrow();
    expect(model.generateCalls).toHaveLength(1);
  });

  it('stops waiting as soon as the caller aborts during the backoff', async () => {
    const controller = new AbortController();
    const model = fakeModel({
      doGenerate: async () => {
        throw httpError(429, { headers: { 'retry-after': '30' } });
      },
    });
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('user cancelled')), 30);

    await expect(withRetry(model).doGenerate({ ...CALL, abortSignal: controller.signal })).rejects.toThrow(
      'user cancelled',
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(model.generateCalls).toHaveLength(1);
  });
});

describe('withRetry doStream', () => {
  it('retries when doStream itself rejects', async () => {
    const { sleeps, options } = harness();
    const model = fakeModel({
      doStream: async (_options, call) => {
        if (call === 0) throw httpError(429, { headers: { 'retry-after': '1' } });
        return streamResult(textParts(['Hello', ' world']));
      },
    });

    const { stream } = await withRetry(model, options).doStream(CALL);

    expect(deltas(await collect(stream))).toEqual(['Hello', ' world']);
    expect(sleeps).toEqual([1000]);
  });

  it('retries a stream that fails before any content, without leaking the failed attempt', async () => {
    const { options } = harness();
    const model = fakeModel({
      doStream: async (_options, call) =>
        call === 0
          ? streamResult(textParts(['lost']), { failAfter: 3, error: networkError('ECONNRESET') })
          : streamResult(textParts(['Hello'])),
    });

    const { stream } = await withRetry(model, options).doStream(CALL);
    const parts = await collect(stream);

    expect(model.streamCalls).toHaveLength(2);
    expect(parts.map((part) => part.type)).toEqual([
      'stream-start',
      'response-metadata',
      'text-start',
      'text-delta',
      'text-end',
      'finish',
    ]);
  });

  it('retries a retryable error part that arrives before content', async () => {
    const { options } = harness();
    const overloaded = { type: 'overloaded_error', message: 'Overloaded', isRetryable: true };
    const model = fakeModel({
      doStream: async (_options, call) =>
        call === 0
          ? streamResult([
              { type: 'stream-start', warnings: [] },
              { type: 'error', error: overloaded },
            ])
          : streamResult(textParts(['fine'])),
    });

    const { stream } = await withRetry(model, options).doStream(CALL);

    expect(deltas(await collect(stream))).toEqual(['fine']);
    expect(model.streamCalls).toHaveLength(2);
  });

  it('retries a stall before content', async () => {
    const { options } = harness();
    const model = fakeModel({
      doStream: async (_options, call) =>
        call === 0
          ? streamResult(textParts(['x']), {
              failAfter: 1,
              error: new ProviderStallError(100, 'first-chunk'),
            })
          : streamResult(textParts(['after stall'])),
    });

    const { stream } = await withRetry(model, options).doStream(CALL);
    expect(deltas(await collect(stream))).toEqual(['after stall']);
  });

  it('does not retry once content has been streamed: the failure ends the stream as an error part', async () => {
    const { sleeps, options } = harness();
    const failure = networkError();
    const model = fakeModel({
      doStream: async () => streamResult(textParts(['Hello', ' there']), { failAfter: 4, error: failure }),
    });

    const { stream } = await withRetry(model, options).doStream(CALL);
    const parts = await collect(stream);

    expect(deltas(parts)).toEqual(['Hello']);
    expect(parts.at(-1)).toEqual({ type: 'error', error: failure });
    expect(model.streamCalls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('surfaces a non-retryable failure before content as an error part', async () => {
    const { options } = harness();
    const failure = httpError(400);
    const model = fakeModel({
      doStream: async () => streamResult(textParts(['x']), { failAfter: 1, error: failure }),
    });

    const { stream } = await withRetry(model, options).doStream(CALL);

    expect(await collect(stream)).toEqual([
      { type: 'stream-start', warnings: [] },
      { type: 'error', error: failure },
    ]);
    expect(model.streamCalls).toHaveLength(1);
  });

  it('keeps non-retryable error parts in the stream', async () => {
    const { options } = harness();
    const parseError = new Error('bad chunk');
    const parts: LanguageModelV4StreamPart[] = [
      { type: 'stream-start', warnings: [] },
      { type: 'error', error: parseError },
      ...textParts(['still here']).slice(1),
    ];
    const model = fakeModel({ doStream: async () => streamResult(parts) });

    const { stream } = await withRetry(model, options).doStream(CALL);
    const received = await collect(stream);

    expect(received).toContainEqual({ type: 'error', error: parseError });
    expect(deltas(received)).toEqual(['still here']);
    expect(model.streamCalls).toHaveLength(1);
  });

  it('does not retry a stream failure caused by the caller aborting', async () => {
    const { options } = harness();
    const controller = new AbortController();
    const model = fakeModel({
      doStream: async (callOptions) =>
        streamResult(textParts(['never']), { stallAfter: 1, signal: callOptions.abortSignal }),
    });
    setTimeout(() => controller.abort(new Error('stop')), 20);

    const { stream } = await withRetry(model, options).doStream({ ...CALL, abortSignal: controller.signal });

    await expect(collect(stream)).rejects.toThrow('stop');
    expect(model.streamCalls).toHaveLength(1);
  });
});
