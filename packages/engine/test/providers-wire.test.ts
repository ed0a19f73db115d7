import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { generateText, stepCountIs, streamText, type TextStreamPart, type ToolSet, tool } from 'ai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classifyError, ProviderStallError } from '../src/provider/errors.ts';
import { type RetryInfo, type RetryOptions, withRetry } from '../src/provider/retry.ts';
import { type StallWatchdogOptions, withStallWatchdog } from '../src/provider/stall.ts';
import {
  anthropicOverloaded,
  anthropicRateLimited,
  anthropicTextStream,
  anthropicToolUseStream,
  openaiRateLimited,
  openaiResponsesErrorStream,
  openaiResponsesFunctionCallStream,
  openaiResponsesTextStream,
  openaiServerError,
  openaiTextStream,
  openaiToolCallStream,
  startWireServer,
  type ToolCallSpec,
  type WireResponse,
  type WireServer,
  type WireUsage,
} from '../src/testing/index.ts';

type Behaviour = { failAfter?: number; stallAfter?: number; usage?: WireUsage };

/** What differs between the two wire formats, as seen by these tests. */
type WireFormat = {
  text(text: string | string[], behaviour?: Behaviour): WireResponse;
  toolCall(calls: ToolCallSpec[]): WireResponse;
  rateLimited(retryAfter: string): WireResponse;
  serverError(): WireResponse;
  /** Frames sent before the first text delta. */
  framesBeforeText: number;
  toolResult(requestBody: unknown): { id: unknown; content: unknown } | undefined;
};

const openaiFormat: WireFormat = {
  text: (text, behaviour) => openaiTextStream(text, behaviour),
  toolCall: (calls) => openaiToolCallStream(calls),
  rateLimited: (retryAfter) => openaiRateLimited({ retryAfter }),
  serverError: () => openaiServerError(500),
  framesBeforeText: 1,
  toolResult: (body) => {
    const message = messages(body).find((entry) => entry.role === 'tool');
    return message && { id: message.tool_call_id, content: message.content };
  },
};

const anthropicFormat: WireFormat = {
  text: (text, behaviour) => anthropicTextStream(text, behaviour),
  toolCall: (calls) => anthropicToolUseStream(calls),
  rateLimited: (retryAfter) => anthropicRateLimited({ retryAfter }),
  serverError: () => anthropicOverloaded(),
  framesBeforeText: 3,
  toolResult: (body) => {
    for (const message of messages(body)) {
      const blocks = Array.isArray(message.content) ? (message.content as Record<string, unknown>[]) : [];
      const block = blocks.find((entry) => entry.type === 'tool_result');
      if (block) return { id: block.tool_use_id, content: block.content };
    }
    return undefined;
  },
};

const openaiResponsesFormat: WireFormat = {
  text: (text, behaviour) => openaiResponsesTextStream(text, behaviour),
  toolCall: (calls) => openaiResponsesFunctionCallStream(calls),
  rateLimited: (retryAfter) => openaiRateLimited({ retryAfter }),
  serverError: () => openaiServerError(500),
  // response.created, response.in_progress, output_item.added, content_part.added
  framesBeforeText: 4,
  toolResult: (body) => {
    const item = inputItems(body).find((entry) => entry.type === 'function_call_output');
    return item && { id: item.call_id, content: item.output };
  },
};

function inputItems(body: unknown): Record<string, unknown>[] {
  if (typeof body !== 'object' || body === null || !('input' in body) || !Array.isArray(body.input))
    return [];
  return body.input as Record<string, unknown>[];
}

function messages(body: unknown): Record<string, unknown>[] {
  if (typeof body !== 'object' || body === null || !('messages' in body) || !Array.isArray(body.messages))
    return [];
  return body.messages as Record<string, unknown>[];
}

type ProviderCase = {
  name: string;
  format: WireFormat;
  create(server: WireServer): LanguageModelV4;
  keyHeader: [name: string, value: string];
};

