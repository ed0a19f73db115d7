import type { EventEnvelope, EventInput } from '@aura/protocol';
import { describe, expect, it } from 'vitest';
import { sessionAfterEvent } from '../src/chat/session-events.ts';
import { sessionInfo } from './tui-harness.ts';

const at = (seq: number, event: EventInput): EventEnvelope =>
  ({ ...event, seq, sessionId: 'ses_0123456789abcdef', ts: 1_000 + seq }) as EventEnvelope;

describe('the session as its events tell it', () => {
  it('follows state, title, model, mode, usage totals and the last seq', () => {
    const totals = {
      inputTokens: 30,
      outputTokens: 7,
      reasoningTokens: 1,
      cachedInputTokens: 2,
      costUsd: 0.02,
      steps: 3,
    };
    const events: EventEnvelope[] = [
      at(1, {
        type: 'run_started',
        data: { runId: 'run_1', model: 'openai/gpt-5', mode: 'build', maxSteps: 9 },
      }),
      at(2, { type: 'state_change', data: { state: 'RUNNING' } }),
      at(3, { type: 'session_updated', data: { title: 'A shop' } }),
      at(4, { type: 'message_start', data: { messageId: 'm', model: 'anthropic/claude', scripted: false } }),
      at(5, {
        type: 'usage',
        data: {
          messageId: 'm',
          step: 1,
          model: 'anthropic/claude',
          inputTokens: 10,
          outputTokens: 5,
          reasoningTokens: 0,
          cachedInputTokens: 0,
          costUsd: 0.01,
          session: { ...totals, extra: 'not ours' },
        },
      } as EventInput),
      at(6, { type: 'session_updated', data: {} }),
      at(7, { type: 'text_delta', data: { messageId: 'm', delta: 'hi' } }),
    ];
    const session = events.reduce(sessionAfterEvent, sessionInfo());
    expect(session).toEqual(
      sessionInfo({
        state: 'RUNNING',
        title: 'A shop',
        model: 'anthropic/claude',
        mode: 'build',
        usage: totals,
        lastSeq: 7,
        updatedAt: 1_007,
      }),
    );
  });
});
