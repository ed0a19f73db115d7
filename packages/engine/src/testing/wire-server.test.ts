import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  anthropicErrorEvent,
  anthropicTextStream,
  anthropicToolUseEvents,
  anthropicToolUseStream,
  openaiRateLimited,
  openaiTextChunks,
  openaiTextStream,
  openaiToolCallChunks,
  openaiToolCallStream,
  startWireServer,
  type WireServer,
} from './index.ts';

let server: WireServer;

beforeEach(async () => {
  server = await startWireServer();
});

afterEach(async () => {
  await server.close();
});

function post(path: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.baseUrlOpenAI}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer test-key', ...init.headers },
    body: JSON.stringify(body),
    signal: init.signal,
  });
}

type SseFrame = { event?: string; data: string };

function parseSse(text: string): SseFrame[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const frame: SseFrame = { data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) frame.event = line.slice(7);
        if (line.startsWith('data: ')) frame.data = line.slice(6);
      }
      return frame;
    });
}

describe('wire server: OpenAI chat completions', () => {
  it('streams chunks as SSE data frames ending with [DONE]', async () => {
    server.enqueue(openaiTextStream('Hello wire world', { usage: { inputTokens: 3, outputTokens: 4 } }));

    const response = await post('/chat/completions', { model: 'gpt-4o', stream: true, messages: [] });
    const frames = parseSse(await response.text());

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(frames.at(-1)?.data).toBe('[DONE]');
    const chunks = frames.slice(0, -1).map((frame) => JSON.parse(frame.data));
    const text = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
    expect(text).toBe('Hello wire world');
    expect(chunks.at(-2).choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 4 } });
  });

  it('streams tool call arguments in pieces that reassemble to the input', () => {
    const chunks = openaiToolCallChunks([
      { id: 'call_1', name: 'read_file', input: { path: 'a.ts' }, pieces: 4 },
    ]);
    const calls = chunks.flatMap((chunk) => {
      const choices = chunk.choices as Array<{
        delta: { tool_calls?: Array<{ function: { arguments?: string } }> };
      }>;
      return choices.flatMap((choice) => choice.delta.tool_calls ?? []);
    });
    expect(calls.length).toBe(5);
    expect(calls.map((call) => call.function.arguments ?? '').join('')).toBe('{"path":"a.ts"}');
  });

  it('answers a non-streaming request with the aggregated completion', async () => {
    server.enqueue(
      openaiToolCallStream([{ id: 'call_7', name: 'grep', input: { pattern: 'x' } }], {
        textBefore: 'Looking.',
      }),
    );

    const response = await post('/chat/completions', { model: 'gpt-4o', messages: [] });
    const body = await response.json();

    expect(body).toMatchObject({ object: 'chat.completion', usage: { prompt_tokens: 12 } });
    expect(body).toHaveProperty(['choices', 0], {
      index: 0,
      logprobs: null,
      finish_reason: 'tool_calls',
      message: {
        content: 'Looking.',
        role: 'assistant',
        refusal: null,
        tool_calls: [
          { id: 'call_7', type: 'function', function: { name: 'grep', arguments: '{"pattern":"x"}' } },
        ],
      },
    });
  });

  it('records method, path, headers and parsed body of every request', async () => {
    server.enqueue(openaiTextStream('ok'));
    await (
      await post('/chat/completions', {
        model: 'm',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      })
    ).text();

    const [request] = server.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      servedWith: 'openai-stream',
      body: { model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(request?.headers.authorization).toBe('Bearer test-key');
    expect(await request?.settled).toBe('completed');
  });
});