const providers: ProviderCase[] = [
  {
    name: '@ai-sdk/openai-compatible',
    format: openaiFormat,
    create: (server) =>
      createOpenAICompatible({
        name: 'wire',
        baseURL: server.baseUrlOpenAI,
        apiKey: 'test-key-compatible',
        includeUsage: true,
      })('gpt-4o-mini'),
    keyHeader: ['authorization', 'Bearer test-key-compatible'],
  },
  {
    name: '@ai-sdk/openai (chat)',
    format: openaiFormat,
    create: (server) =>
      createOpenAI({ baseURL: server.baseUrlOpenAI, apiKey: 'test-key-openai' }).chat('gpt-4o-mini'),
    keyHeader: ['authorization', 'Bearer test-key-openai'],
  },
  {
    name: '@ai-sdk/openai (responses)',
    format: openaiResponsesFormat,
    create: (server) =>
      createOpenAI({ baseURL: server.baseUrlOpenAI, apiKey: 'test-key-responses' }).responses('gpt-5'),
    keyHeader: ['authorization', 'Bearer test-key-responses'],
  },
  {
    name: '@ai-sdk/anthropic',
    format: anthropicFormat,
    create: (server) =>
      createAnthropic({ baseURL: server.baseUrlAnthropic, apiKey: 'test-key-anthropic' })(
        'claude-sonnet-4-5',
      ),
    keyHeader: ['x-api-key', 'test-key-anthropic'],
  },
];

type StreamOutcome = {
  parts: TextStreamPart<ToolSet>[];
  deltas: string[];
  errors: unknown[];
  thrown?: unknown;
};

async function consume(fullStream: AsyncIterable<TextStreamPart<ToolSet>>): Promise<StreamOutcome> {
  const outcome: StreamOutcome = { parts: [], deltas: [], errors: [] };
  try {
    for await (const part of fullStream) {
      outcome.parts.push(part);
      if (part.type === 'text-delta') outcome.deltas.push(part.text);
      if (part.type === 'error') outcome.errors.push(part.error);
    }
  } catch (error) {
    outcome.thrown = error;
  }
  return outcome;
}

let server: WireServer;
let previousWarnings: typeof globalThis.AI_SDK_LOG_WARNINGS;

beforeAll(() => {
  previousWarnings = globalThis.AI_SDK_LOG_WARNINGS;
  globalThis.AI_SDK_LOG_WARNINGS = false;
});

afterAll(() => {
  globalThis.AI_SDK_LOG_WARNINGS = previousWarnings;
});

beforeEach(async () => {
  server = await startWireServer();
});

afterEach(async () => {
  await server.close();
});

