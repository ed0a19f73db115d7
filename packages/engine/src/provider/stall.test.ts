import type { LanguageModelV4CallOptions, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { fakeModel, streamResult, textParts } from '../testing/index.ts';
import { classifyError, ProviderStallError } from './errors.ts';
import { withRetry } from './retry.ts';
import { withStallWatchdog } from './stall.ts';

const CALL: LanguageModelV4CallOptions = {
  prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
};

async function collect(
  stream: ReadableStream<LanguageModelV4StreamPart>,
): Promise<LanguageModelV4StreamPart[]> {
  const parts: LanguageModelV4StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

function neverResolves(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

describe('withStallWatchdog', () => {
  it('fails doStream when the provider does not answer within firstChunkTimeoutMs, aborting the request', async () => {
    const model = fakeModel({ doStream: (options) => neverResolves(options.abortSignal) });
    const watched = withStallWatchdog(model, { firstChunkTimeoutMs: 80, idleTimeoutMs: 1000 });
    const started = Date.now();

    const error = await watched.doStream(CALL).then(
      () => undefined,
      (reason: unknown) => reason,
    );

    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(ProviderStallError);
    expect(error).toMatchObject({ phase: 'first-chunk', timeoutMs: 80 });
    expect(elapsed).toBeGreaterThanOrEqual(70);
    expect(elapsed).toBeLessThan(1000);
    expect(model.streamCalls[0]?.abortSignal?.aborted).toBe(true);
  });

  it('counts the synthetic stream-start as no data', async () => {
    const model = fakeModel({
      doStream: async (options) =>
        streamResult(textParts(['x']), { stallAfter: 1, signal: options.abortSignal }),
    });
    const watched = withStallWatchdog(model, { firstChunkTimeoutMs: 60, idleTimeoutMs: 5000 });
    const started = Date.now();

    const { stream } = await watched.doStream(CALL);

    await expect(collect(stream)).rejects.toMatchObject({ name: 'ProviderStallError', phase: 'first-chunk' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('errors the stream when data stops flowing for idleTimeoutMs, after delivering what arrived', async () => {
    const model = fakeModel({
      doStream: async (options) =>
        streamResult(textParts(['Hello', ' wor', 'ld']), { stallAfter: 4, signal: options.abortSignal }),
    });
    const watched = withStallWatchdog(model, { firstChunkTimeoutMs: 5000, idleTimeoutMs: 60 });
    const received: LanguageModelV4StreamPart[] = [];

    const { stream } = await watched.doStream(CALL);
    const reading = (async () => {
      for await (const part of stream) received.push(part);
    })();

    const error = await reading.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ProviderStallError);
    expect(String(error)).toContain('The provider stopped sending data for 0.1s');
    expect(received.map((part) => part.type)).toEqual([
      'stream-start',
      'response-metadata',
      'text-start',
      'text-delta',
    ]);
    const innerSignal = model.streamCalls[0]?.abortSignal;
    expect(innerSignal?.aborted).toBe(true);
    expect(innerSignal?.reason).toBe(error);
  });

  it('lets a slow but steady stream through', async () => {
    const model = fakeModel({
      doStream: async (options) =>
        streamResult(textParts(['a', 'b', 'c']), { delayMs: 25, signal: options.abortSignal }),
    });
    const watched = withStallWatchdog(model, { firstChunkTimeoutMs: 150, idleTimeoutMs: 150 });

    const { stream } = await watched.doStream(CALL);

    expect((await collect(stream)).at(-1)?.type).toBe('finish');
  });

  it('does not blame the provider for a slow consumer', async () => {
    const model = fakeModel({ doStream: async () => streamResult(textParts(['a', 'b'])) });
    const watched = withStallWatchdog(model, { firstChunkTimeoutMs: 40, idleTimeoutMs: 40 });

    const { stream } = await watched.doStream(CALL);
    const reader = stream.getReader();
    const types: string[] = [];
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      types.push(next.value.type);
      await new Promise((resolve) => setTimeout(resolve, 60));
    }

    expect(types).toContain('finish');
  });

  it('passes a caller abort through as-is', async () => {
    const controller = new AbortController();
    const model = fakeModel({
      doStream: async (options) =>
        streamResult(textParts(['a']), { stallAfter: 3, signal: options.abortSignal }),
    });
    const watched = withStallWatchdog(model, { firstChunkTimeoutMs: 5000, idleTimeoutMs: 5000 });

    const { stream } = await watched.doStream({ ...CALL, abortSignal: controller.signal });
    setTimeout(() => controller.abort(new Error('user pressed ctrl-c')), 20);

    await expect(collect(stream)).rejects.toThrow('user pressed ctrl-c');
  });

  it('leaves doGenerate alone', async () => {
    const model = fakeModel({
      doGenerate: async () => ({
        content: [{ type: 'text', text: 'ok' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
          outputTokens: { total: 1, text: 1, reasoning: undefined },
        },
        warnings: [],
      }),
    });
    const result = await withStallWatchdog(model, { firstChunkTimeoutMs: 1 }).doGenerate(CALL);
    expect(result.content).toEqual([{ type: 'text', text: 'ok' }]);
  });

  it('is classified as a retryable stall', () => {
    expect(classifyError(new ProviderStallError(30_000, 'idle'))).toEqual({
      kind: 'stall',
      retryable: true,
      message: 'The provider stopped sending data for 30s',
    });
  });

  it('is retried by withRetry when it happens before content', async () => {
    const model = fakeModel({
      doStream: async (options, call) =>
        call === 0
          ? streamResult(textParts(['lost']), { stallAfter: 1, signal: options.abortSignal })
          : streamResult(textParts(['second try'])),
    });
    const reliable = withRetry(withStallWatchdog(model, { firstChunkTimeoutMs: 50, idleTimeoutMs: 50 }), {
      sleep: async () => {},
    });

    const { stream } = await reliable.doStream(CALL);
    const parts = await collect(stream);

    expect(parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : []))).toEqual(['second try']);
    expect(model.streamCalls).toHaveLength(2);
  });
});
