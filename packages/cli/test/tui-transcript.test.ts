import type { EventEnvelope, EventInput, Message } from '@aura/protocol';
import { describe, expect, it } from 'vitest';
import { activityOf, type ChatState, chatReducer, initialChatState, isBusy } from '../src/tui/chat-state.ts';
import { renderItem, toolLabel, toolSubject, wrapPlain } from '../src/tui/render-item.ts';
import { colorEnabled, createTheme } from '../src/tui/theme.ts';
import { type Item, transcriptFromMessages } from '../src/tui/transcript.ts';
import { sessionInfo } from './tui-harness.ts';

let seq = 0;
const envelope = (event: EventInput, sessionId = sessionInfo().id) =>
  ({ ...event, seq: ++seq, sessionId, ts: 0 }) as EventEnvelope;

function play(events: EventInput[], state: ChatState = initialChatState(sessionInfo(), [])): ChatState {
  return events.reduce((s, event) => chatReducer(s, { type: 'event', event: envelope(event) }), state);
}

const kinds = (items: Item[]) => items.map((i) => i.kind);
const plain = { width: 80, theme: createTheme(false) };
const show = (item: Item) => renderItem(item, plain);

describe('transcript from events', () => {
  it('streams text into one live block and prints it once the next block starts', () => {
    let state = play([
      { type: 'message_user', data: { messageId: 'u1', text: 'make a file' } },
      { type: 'run_started', data: { runId: 'r', model: 'script:x', mode: 'chat', maxSteps: 15 } },
      { type: 'message_start', data: { messageId: 'a1', model: 'script:x', scripted: true } },
      { type: 'text_delta', data: { messageId: 'a1', delta: 'Creating ' } },
      { type: 'text_delta', data: { messageId: 'a1', delta: 'the file.' } },
    ]);
    expect(kinds(state.transcript.done)).toEqual(['user', 'note']);
    expect(show(state.transcript.done[1]!)).toContain('scripted model script:x');
    expect(state.transcript.live).toMatchObject([
      { kind: 'assistant', text: 'Creating the file.', open: true },
    ]);
    expect(activityOf(state)).toBe('writing');

    state = play(
      [
        {
          type: 'tool_call',
          data: {
            messageId: 'a1',
            toolCallId: 't1',
            tool: 'write',
            input: { path: 'hello.txt', content: 'hi' },
          },
        },
      ],
      state,
    );
    expect(kinds(state.transcript.done)).toEqual(['user', 'note', 'assistant']);
    expect(activityOf(state)).toBe('running write');
  });

  it('keeps the real order: a finished call waits for an earlier one still running', () => {
    const call = (id: string) =>
      ({
        type: 'tool_call',
        data: { messageId: 'a', toolCallId: id, tool: 'read', input: { path: `${id}.ts` } },
      }) as const;
    const result = (id: string) =>
      ({
        type: 'tool_result',
        data: { messageId: 'a', toolCallId: id, tool: 'read', ok: true, output: 'x\ny', durationMs: 1 },
      }) as const;
    let state = play([call('one'), call('two'), result('two')]);
    expect(state.transcript.done).toEqual([]);
    state = play([result('one')], state);
    expect(state.transcript.done.map((i) => (i.kind === 'tool' ? i.toolCallId : ''))).toEqual(['one', 'two']);
  });

  it('shows a permission wait in the status, then the answer under the call', () => {
    let state = play([
      { type: 'run_started', data: { runId: 'r', model: 'm', mode: 'chat', maxSteps: 15 } },
      {
        type: 'permission_request',
        data: {
          requestId: 'p1',
          tool: 'exec',
          input: { command: 'ls' },
          subject: 'ls',
          description: 'Run ls',
        },
      },
    ]);
    expect(state.permissions).toHaveLength(1);
    expect(activityOf(state)).toBe('waiting for permission');
    state = play(
      [{ type: 'permission_resolved', data: { requestId: 'p1', reply: 'reject', message: 'not now' } }],
      state,
    );
    expect(state.permissions).toEqual([]);
    expect(show(state.transcript.done.at(-1)!)).toBe('  → denied: not now');
  });

  it('puts the answer under the call it was about', () => {
    const state = play([
      {
        type: 'tool_call',
        data: { messageId: 'a', toolCallId: 't', tool: 'exec', input: { command: 'ls' } },
      },
      {
        type: 'permission_request',
        data: {
          requestId: 'p',
          tool: 'exec',
          input: { command: 'ls' },
          subject: 'ls',
          description: 'Run ls',
        },
      },
      { type: 'permission_resolved', data: { requestId: 'p', reply: 'once' } },
      {
        type: 'tool_result',
        data: { messageId: 'a', toolCallId: 't', tool: 'exec', ok: true, output: 'README.md', durationMs: 1 },
      },
    ]);
    expect(state.transcript.done.map(show)).toEqual(['● exec ls\n  → allowed once\n  ✓ README.md']);
  });

  it('ends a cancelled run with a note, stops what was running and clears waiting prompts', () => {
    const state = play([
      { type: 'run_started', data: { runId: 'r', model: 'm', mode: 'chat', maxSteps: 15 } },
      {
        type: 'tool_call',
        data: { messageId: 'a', toolCallId: 't', tool: 'exec', input: { command: 'sleep 9' } },
      },
      {
        type: 'permission_request',
        data: { requestId: 'p', tool: 'exec', input: {}, subject: 'x', description: 'x' },
      },
      { type: 'run_finished', data: { runId: 'r', status: 'cancelled', steps: 1 } },
      { type: 'state_change', data: { state: 'IDLE' } },
    ]);
    expect(state.transcript.live).toEqual([]);
    expect(state.transcript.done.map(show)).toEqual([
      '● exec sleep 9\n  ■ stopped',
      'cancelled — what was done so far is saved.',
    ]);
    expect(state.permissions).toEqual([]);
    expect(isBusy(state)).toBe(false);
    expect(activityOf(state)).toBe('idle');
  });

  it('reports a failed run once, whether or not an error event came first', () => {
    const failed = {
      type: 'run_finished',
      data: { runId: 'r', status: 'error', steps: 0, error: 'boom' },
    } as const;
    const withEvent = play([{ type: 'error', data: { message: 'boom' } }, failed]);
    expect(withEvent.transcript.done.map(show)).toEqual(['error: boom']);
    expect(play([failed]).transcript.done.map(show)).toEqual(['error: boom']);
  });

  it('tracks model, title, usage and state for the status line', () => {
    const state = play([
      { type: 'message_start', data: { messageId: 'a', model: 'openai/gpt-5', scripted: false } },
      { type: 'session_updated', data: { title: 'Add a button' } },
      {
        type: 'usage',
        data: {
          messageId: 'a',
          step: 1,
          model: 'openai/gpt-5',
          inputTokens: 10,
          outputTokens: 5,
          reasoningTokens: 0,
          cachedInputTokens: 0,
          costUsd: 0.01,
          session: {
            inputTokens: 1500,
            outputTokens: 200,
            reasoningTokens: 0,
            cachedInputTokens: 0,
            costUsd: 0.5,
            steps: 3,
          },
        },
      },
    ]);
    expect(state.session).toMatchObject({ model: 'openai/gpt-5', title: 'Add a button' });
    expect(state.session.usage).toMatchObject({ inputTokens: 1500, outputTokens: 200, costUsd: 0.5 });
    expect(state.scripted).toBe(false);
  });

  it('ignores events of another session (a switch in flight)', () => {
    const before = initialChatState(sessionInfo(), []);
    const event = envelope({ type: 'message_user', data: { messageId: 'x', text: 'hi' } }, 'ses_other');
    expect(chatReducer(before, { type: 'event', event })).toBe(before);
  });

  it('prints the whole transcript again on a new epoch, and a new session replaces it', () => {
    const state = play([{ type: 'message_user', data: { messageId: 'u', text: 'hi' } }]);
    const reprinted = chatReducer(state, { type: 'reprint' });
    expect(reprinted.epoch).toBe(state.epoch + 1);
    expect(reprinted.transcript).toBe(state.transcript);
    expect(reprinted.printedAtStart).toBe(state.transcript.done.length);
    const other = sessionInfo({ id: 'ses_other', state: 'RUNNING' });
    const opened = chatReducer(state, { type: 'sessionOpened', session: other, messages: [] });
    expect(opened.epoch).toBe(state.epoch + 1);
    expect(opened.transcript.done.map(show)).toEqual(['new session ses_other']);
    expect(opened.printedAtStart).toBe(1);
    expect(isBusy(opened)).toBe(true);
  });
});

