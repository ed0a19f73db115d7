import type { EventEnvelope, EventInput } from '@aura/protocol';
import { readUIMessageStream, type UIMessage, type UIMessageChunk } from 'ai';
import { describe, expect, it } from 'vitest';
import { UiChunkTranslator } from './ui-chunks.ts';

const usage = { inputTokens: 1, outputTokens: 1, reasoningTokens: 0, cachedInputTokens: 0, costUsd: null };

function envelopes(inputs: EventInput[]): EventEnvelope[] {
  return inputs.map((input, i) => ({ seq: i + 1, sessionId: 'ses_1', ts: 0, ...input }) as EventEnvelope);
}

function translate(events: EventEnvelope[], runId = 'run_1') {
  const translator = new UiChunkTranslator('ses_1', runId);
  const chunks = events.flatMap((event) => translator.translate(event));
  return { chunks, done: translator.done };
}

async function assemble(chunks: UIMessageChunk[]): Promise<UIMessage | undefined> {
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  let last: UIMessage | undefined;
  for await (const message of readUIMessageStream({ stream, terminateOnError: true })) last = message;
  return last;
}

const step = (n: number): EventInput => ({
  type: 'usage',
  data: { ...usage, messageId: 'msg_a', step: n, model: 'script:x', session: { ...usage, steps: n } },
});

/** An earlier run's tail, then a turn with reasoning, text, a tool asking permission, and a second step. */
const turn = envelopes([
  { type: 'run_finished', data: { runId: 'run_0', status: 'completed', steps: 1 } },
  { type: 'message_user', data: { messageId: 'msg_u', text: 'Go' } },
  { type: 'run_started', data: { runId: 'run_1', model: 'script:x', mode: 'chat', maxSteps: 15 } },
  { type: 'state_change', data: { state: 'RUNNING' } },
  { type: 'message_start', data: { messageId: 'msg_a', model: 'script:x', scripted: true } },
  { type: 'reasoning_delta', data: { messageId: 'msg_a', delta: 'Think' } },
  { type: 'reasoning_delta', data: { messageId: 'msg_a', delta: 'ing.' } },
  { type: 'text_delta', data: { messageId: 'msg_a', delta: 'Run' } },
  { type: 'text_delta', data: { messageId: 'msg_a', delta: 'ning.' } },
  {
    type: 'tool_call',
    data: { messageId: 'msg_a', toolCallId: 'call_1', tool: 'exec', input: { command: 'ls' } },
  },
  {
    type: 'permission_request',
    data: {
      requestId: 'req_1',
      tool: 'exec',
      input: { command: 'ls' },
      subject: 'ls',
      description: 'Run ls',
    },
  },
  { type: 'permission_resolved', data: { requestId: 'req_1', reply: 'once' } },
  {
    type: 'tool_result',
    data: {
      messageId: 'msg_a',
      toolCallId: 'call_1',
      tool: 'exec',
      ok: true,
      output: 'a.txt',
      durationMs: 3,
    },
  },
  step(1),
  {
    type: 'tool_call',
    data: { messageId: 'msg_a', toolCallId: 'call_2', tool: 'read', input: { path: 'b' } },
  },
  {
    type: 'tool_result',
    data: {
      messageId: 'msg_a',
      toolCallId: 'call_2',
      tool: 'read',
      ok: false,
      output: 'No such file',
      durationMs: 1,
    },
  },
  { type: 'text_delta', data: { messageId: 'msg_a', delta: 'Done.' } },
  step(2),
  { type: 'message_done', data: { messageId: 'msg_a', finishReason: 'stop', usage } },
  { type: 'run_finished', data: { runId: 'run_1', status: 'completed', steps: 2 } },
  { type: 'state_change', data: { state: 'IDLE' } },
]);