describe.each(providers)('$name over the wire', ({ format, create, keyHeader }) => {
  const sleeps: number[] = [];
  const retries: RetryInfo[] = [];

  beforeEach(() => {
    sleeps.length = 0;
    retries.length = 0;
  });

  /** Recorded delays, slept for real but briefly so the tests stay fast. */
  function reliable(retry: RetryOptions = {}, stall: StallWatchdogOptions = {}): LanguageModelV4 {
    return withRetry(withStallWatchdog(create(server), stall), {
      sleep: async (ms) => {
        sleeps.push(ms);
        await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 10)));
      },
      onRetry: (info) => retries.push(info),
      ...retry,
    });
  }

  it('streams text deltas, the final text and usage', async () => {
    server.enqueue(
      format.text(['Hello', ' from', ' the', ' wire'], { usage: { inputTokens: 31, outputTokens: 4 } }),
    );

    const result = streamText({ model: reliable(), prompt: 'Say hello', maxRetries: 0 });
    const outcome = await consume(result.fullStream);

    expect(outcome.deltas).toEqual(['Hello', ' from', ' the', ' wire']);
    expect(outcome.errors).toEqual([]);
    expect(await result.text).toBe('Hello from the wire');
    expect(await result.finishReason).toBe('stop');
    expect(await result.usage).toMatchObject({ inputTokens: 31, outputTokens: 4, totalTokens: 35 });
    expect(outcome.parts.at(-1)).toMatchObject({
      type: 'finish',
      totalUsage: { inputTokens: 31, outputTokens: 4 },
    });

    const [request] = server.requests;
    expect(server.requests).toHaveLength(1);
    expect(request?.headers[keyHeader[0]]).toBe(keyHeader[1]);
    expect(request?.body).toMatchObject({ stream: true });
    if (format === openaiFormat)
      expect(request?.body).toMatchObject({ stream_options: { include_usage: true } });
  });

  it('runs a tool round trip and sends the tool result back', async () => {
    const callId = format === anthropicFormat ? 'toolu_01wire1' : 'call_wire_1';
    server.enqueue(
      format.toolCall([
        { id: callId, name: 'read_file', input: { path: 'README.md', maxLines: 20 }, pieces: 4 },
      ]),
      format.text('The README says hello.'),
    );
    const executed: unknown[] = [];
    const readFile = tool({
      description: 'Read a file from the workspace',
      inputSchema: z.object({ path: z.string(), maxLines: z.number().int() }),
      execute: async (input) => {
        executed.push(input);
        return { content: 'hello from README' };
      },
    });

    const result = streamText({
      model: reliable(),
      prompt: 'What does the README say?',
      tools: { read_file: readFile },
      stopWhen: stepCountIs(3),
      maxRetries: 0,
    });
    const outcome = await consume(result.fullStream);

    expect(outcome.errors).toEqual([]);
    expect(executed).toEqual([{ path: 'README.md', maxLines: 20 }]);
    expect(outcome.parts).toContainEqual(
      expect.objectContaining({
        type: 'tool-call',
        toolCallId: callId,
        input: { path: 'README.md', maxLines: 20 },
      }),
    );
    expect(outcome.parts).toContainEqual(
      expect.objectContaining({
        type: 'tool-result',
        toolCallId: callId,
        output: { content: 'hello from README' },
      }),
    );
    expect(await result.text).toBe('The README says hello.');
    expect(await result.steps).toHaveLength(2);

    expect(server.requests).toHaveLength(2);
    const sentBack = format.toolResult(server.requests[1]?.body);
    expect(sentBack?.id).toBe(callId);
    expect(JSON.stringify(sentBack?.content)).toContain('hello from README');
    expect(server.requests[0]?.body).toHaveProperty('tools', [expect.objectContaining({})]);
    expect(JSON.stringify(server.requests[0]?.body)).toContain('read_file');
  });

  it('retries a 429 after the Retry-After delay', async () => {
    server.enqueue(format.rateLimited('2'), format.text('after the rate limit'));

    const result = streamText({ model: reliable(), prompt: 'hi', maxRetries: 0 });

    expect(await result.text).toBe('after the rate limit');
    expect(sleeps).toEqual([2000]);
    expect(retries[0]).toMatchObject({
      attempt: 1,
      delayMs: 2000,
      error: { kind: 'rate_limit', statusCode: 429 },
    });
    expect(server.requests.map((request) => request.servedWith)).toEqual(['status', format.text('').kind]);
  });

  it('retries a server error that happens before streaming', async () => {
    server.enqueue(format.serverError(), format.text('recovered'));

    const result = streamText({ model: reliable({ random: () => 1 }), prompt: 'hi', maxRetries: 0 });

    expect(await result.text).toBe('recovered');
    expect(sleeps).toEqual([500]);
    expect(server.requests).toHaveLength(2);
  });

  it('surfaces a connection dying after text began as an error, without retrying', async () => {
    server.enqueue(
      format.text(['one', ' two', ' three', ' four'], { failAfter: format.framesBeforeText + 2 }),
    );
    let reported: unknown;

    const result = streamText({
      model: reliable(),
      prompt: 'hi',
      maxRetries: 0,
      onError: ({ error }) => {
        reported = error;
      },
    });
    const outcome = await consume(result.fullStream);

    expect(outcome.thrown).toBeUndefined();
    expect(outcome.deltas).toEqual(['one', ' two']);
    expect(outcome.errors).toHaveLength(1);
    expect(reported).toBe(outcome.errors[0]);
    expect(classifyError(outcome.errors[0])).toMatchObject({ kind: 'network', retryable: true });
    expect(await result.finishReason).toBe('error');
    expect(await result.text).toBe('one two');
    expect(server.requests).toHaveLength(1);
    expect(await server.requests[0]?.settled).toBe('failed');
  });

  it('turns a stream that goes silent into a ProviderStallError and aborts the request', async () => {
    server.enqueue(
      format.text(['still', ' thinking', ' about', ' it'], { stallAfter: format.framesBeforeText + 1 }),
    );
    const started = Date.now();

    const result = streamText({
      model: reliable({}, { firstChunkTimeoutMs: 1000, idleTimeoutMs: 150 }),
      prompt: 'hi',
      maxRetries: 0,
      onError: () => {},
    });
    const outcome = await consume(result.fullStream);

    const elapsed = Date.now() - started;
    expect(outcome.deltas).toEqual(['still']);
    expect(outcome.errors).toHaveLength(1);
    expect(outcome.errors[0]).toBeInstanceOf(ProviderStallError);
    expect(String(outcome.errors[0])).toContain('stopped sending data for 0.2s');
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(3000);
    expect(await server.requests[0]?.settled).toBe('aborted');
    expect(server.requests).toHaveLength(1);
  });

  it('retries a stall before any content', async () => {
    server.enqueue(format.text('lost', { stallAfter: 1 }), format.text('second attempt'));

    const result = streamText({
      model: reliable({}, { firstChunkTimeoutMs: 150, idleTimeoutMs: 150 }),
      prompt: 'hi',
      maxRetries: 0,
    });

    expect(await result.text).toBe('second attempt');
    expect(retries[0]?.error.kind).toBe('stall');
    expect(server.requests).toHaveLength(2);
    expect(await server.requests[0]?.settled).toBe('aborted');
  });

  it('stops without retrying when the caller aborts mid-stream', async () => {
    server.enqueue(format.text(['a', ' b', ' c'], { stallAfter: format.framesBeforeText + 1 }));
    const controller = new AbortController();

    const result = streamText({
      model: reliable(),
      prompt: 'hi',
      maxRetries: 0,
      abortSignal: controller.signal,
      onChunk: ({ chunk }) => {
        if (chunk.type === 'text-delta') controller.abort();
      },
    });
    const outcome = await consume(result.fullStream);

    expect(outcome.parts.map((part) => part.type)).toContain('abort');
    expect(await server.requests[0]?.settled).toBe('aborted');
    expect(server.requests).toHaveLength(1);
    expect(retries).toEqual([]);
  });

  it('retries non-streaming generateText calls too', async () => {
    server.enqueue(format.serverError(), format.text('generated'));

    const result = await generateText({ model: reliable(), prompt: 'hi', maxRetries: 0 });

    expect(result.text).toBe('generated');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.body).not.toMatchObject({ stream: true });
  });
});