describe('transcript from saved messages', () => {
  it('turns messages into closed items, tool states included', () => {
    const messages: Message[] = [
      {
        id: 'm1',
        sessionId: 's',
        role: 'user',
        parts: [
          { type: 'text', text: 'fix it' },
          { type: 'file', mediaType: 'image/png', filename: 'shot.png', url: 'data:' },
        ],
        model: null,
        finishReason: null,
        usage: null,
        createdAt: 0,
      },
      {
        id: 'm2',
        sessionId: 's',
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'think' },
          { type: 'text', text: 'Done.' },
          {
            type: 'tool',
            toolCallId: 't',
            tool: 'exec',
            input: { command: 'rm -rf /' },
            state: 'denied',
            output: 'no',
          },
          { type: 'tool', toolCallId: 'u', tool: 'exec', input: { command: 'sleep' }, state: 'running' },
        ],
        model: 'm',
        finishReason: 'stop',
        usage: null,
        createdAt: 0,
      },
    ];
    const { done, live } = transcriptFromMessages(messages);
    expect(live).toEqual([]);
    expect(kinds(done)).toEqual(['user', 'reasoning', 'assistant', 'tool', 'tool']);
    expect(show(done[0]!)).toBe('❯ fix it\n  + attached @shot.png');
    expect(done.slice(3).map((i) => (i.kind === 'tool' ? i.status : ''))).toEqual(['denied', 'stopped']);
  });
});

