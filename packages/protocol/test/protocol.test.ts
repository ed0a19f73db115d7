import { describe, expect, it } from 'vitest';
import {
  commandTypes,
  eventTypes,
  parseCommand,
  parseEnvelope,
  terminalFrameData,
  toolInputSchemas,
} from '../src/index.ts';

describe('commands', () => {
  it('parses every command type of DESIGN §4', () => {
    expect(commandTypes.sort()).toEqual(
      [
        'cancel',
        'generate',
        'get_state',
        'permission_reply',
        'ping',
        'resume',
        'send',
        'terminal_open',
        'terminal_input',
        'terminal_resize',
        'terminal_close',
      ].sort(),
    );
    expect(parseCommand({ type: 'send', data: { text: 'hi' } })).toMatchObject({ ok: true });
    expect(parseCommand({ id: 'c1', type: 'resume', data: { since: 12 } })).toMatchObject({
      ok: true,
      command: { id: 'c1', type: 'resume', data: { since: 12 } },
    });
    expect(
      parseCommand({ type: 'permission_reply', data: { requestId: 'p', reply: 'always' } }),
    ).toMatchObject({ ok: true });
    expect(parseCommand({ id: 't', type: 'terminal_open', data: { cols: 80, rows: 24 } })).toMatchObject({
      ok: true,
    });
    expect(
      parseCommand({ type: 'terminal_resize', data: { terminalId: 'term_1', cols: 1000, rows: 1 } }),
    ).toMatchObject({ ok: true });
    expect(parseCommand({ type: 'terminal_close', data: { terminalId: 'term_1' } })).toMatchObject({
      ok: true,
    });
  });

  it('explains what is wrong with a bad command instead of throwing', () => {
    const cases: unknown[] = [
      null,
      'send',
      { type: 'nope', data: {} },
      { type: 'send', data: { text: '' } },
      { type: 'send', data: { text: 5 } },
      { type: 'resume', data: { since: -1 } },
      { type: 'permission_reply', data: { requestId: 'p', reply: 'maybe' } },
      { type: 'cancel', data: { extra: true } },
      { type: 'terminal_open', data: { cols: 0, rows: 24 } },
      { type: 'terminal_open', data: { cols: 80, rows: 1001 } },
      { type: 'terminal_open', data: { cols: 80.5, rows: 24 } },
      { type: 'terminal_resize', data: { terminalId: '', cols: 80, rows: 24 } },
      { type: 'terminal_resize', data: { terminalId: 'term_1', cols: 80 } },
      { type: 'terminal_input', data: { terminalId: 'term_1', data: 'x'.repeat(1_000_001) } },
      { type: 'terminal_close', data: {} },
    ];
    for (const value of cases) {
      const result = parseCommand(value);
      expect(result.ok, JSON.stringify(value)).toBe(false);
      expect(!result.ok && result.error.length).toBeGreaterThan(0);
    }
  });
});

describe('event envelopes', () => {
  it('validates the data of each type', () => {
    expect(
      parseEnvelope({
        seq: 1,
        sessionId: 's',
        ts: 1,
        type: 'text_delta',
        data: { messageId: 'm', delta: 'hi' },
      }),
    ).toMatchObject({ type: 'text_delta' });
    expect(() =>
      parseEnvelope({ seq: 1, sessionId: 's', ts: 1, type: 'text_delta', data: { delta: 'hi' } }),
    ).toThrow();
    expect(() => parseEnvelope({ seq: 0, sessionId: 's', ts: 1, type: 'ping', data: {} })).toThrow();
    expect(() =>
      parseEnvelope({ seq: 2, sessionId: 's', ts: 1, type: 'state_change', data: { state: 'SLEEPING' } }),
    ).toThrow();
  });

  it('covers the seed event table and the chat stream', () => {
    for (const type of [
      'state_change',
      'phase_designing',
      'phase_designed',
      'file_start',
      'file_chunk',
      'file_end',
      'files_written',
      'deps_installed',
      'server_started',
      'generation_complete',
      'error',
      'message_user',
      'text_delta',
      'reasoning_delta',
      'tool_call',
      'tool_result',
      'message_done',
      'permission_request',
      'usage',
      'preview_error',
    ]) {
      expect(eventTypes).toContain(type);
    }
  });

  it('keeps terminal frames out of the persisted event log', () => {
    expect(eventTypes).not.toContain('terminal_output');
    expect(Object.keys(terminalFrameData).sort()).toEqual(['terminal_exit', 'terminal_output']);
    expect(() =>
      parseEnvelope({
        seq: 1,
        sessionId: 's',
        ts: 1,
        type: 'terminal_output',
        data: { terminalId: 't', data: 'x' },
      }),
    ).toThrow();
    expect(terminalFrameData.terminal_exit.safeParse({ terminalId: 't', exitCode: null }).success).toBe(true);
  });
});

describe('tool inputs', () => {
  it('keeps the model-facing contract of DESIGN §3', () => {
    expect(Object.keys(toolInputSchemas).sort()).toEqual(
      [
        'apply_patch',
        'codebase_search',
        'delete',
        'edit',
        'exec',
        'glob',
        'grep',
        'list',
        'move',
        'read',
        'todo',
        'web_fetch',
        'web_search',
        'write',
      ].sort(),
    );
    expect(
      toolInputSchemas.edit.safeParse({ path: 'a', old_string: 'x', new_string: 'y', replace_all: true })
        .success,
    ).toBe(true);
    expect(toolInputSchemas.read.safeParse({ path: 'a', offset: 0 }).success).toBe(false);
    expect(
      toolInputSchemas.exec.safeParse({ command: 'ls', timeout_ms: 1000, background: false }).success,
    ).toBe(true);
  });
});