describe('real Retry-After timing', () => {
  it('waits the retry-after-ms the OpenAI API sends', async () => {
    server.enqueue(openaiRateLimited({ retryAfterMs: '150' }), openaiTextStream('ok'));
    const model = withRetry(
      createOpenAICompatible({
        name: 'wire',
        baseURL: server.baseUrlOpenAI,
        apiKey: 'k',
        includeUsage: true,
      })('m'),
    );
    const started = Date.now();

    const result = streamText({ model, prompt: 'hi', maxRetries: 0 });

    expect(await result.text).toBe('ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    expect(server.requests).toHaveLength(2);
  });

  it('never retries a 401 and reports it without the key', async () => {
    server.enqueue({
      kind: 'status',
      status: 401,
      body: {
        error: {
          message:
            'Incorrect API key provided: sk-proj-wire1234567890abcdef. You can find your API key at https://platform.openai.com/account/api-keys.',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      },
    });
    const model = withRetry(
      createOpenAI({ baseURL: server.baseUrlOpenAI, apiKey: 'sk-proj-wire1234567890abcdef' }).chat('m'),
    );

    const outcome = await consume(
      streamText({ model, prompt: 'hi', maxRetries: 0, onError: () => {} }).fullStream,
    );

    expect(server.requests).toHaveLength(1);
    const info = classifyError(outcome.errors[0]);
    expect(info).toMatchObject({ kind: 'auth', retryable: false, statusCode: 401 });
    expect(info.message).not.toContain('wire1234567890');
  });
});

describe('@ai-sdk/openai Responses API specifics', () => {
  const responsesModel = () =>
    withRetry(
      withStallWatchdog(
        createOpenAI({ baseURL: server.baseUrlOpenAI, apiKey: 'test-key-responses' }).responses('gpt-5'),
      ),
      { sleep: async () => {} },
    );

  it('posts to /v1/responses and reports cached and reasoning token usage', async () => {
    server.enqueue(
      openaiResponsesTextStream(['Reasoned', ' answer'], {
        reasoning: true,
        usage: { inputTokens: 900, outputTokens: 120, cachedInputTokens: 640, reasoningTokens: 100 },
      }),
    );

    const result = streamText({ model: responsesModel(), prompt: 'Think, then answer', maxRetries: 0 });
    const outcome = await consume(result.fullStream);

    expect(outcome.errors).toEqual([]);
    expect(outcome.deltas).toEqual(['Reasoned', ' answer']);
    expect(await result.finishReason).toBe('stop');
    expect(await result.usage).toMatchObject({
      inputTokens: 900,
      outputTokens: 120,
      inputTokenDetails: { cacheReadTokens: 640, noCacheTokens: 260 },
      outputTokenDetails: { reasoningTokens: 100, textTokens: 20 },
    });
    const [request] = server.requests;
    expect(request?.path).toBe('/v1/responses');
    expect(request?.servedWith).toBe('openai-responses-stream');
    expect(request?.body).toMatchObject({ model: 'gpt-5', stream: true });
    expect(JSON.stringify(request?.body)).toContain('Think, then answer');
  });

  it('sends the function_call_output back with the call id on the next request', async () => {
    server.enqueue(
      openaiResponsesFunctionCallStream([
        { id: 'call_rsp_1', name: 'write', input: { path: 'a.txt', content: 'A' }, pieces: 5 },
      ]),
      openaiResponsesTextStream('Done.'),
    );
    const write = tool({
      description: 'Write a file',
      inputSchema: z.object({ path: z.string(), content: z.string() }),
      execute: async ({ path }) => `wrote ${path}`,
    });

    const result = streamText({
      model: responsesModel(),
      prompt: 'write a.txt',
      tools: { write },
      stopWhen: stepCountIs(3),
      maxRetries: 0,
    });
    const outcome = await consume(result.fullStream);

    expect(outcome.errors).toEqual([]);
    expect(await result.text).toBe('Done.');
    expect((await result.steps)[0]?.finishReason).toBe('tool-calls');
    expect(server.requests).toHaveLength(2);
    expect(inputItems(server.requests[1]?.body)).toContainEqual(
      expect.objectContaining({ type: 'function_call_output', call_id: 'call_rsp_1', output: 'wrote a.txt' }),
    );
  });

  it.each([
    ['response.failed', 'response.failed'],
    ['a bare error event', 'error'],
  ] as const)('surfaces %s mid-answer as an error, keeping the partial text', async (_name, as) => {
    server.enqueue(
      openaiResponsesErrorStream(['Half', ' an', ' answer'], {
        as,
        message: 'The model had an internal error.',
      }),
    );

    const result = streamText({ model: responsesModel(), prompt: 'hi', maxRetries: 0, onError: () => {} });
    const outcome = await consume(result.fullStream);

    expect(outcome.thrown).toBeUndefined();
    expect(outcome.deltas).toEqual(['Half', ' an', ' answer']);
    expect(outcome.errors).toHaveLength(1);
    expect(String((outcome.errors[0] as Error).message)).toContain('The model had an internal error.');
    expect(await result.finishReason).toBe('error');
    expect(server.requests).toHaveLength(1);
    expect(await server.requests[0]?.settled).toBe('completed');
  });

  it('retries a failure the stream reports before any output', async () => {
    server.enqueue(
      openaiResponsesErrorStream([], { as: 'error', message: 'Service busy', code: 'server_error' }),
      openaiResponsesTextStream('second try'),
    );

    const result = streamText({ model: responsesModel(), prompt: 'hi', maxRetries: 0 });

    expect(await result.text).toBe('second try');
    expect(server.requests).toHaveLength(2);
  });

  it('answers a non-streaming request with the aggregated response, tool calls included', async () => {
    server.enqueue(
      openaiResponsesFunctionCallStream([{ id: 'call_gen_1', name: 'lookup', input: { key: 'k' } }], {
        textBefore: 'Looking it up.',
      }),
      openaiResponsesTextStream('The value is 42.', { usage: { inputTokens: 50, outputTokens: 6 } }),
    );
    const lookup = tool({
      description: 'Look up a key',
      inputSchema: z.object({ key: z.string() }),
      execute: async () => 42,
    });

    const result = await generateText({
      model: responsesModel(),
      prompt: 'what is k?',
      tools: { lookup },
      stopWhen: stepCountIs(3),
      maxRetries: 0,
    });

    expect(result.steps[0]?.text).toBe('Looking it up.');
    expect(result.steps[0]?.toolCalls).toMatchObject([{ toolCallId: 'call_gen_1', input: { key: 'k' } }]);
    expect(result.text).toBe('The value is 42.');
    expect(result.steps[1]?.usage).toMatchObject({ inputTokens: 50, outputTokens: 6 });
    expect(server.requests[0]?.body).not.toHaveProperty('stream', true);
    expect(inputItems(server.requests[1]?.body)).toContainEqual(
      expect.objectContaining({ type: 'function_call_output', call_id: 'call_gen_1' }),
    );
  });

  it('fails a non-streaming request whose response failed', async () => {
    server.enqueue(openaiResponsesErrorStream('partial', { message: 'Boom', code: 'server_error' }));

    await expect(
      generateText({
        model: createOpenAI({ baseURL: server.baseUrlOpenAI, apiKey: 'k' }).responses('gpt-5'),
        prompt: 'hi',
        maxRetries: 0,
      }),
    ).rejects.toThrow('Boom');
  });
});
