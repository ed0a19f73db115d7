import { describe, expect, it } from 'vitest';
import { describeTestResult } from './test-outcome.ts';

describe('provider test outcomes', () => {
  it('reports the latency of a working provider', () => {
    expect(describeTestResult({ ok: true, model: 'openai/gpt-5', latencyMs: 312 })).toEqual({
      ok: true,
      title: 'Works: answered in 312 ms',
      detail: 'Tested with openai/gpt-5.',
    });
  });

  it('names the kind of failure and keeps the server’s message', () => {
    const outcome = describeTestResult({
      ok: false,
      model: 'anthropic/claude-sonnet-4-5',
      kind: 'network',
      message: 'The connection to the provider failed: getaddrinfo ENOTFOUND api.anthropic.com',
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.title).toBe('Cannot connect');
    expect(outcome.detail).toBe(
      'The connection to the provider failed: getaddrinfo ENOTFOUND api.anthropic.com (network, anthropic/claude-sonnet-4-5)',
    );
  });

  it('has a headline for kinds it does not know', () => {
    expect(describeTestResult({ ok: false, model: 'x/y', kind: 'unknown', message: 'boom' }).title).toBe(
      'The test failed',
    );
  });
});
