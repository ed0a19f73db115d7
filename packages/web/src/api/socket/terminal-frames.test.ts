import { describe, expect, it } from 'vitest';
import type { ControlFrame } from './frames.ts';
import {
  asTerminalFrame,
  clampSize,
  inputChunks,
  MAX_INPUT_CHARS,
  terminalCommand,
  terminalIdOf,
} from './terminal-frames.ts';

describe('terminal commands', () => {
  it('encodes open, input, resize and close as protocol commands', () => {
    expect(terminalCommand.open({ cols: 120, rows: 30 })).toEqual({
      type: 'terminal_open',
      data: { cols: 120, rows: 30 },
    });
    expect(terminalCommand.input('term_1', 'ls\r')).toEqual({
      type: 'terminal_input',
      data: { terminalId: 'term_1', data: 'ls\r' },
    });
    expect(terminalCommand.resize('term_1', { cols: 100, rows: 20 })).toEqual({
      type: 'terminal_resize',
      data: { terminalId: 'term_1', cols: 100, rows: 20 },
    });
    expect(terminalCommand.close('term_1')).toEqual({
      type: 'terminal_close',
      data: { terminalId: 'term_1' },
    });
  });

  it('keeps sizes to whole cells within the protocol bounds', () => {
    expect(clampSize({ cols: 80.7, rows: 24.2 })).toEqual({ cols: 80, rows: 24 });
    expect(clampSize({ cols: 0, rows: -3 })).toEqual({ cols: 1, rows: 1 });
    expect(clampSize({ cols: 5000, rows: Number.NaN })).toEqual({ cols: 1000, rows: 1 });
  });

  it('cuts long input into frames without splitting a surrogate pair', () => {
    expect(inputChunks('')).toEqual([]);
    expect(inputChunks('echo hi\r')).toEqual(['echo hi\r']);
    const emoji = '😀';
    const text = `${'a'.repeat(MAX_INPUT_CHARS - 1)}${emoji}tail`;
    const chunks = inputChunks(text);
    expect(chunks).toHaveLength(2);
    expect(chunks[0]).toHaveLength(MAX_INPUT_CHARS - 1);
    expect(chunks[1]).toBe(`${emoji}tail`);
    expect(chunks.join('')).toBe(text);
  });
});

describe('terminal frames', () => {
  const frame = (value: unknown) => value as ControlFrame;

  it('accepts well-formed output and exit frames', () => {
    const output = frame({ type: 'terminal_output', data: { terminalId: 't', data: 'x' } });
    expect(asTerminalFrame(output)).toBe(output);
    const exit = frame({ type: 'terminal_exit', data: { terminalId: 't', exitCode: 0 } });
    expect(asTerminalFrame(exit)).toBe(exit);
    const killed = frame({ type: 'terminal_exit', data: { terminalId: 't', exitCode: null } });
    expect(asTerminalFrame(killed)).toBe(killed);
  });

  it('rejects other control frames and malformed terminal frames', () => {
    expect(asTerminalFrame(frame({ type: 'pong' }))).toBeUndefined();
    expect(asTerminalFrame(frame({ type: 'terminal_output', data: { data: 'x' } }))).toBeUndefined();
    expect(asTerminalFrame(frame({ type: 'terminal_output', data: { terminalId: 't' } }))).toBeUndefined();
    expect(asTerminalFrame(frame({ type: 'terminal_exit', data: { terminalId: 't' } }))).toBeUndefined();
    expect(
      asTerminalFrame(frame({ type: 'terminal_exit', data: { terminalId: 't', exitCode: 1.5 } })),
    ).toBeUndefined();
    expect(asTerminalFrame(frame({ type: 'terminal_output', data: null }))).toBeUndefined();
  });

  it('reads the terminal id from the open ack', () => {
    expect(terminalIdOf({ terminalId: 'term_9' })).toBe('term_9');
    expect(() => terminalIdOf({})).toThrow(/which terminal/);
    expect(() => terminalIdOf(undefined)).toThrow(/which terminal/);
  });
});
