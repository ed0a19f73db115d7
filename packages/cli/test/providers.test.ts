import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  anthropicErrorEvent,
  anthropicTextEvents,
  anthropicTextStream,
  anthropicToolRoundTrip,
  openaiRateLimited,
  openaiResponsesToolRoundTrip,
  openaiStreamErrorChunk,
  openaiTextChunks,
  openaiTextStream,
  openaiToolRoundTrip,
  startWireServer,
  usage,
} from '@aura/engine/testing';
import { type EventEnvelope, parseEnvelope } from '@aura/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, runAura } from './cli-helpers.ts';

type WireServer = Awaited<ReturnType<typeof startWireServer>>;
let server: WireServer;
beforeEach(async () => {
  server = await startWireServer();
});
afterEach(async () => {
  await server.close();
});

const parse = (stdout: string): EventEnvelope[] =>
  stdout
    .trim()
    .split('\n')
    .map((line) => parseEnvelope(JSON.parse(line)));

const secret = 'sk-wire-test-secret-0123456789abcdef';

describe('aura run against real provider wire formats', () => {
  it('openai-compatible/<model> uses OPENAI_COMPATIBLE_BASE_URL and its key, round-tripping a tool call', async () => {
    const ctx = await cleanEnv({
      OPENAI_COMPATIBLE_BASE_URL: server.baseUrlOpenAI,
      OPENAI_COMPATIBLE_API_KEY: secret,
    });
    server.enqueue(
      ...openaiToolRoundTrip({
        calls: [{ id: 'call_1', name: 'write', input: { path: 'from-wire.txt', content: 'wire\n' } }],
        answer: 'Wrote the file.',
        usage: [usage(120, 30), usage(160, 10)],
      }),
    );
    const dir = join(ctx.home, 'ws');
    const result = await runAura(
      [
        'run',
        'write a file',
        '--model',
        'openai-compatible/test-model',
        '--dir',
        dir,
        '--data',
        ctx.data,
        '--format',
        'json',
        '--yes',
      ],
      { env: ctx.env },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await readFile(join(dir, 'from-wire.txt'), 'utf8')).toBe('wire\n');

    const [first, second] = server.requests;
    expect(first?.path).toBe('/v1/chat/completions');
    expect(first?.headers.authorization).toBe(`Bearer ${secret}`);
    expect(first?.body).toMatchObject({ model: 'test-model', stream: true });
    expect(JSON.stringify(second?.body)).toContain('"role":"tool"');

    const events = parse(result.stdout);
    const text = events.flatMap((e) => (e.type === 'text_delta' ? [e.data.delta] : [])).join('');
    expect(text).toBe('Wrote the file.');
    const usageEvents = events.filter((e) => e.type === 'usage');
    expect(usageEvents.map((e) => e.type === 'usage' && e.data.inputTokens)).toEqual([120, 160]);
    expect(result.stdout).not.toContain(secret);
  });

  it('openai/<model> speaks the Responses API at OPENAI_BASE_URL, round-tripping a tool call', async () => {
    const ctx = await cleanEnv({ OPENAI_BASE_URL: server.baseUrlOpenAI, OPENAI_API_KEY: secret });
    server.enqueue(
      ...openaiResponsesToolRoundTrip({
        calls: [{ id: 'call_rsp_1', name: 'write', input: { path: 'from-responses.txt', content: 'rsp\n' } }],
        answer: 'Wrote it via responses.',
        usage: [usage(300, 40), usage(380, 12)],
        reasoning: true,
      }),
    );
    const dir = join(ctx.home, 'ws');
    const result = await runAura(
      [
        'run',
        'write a file',
        '--model',
        'openai/gpt-5',
        '--dir',
        dir,
        '--data',
        ctx.data,
        '--format',
        'json',
        '--yes',
      ],
      { env: ctx.env },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await readFile(join(dir, 'from-responses.txt'), 'utf8')).toBe('rsp\n');

    const [first, second] = server.requests;
    // A third request (the session title) may follow; every one goes to the Responses endpoint.
    expect(new Set(server.requests.map((request) => request.path))).toEqual(new Set(['/v1/responses']));
    expect([first?.servedWith, second?.servedWith]).toEqual([
      'openai-responses-stream',
      'openai-responses-stream',
    ]);
    expect(first?.headers.authorization).toBe(`Bearer ${secret}`);
    expect(first?.body).toMatchObject({ model: 'gpt-5', stream: true });
    const input = (second?.body as { input?: Record<string, unknown>[] } | undefined)?.input ?? [];
    const output = input.find((item) => item.type === 'function_call_output');
    expect(output).toMatchObject({ call_id: 'call_rsp_1' });
    expect(JSON.stringify(output)).toContain('from-responses.txt');

    const events = parse(result.stdout);
    const text = events.flatMap((e) => (e.type === 'text_delta' ? [e.data.delta] : [])).join('');
    expect(text).toBe('Wrote it via responses.');
    expect(
      events.filter((e) => e.type === 'usage').map((e) => e.type === 'usage' && e.data.inputTokens),
    ).toEqual([300, 380]);
    expect(result.stdout).not.toContain(secret);
  });

  it.each([
    {
      name: 'an OpenAI error chunk (openai-compatible)',
      model: 'openai-compatible/m',
      env: (): NodeJS.ProcessEnv => ({ OPENAI_COMPATIBLE_BASE_URL: server.baseUrlOpenAI }),
      stream: () => ({
        kind: 'openai-stream' as const,
        // Role chunk and three deltas, then the error instead of the finish and usage chunks.
        chunks: [
          ...openaiTextChunks(['Half', ' of', ' an', ' answer']).slice(0, 4),
          openaiStreamErrorChunk('The server had an error while processing your request.'),
        ],
        done: false,
      }),
      message: 'The server had an error while processing your request.',
    },
    {
      name: 'an Anthropic error event (anthropic)',
      model: 'anthropic/claude-haiku-4-5',
      env: (): NodeJS.ProcessEnv => ({
        ANTHROPIC_BASE_URL: server.baseUrlAnthropic,
        ANTHROPIC_API_KEY: secret,
      }),
      stream: () => ({
        kind: 'anthropic-stream' as const,
        // message_start, content_block_start, ping and three deltas, then the error.
        events: [
          ...anthropicTextEvents(['Half', ' of', ' an', ' answer']).slice(0, 6),
          anthropicErrorEvent('overloaded_error', 'Overloaded'),
        ],
      }),
      message: 'Overloaded',
    },
  ])('shows the partial answer and the error when $name arrives mid-answer, exit code 1', async (spec) => {
    const ctx = await cleanEnv(spec.env());
    server.enqueue(spec.stream());
    const result = await runAura(
      ['run', 'hi', '--model', spec.model, '--dir', join(ctx.home, 'ws'), '--data', ctx.data],
      { env: ctx.env },
    );
    const shown = `${result.stdout}${result.stderr}`;
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Half of an');
    expect(shown).not.toContain('Half of an answer');
    expect(shown).toMatch(/error:/);
    expect(shown).toContain(spec.message);
    expect(server.requests).toHaveLength(1);
  });

  it('anthropic/<model> honours ANTHROPIC_BASE_URL (with or without /v1) and prices the run', async () => {
    const ctx = await cleanEnv({ ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: secret });
    server.enqueue(
      ...anthropicToolRoundTrip({
        calls: [{ id: 'toolu_1', name: 'list', input: {} }],
        answer: 'The workspace is empty.',
        usage: [usage(1000, 50), usage(1200, 20)],
      }),
    );
    const dir = join(ctx.home, 'ws');
    const result = await runAura(
      [
        'run',
        'what is here?',
        '--model',
        'anthropic/claude-sonnet-4-5',
        '--dir',
        dir,
        '--data',
        ctx.data,
        '--format',
        'json',
        '--yes',
      ],
      { env: ctx.env },
    );
    expect(result.code).toBe(0);
    expect(server.requests[0]?.path).toBe('/v1/messages');
    expect(server.requests[0]?.headers['x-api-key']).toBe(secret);
    const events = parse(result.stdout);
    const last = events.filter((e) => e.type === 'usage').at(-1);
    // 2,200 input and 70 output tokens at $3 / $15 per million
    expect(last?.type === 'usage' && last.data.session.costUsd).toBeCloseTo((2200 * 3 + 70 * 15) / 1e6, 8);
    expect(events.find((e) => e.type === 'tool_result')).toMatchObject({ data: { tool: 'list', ok: true } });
  });

  it('waits out a 429 with Retry-After, says so, then succeeds', async () => {
    const ctx = await cleanEnv({ OPENAI_COMPATIBLE_BASE_URL: server.baseUrlOpenAI });
    server.enqueue(openaiRateLimited({ retryAfterMs: '50' }), openaiTextStream('Hello after the wait.'));
    const result = await runAura(
      ['run', 'hi', '--model', 'openai-compatible/m', '--dir', join(ctx.home, 'ws'), '--data', ctx.data],
      {
        env: ctx.env,
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/retrying in 0\.\ds \(attempt 1\)/);
    expect(result.stdout).toContain('Hello after the wait.');
  });

  it('reports a rejected key without echoing it, exit code 1', async () => {
    const ctx = await cleanEnv({ ANTHROPIC_BASE_URL: server.baseUrlAnthropic, ANTHROPIC_API_KEY: secret });
    server.enqueue({
      kind: 'status',
      status: 401,
      body: {
        type: 'error',
        error: { type: 'authentication_error', message: `invalid x-api-key ${secret}` },
      },
    });
    const result = await runAura(
      [
        'run',
        'hi',
        '--model',
        'anthropic/claude-haiku-4-5',
        '--dir',
        join(ctx.home, 'ws'),
        '--data',
        ctx.data,
      ],
      {
        env: ctx.env,
      },
    );
    expect(result.code).toBe(1);
    expect(`${result.stdout}${result.stderr}`).toMatch(/error:/);
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
    expect(server.requests).toHaveLength(1);
  });

  it('scrubs a key of any shape from errors, the event log and exports', async () => {
    const oddKey = 'mysecretvalue';
    const ctx = await cleanEnv({
      OPENAI_COMPATIBLE_BASE_URL: server.baseUrlOpenAI,
      OPENAI_COMPATIBLE_API_KEY: oddKey,
    });
    server.enqueue({
      kind: 'status',
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${oddKey}` } },
    });
    const dir = join(ctx.home, 'ws');
    const result = await runAura(
      ['run', 'hi', '--model', 'openai-compatible/m', '--dir', dir, '--data', ctx.data, '--format', 'json'],
      {
        env: ctx.env,
      },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('[REDACTED]');
    const sessionId = parse(result.stdout)[0]!.sessionId;
    const exported = await runAura(['session', 'export', sessionId, '--data', ctx.data], { env: ctx.env });
    expect(`${result.stdout}${result.stderr}${exported.stdout}`).not.toContain(oddKey);
  });

  it('gives up on a stalled stream with a clear error instead of hanging', async () => {
    const ctx = await cleanEnv({ ANTHROPIC_BASE_URL: server.baseUrlAnthropic, ANTHROPIC_API_KEY: secret });
    const dir = join(ctx.home, 'ws');
    await mkdir(join(dir, '.aura'), { recursive: true });
    await writeFile(join(dir, '.aura', 'config.yaml'), 'retry: { stallTimeoutMs: 1000, maxRetries: 0 }\n');
    server.enqueue(anthropicTextStream('This answer never fin ishes', { stallAfter: 4 }));
    const started = Date.now();
    const result = await runAura(
      ['run', 'hi', '--model', 'anthropic/claude-haiku-4-5', '--dir', dir, '--data', ctx.data],
      {
        env: ctx.env,
      },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/stopped sending data/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