describe('rendering items', () => {
  it('shows a tool call on one line with a compact result', () => {
    const item: Item = {
      kind: 'tool',
      id: 'i',
      toolCallId: 't',
      tool: 'exec',
      input: { command: 'npm   test' },
      status: 'error',
      output: 'line 1\nline 2\nline 3\nline 4\nline 5',
    };
    expect(show(item)).toBe(
      '● exec npm test\n  ✗ line 1\n    line 2\n    line 3\n    line 4\n    … 1 more line',
    );
    expect(toolLabel('mcp__github__create_issue')).toBe('github › create_issue');
    expect(toolSubject('move', { from: 'a.ts', to: 'b.ts' })).toBe('a.ts → b.ts');
    expect(toolSubject('apply_patch', { patch: '--- a/x.ts\n+++ b/x.ts\n@@\n' })).toBe('x.ts');
  });

  it('shows the diff of an edit under its summary', () => {
    const item: Item = {
      kind: 'tool',
      id: 'i',
      toolCallId: 't',
      tool: 'edit',
      input: { path: 'src/app.ts' },
      status: 'ok',
      output: 'Edited src/app.ts: 1 replacement, +1 -1 lines.',
      metadata: { diff: '--- a/src/app.ts\n+++ b/src/app.ts\n@@ -1 +1 @@\n-old line\n+new line\n' },
    };
    const text = show(item);
    expect(text.split('\n')[0]).toBe('● edit src/app.ts');
    expect(text).toContain('✓ Edited src/app.ts: 1 replacement');
    expect(text).toContain('old line');
    expect(text).toContain('new line');
  });

  it('never lets escape sequences from the model or a tool through', () => {
    const hostile = 'ok\u001b]0;pwned\u0007\u001b[2J';
    const items: Item[] = [
      { kind: 'assistant', id: 'a', messageId: 'm', text: hostile, open: false },
      {
        kind: 'tool',
        id: 't',
        toolCallId: 't',
        tool: 'exec',
        input: { command: hostile },
        status: 'ok',
        output: hostile,
      },
      { kind: 'note', id: 'n', tone: 'error', text: hostile },
      { kind: 'shell', id: 's', command: hostile, result: { ok: true, exitCode: 0, output: hostile } },
      { kind: 'user', id: 'u', text: hostile },
    ];
    for (const item of items) expect(show(item)).not.toContain('\u001b');
  });

  it('turns colour off for NO_COLOR (set to anything) and TERM=dumb', () => {
    expect(colorEnabled({ TERM: 'xterm-256color' })).toBe(true);
    expect(colorEnabled({ NO_COLOR: '1', TERM: 'xterm-256color' })).toBe(false);
    expect(colorEnabled({ NO_COLOR: '', TERM: 'xterm-256color' })).toBe(true);
    expect(colorEnabled({ TERM: 'dumb' })).toBe(false);
  });

  it('adds colour only when the theme has it', () => {
    const note: Item = { kind: 'note', id: 'n', tone: 'error', text: 'failed' };
    expect(renderItem(note, { width: 80, theme: createTheme(true) })).toBe('\u001b[31mfailed\u001b[39m');
    expect(show(note)).toBe('failed');
  });

  it('wraps notes at spaces, and two-column text under its second column', () => {
    expect(wrapPlain('the quick brown fox jumps', 10)).toBe('the quick\nbrown fox\njumps');
    expect(wrapPlain('  /undo   revert the last turn that changed files', 30)).toBe(
      '  /undo   revert the last turn\n          that changed files',
    );
    expect(wrapPlain('abcdefghijkl', 5)).toBe('abcde\nfghij\nkl');
  });
});