describe('UiChunkTranslator', () => {
  it('translates a turn into chunks the SDK assembles into the expected message', async () => {
    const { chunks, done } = translate(turn);
    expect(done).toBe(true);
    expect(chunks[0]).toEqual({
      type: 'start',
      messageId: 'msg_a',
      messageMetadata: { sessionId: 'ses_1', runId: 'run_1', model: 'script:x', scripted: true },
    });
    expect(chunks.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      messageMetadata: { status: 'completed' },
    });
    expect(chunks.filter((c) => c.type === 'start-step')).toHaveLength(2);
    expect(chunks.filter((c) => c.type === 'finish-step')).toHaveLength(2);

    const message = await assemble(chunks);
    expect(message?.id).toBe('msg_a');
    expect(message?.metadata).toEqual({
      sessionId: 'ses_1',
      runId: 'run_1',
      model: 'script:x',
      scripted: true,
      status: 'completed',
    });
    expect(message?.parts).toEqual([
      { type: 'step-start' },
      expect.objectContaining({ type: 'reasoning', text: 'Thinking.', state: 'done' }),
      { type: 'text', text: 'Running.', state: 'done' },
      expect.objectContaining({
        type: 'dynamic-tool',
        toolName: 'exec',
        toolCallId: 'call_1',
        state: 'output-available',
        input: { command: 'ls' },
        output: 'a.txt',
      }),
      {
        type: 'data-permission',
        id: 'req_1',
        data: {
          requestId: 'req_1',
          tool: 'exec',
          input: { command: 'ls' },
          subject: 'ls',
          description: 'Run ls',
          status: 'once',
          sessionId: 'ses_1',
        },
      },
      { type: 'step-start' },
      expect.objectContaining({
        type: 'dynamic-tool',
        toolName: 'read',
        state: 'output-error',
        errorText: 'No such file',
      }),
      { type: 'text', text: 'Done.', state: 'done' },
    ]);
  });

  it('ignores everything until its own run starts, and other runs’ run_finished', () => {
    const otherRun = envelopes([
      { type: 'run_started', data: { runId: 'run_9', model: 'm', mode: 'chat', maxSteps: 1 } },
      { type: 'text_delta', data: { messageId: 'msg_z', delta: 'not ours' } },
      { type: 'run_finished', data: { runId: 'run_9', status: 'completed', steps: 1 } },
    ]);
    expect(translate(otherRun)).toEqual({ chunks: [], done: false });
  });

  it('reports run errors and finishes a run that failed before its message started', async () => {
    const failed = envelopes([
      { type: 'run_started', data: { runId: 'run_1', model: 'm', mode: 'chat', maxSteps: 1 } },
      { type: 'error', data: { message: 'The provider refused the key.' } },
      {
        type: 'run_finished',
        data: { runId: 'run_1', status: 'error', steps: 0, error: 'The provider refused the key.' },
      },
    ]);
    const { chunks, done } = translate(failed);
    expect(done).toBe(true);
    expect(chunks).toEqual([
      { type: 'start', messageMetadata: { sessionId: 'ses_1', runId: 'run_1' } },
      { type: 'error', errorText: 'The provider refused the key.' },
      { type: 'finish', finishReason: 'other', messageMetadata: { status: 'error' } },
    ]);
  });

  it('maps finish reasons the SDK lacks to other, keeping the run status in the metadata', () => {
    const cancelled = envelopes([
      { type: 'run_started', data: { runId: 'run_1', model: 'm', mode: 'chat', maxSteps: 1 } },
      { type: 'message_start', data: { messageId: 'msg_a', model: 'm', scripted: false } },
      { type: 'text_delta', data: { messageId: 'msg_a', delta: 'Partial' } },
      { type: 'message_done', data: { messageId: 'msg_a', finishReason: 'cancelled', usage: null } },
      { type: 'run_finished', data: { runId: 'run_1', status: 'cancelled', steps: 0 } },
    ]);
    const { chunks } = translate(cancelled);
    expect(chunks.slice(-3)).toEqual([
      { type: 'text-end', id: 'text-1' },
      { type: 'finish-step' },
      { type: 'finish', finishReason: 'other', messageMetadata: { status: 'cancelled' } },
    ]);
  });
});