describe('wire server: Anthropic messages', () => {
  it('streams named events with usage, text and a ping', async () => {
    server.enqueue(anthropicTextStream(['Hi', ' there'], { usage: { inputTokens: 20, outputTokens: 2 } }));

    const response = await post('/messages', { model: 'claude', stream: true, messages: [] });
    const frames = parseSse(await response.text());

    expect(frames.map((frame) => frame.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    for (const frame of frames) expect(JSON.parse(frame.data).type).toBe(frame.event);
    expect(JSON.parse(frames[0]?.data ?? '').message.usage.input_tokens).toBe(20);
    expect(JSON.parse(frames.at(-2)?.data ?? '')).toMatchObject({
      delta: { stop_reason: 'end_turn' },
      usage: { output_tokens: 2 },
    });
  });

  it('streams tool_use input as input_json_delta pieces', () => {
    const events = anthropicToolUseEvents([{ id: 'toolu_1', name: 'read_file', input: { path: 'b.ts' } }]);
    const partial = events
      .map((event) => event.delta as { type?: string; partial_json?: string } | undefined)
      .filter((delta) => delta?.type === 'input_json_delta')
      .map((delta) => delta?.partial_json)
      .join('');
    expect(JSON.parse(partial)).toEqual({ path: 'b.ts' });
    expect(events.find((event) => event.type === 'message_delta')).toMatchObject({
      delta: { stop_reason: 'tool_use' },
    });
  });

  it('answers a non-streaming request with the aggregated message', async () => {
    server.enqueue(
      anthropicToolUseStream([{ id: 'toolu_9', name: 'ls', input: { dir: '.' } }], {
        textBefore: 'Listing.',
      }),
    );

    const body = await (await post('/messages', { model: 'claude', messages: [] })).json();

    expect(body).toMatchObject({
      type: 'message',
      role: 'assistant',
      stop_reason: 'tool_use',
      content: [
        { type: 'text', text: 'Listing.' },
        { type: 'tool_use', id: 'toolu_9', name: 'ls', input: { dir: '.' } },
      ],
    });
  });

  it('can send a mid-stream error event', async () => {
    const events = [...anthropicTextStream('x').events.slice(0, 2), anthropicErrorEvent()];
    server.enqueue({ kind: 'anthropic-stream', events });

    const frames = parseSse(await (await post('/messages', { stream: true })).text());
    expect(frames.at(-1)).toMatchObject({ event: 'error' });
  });
});

describe('wire server: queue and failure modes', () => {
  it('serves status responses with their headers and body', async () => {
    server.enqueue(openaiRateLimited({ retryAfter: '2' }));

    const response = await post('/chat/completions', { stream: true });

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
  });

  it('serves responses in order, skipping those meant for the other API', async () => {
    server.enqueue(anthropicTextStream('for anthropic'), openaiTextStream('for openai'));

    const openai = await (await post('/chat/completions', { stream: true })).text();
    const anthropic = await (await post('/messages', { stream: true })).text();

    expect(openai).toContain('for');
    expect(openai).toContain('[DONE]');
    expect(anthropic).toContain('message_start');
    expect(server.pending()).toEqual([]);
  });

  it('fails fast with a 400 when nothing is queued', async () => {
    const response = await post('/chat/completions', { stream: true });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { message: expect.stringContaining('no queued response for POST /v1/chat/completions') },
    });
    expect(server.requests[0]?.servedWith).toBe('unmatched');
  });

  it('failAfter sends that many frames, then kills the connection', async () => {
    server.enqueue({ kind: 'openai-stream', chunks: openaiTextChunks('one two three four'), failAfter: 3 });

    const response = await post('/chat/completions', { stream: true });
    const decoder = new TextDecoder();
    let received = '';
    const reading = (async () => {
      for await (const bytes of response.body ?? []) received += decoder.decode(bytes, { stream: true });
    })();

    await expect(reading).rejects.toThrow();
    expect(parseSse(received)).toHaveLength(3);
    expect(await server.requests[0]?.settled).toBe('failed');
  });

  it('stallAfter goes silent until the client aborts', async () => {
    server.enqueue(anthropicTextStream('never finished', { stallAfter: 2 }));
    const controller = new AbortController();

    const response = await post('/messages', { stream: true }, { signal: controller.signal });
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let received = '';
    while (parseSse(received).length < 2) {
      const next = await reader?.read();
      received += decoder.decode(next?.value);
    }
    const more = reader?.read();
    const tooEarly = await Promise.race([
      more,
      new Promise((resolve) => setTimeout(() => resolve('silent'), 100)),
    ]);
    controller.abort();

    expect(tooEarly).toBe('silent');
    expect(await server.requests[0]?.settled).toBe('aborted');
    await more?.catch(() => {});
  });

  it('closes even while a stalled response is open', async () => {
    server.enqueue(openaiTextStream('x', { stallAfter: 0 }));
    const response = await post('/chat/completions', { stream: true });
    const body = response.text().catch((error: unknown) => error);

    await server.close();

    expect(await body).toBeInstanceOf(Error);
    server = await startWireServer();
  });

  it('honours delayMs and chunkDelayMs', async () => {
    server.enqueue(openaiTextStream(['a', 'b', 'c'], { delayMs: 60, chunkDelayMs: 20 }));
    const started = Date.now();

    await (await post('/chat/completions', { stream: true })).text();

    expect(Date.now() - started).toBeGreaterThanOrEqual(60 + 20 * 5);
  });
});
