import type { Message } from '@aura/protocol';
import type { ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { compactToolOutputs } from './compaction.ts';
import { toModelMessages } from './history.ts';
import { StuckDetector } from './stuck.ts';
import { titleFromText } from './title.ts';

const base = { sessionId: 's', model: null, finishReason: null, usage: null, createdAt: 0 };

describe('toModelMessages', () => {
  it('splits a multi-step assistant message so each step is followed by its tool results', () => {
    const messages: Message[] = [
      { ...base, id: 'u', role: 'user', parts: [{ type: 'text', text: 'go' }] },
      {
        ...base,
        id: 'a',
        role: 'assistant',
        parts: [
          { type: 'text', text: 'step one' },
          {
            type: 'tool',
            toolCallId: 't1',
            tool: 'read',
            input: { path: 'a' },
            state: 'completed',
            output: 'A',
          },
          { type: 'reasoning', text: 'hmm' },
          { type: 'text', text: 'step two' },
          {
            type: 'tool',
            toolCallId: 't2',
            tool: 'exec',
            input: { command: 'x' },
            state: 'denied',
            output: 'no',
          },
          { type: 'tool', toolCallId: 't3', tool: 'exec', input: { command: 'y' }, state: 'running' },
          { type: 'text', text: 'end' },
        ],
      },
    ];
    const out = toModelMessages(messages);
    expect(out.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'tool', 'assistant']);
    const tool2 = out[4] as Extract<ModelMessage, { role: 'tool' }>;
    expect(tool2.content.map((p) => p.type === 'tool-result' && p.output.type)).toEqual([
      'error-text',
      'error-text',
    ]);
    expect(JSON.stringify(tool2)).toContain('interrupted');
  });
});

describe('compactToolOutputs', () => {
  const toolMessage = (id: string, size: number): ModelMessage => ({
    role: 'tool',
    content: [
      {
        type: 'tool-result',
        toolCallId: id,
        toolName: 'read',
        output: { type: 'text', value: 'y'.repeat(size) },
      },
    ],
  });

  it('leaves conversations under the threshold alone', () => {
    expect(compactToolOutputs([toolMessage('a', 1000)], { contextWindow: 100_000 })).toBeUndefined();
  });

  it('prunes older tool outputs but keeps the two most recent and all text', () => {
    const messages: ModelMessage[] = [
      { role: 'user', content: 'question' },
      toolMessage('1', 5000),
      toolMessage('2', 5000),
      toolMessage('3', 5000),
      toolMessage('4', 5000),
    ];
    const result = compactToolOutputs(messages, { contextWindow: 4000 });
    expect(result?.prunedToolOutputs).toBe(2);
    const text = JSON.stringify(result?.messages);
    expect(text).toContain('question');
    expect(text.match(/older tool output removed/g)).toHaveLength(2);
    expect(text.match(/y{5000}/g)).toHaveLength(2);
  });
});

describe('StuckDetector', () => {
  it('flags the same failing call three times in a row, and resets on success or change', () => {
    const d = new StuckDetector(3);
    d.record('read', { path: 'a' }, false);
    d.record('read', { path: 'a' }, false);
    expect(d.stuck).toBe(false);
    d.record('read', { path: 'b' }, false);
    d.record('read', { path: 'b' }, false);
    d.record('read', { path: 'b' }, true);
    expect(d.stuck).toBe(false);
    for (let i = 0; i < 3; i++) d.record('exec', { b: 1, a: 2 }, false);
    expect(d.stuck).toBe(true);
  });

  it('treats inputs with reordered keys as the same call', () => {
    const d = new StuckDetector(2);
    d.record('edit', { a: 1, b: 2 }, false);
    d.record('edit', { b: 2, a: 1 }, false);
    expect(d.stuck).toBe(true);
  });
});

describe('titleFromText', () => {
  it('uses the first line and shortens long requests at a word boundary', () => {
    expect(titleFromText('  fix the login bug\nmore detail')).toBe('fix the login bug');
    const long = titleFromText(
      'please add a dark mode toggle to the settings page and remember the choice across reloads',
    );
    expect(long.length).toBeLessThanOrEqual(61);
    expect(long.endsWith('…')).toBe(true);
    expect(titleFromText('   ')).toBe('Untitled session');
  });
});

describe('generateTitle', () => {
  it("uses the model's short title, cleaned of quotes", async () => {
    const { createScriptedModel } = await import('../provider/scripted.ts');
    const { generateTitle } = await import('./title.ts');
    const model = createScriptedModel({ steps: [{ text: '"Dark mode toggle."' }] }, 'script:t');
    expect(await generateTitle(model, 'please add a dark mode toggle to settings')).toBe('Dark mode toggle');
  });

  it('falls back to the request when the model fails', async () => {
    const { createScriptedModel } = await import('../provider/scripted.ts');
    const { generateTitle } = await import('./title.ts');
    const model = createScriptedModel({ steps: [{ error: { message: 'down', status: 400 } }] }, 'script:t');
    expect(await generateTitle(model, 'fix the login bug')).toBe('fix the login bug');
  });
});
