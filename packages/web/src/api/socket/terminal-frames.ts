import type { TerminalFrame } from '@aura/protocol';
import type { ControlFrame } from './frames.ts';
import { CommandError, type SessionCommand } from './session-socket.ts';

/** A terminal's size in character cells. */
export interface TerminalSize {
  cols: number;
  rows: number;
}

/** The protocol's bounds for a size (`cells` in packages/protocol/src/commands.ts). */
const MIN_CELLS = 1;
const MAX_CELLS = 1000;
/** Input above this is sent in several frames: the server takes at most 1,000,000 characters. */
export const MAX_INPUT_CHARS = 64 * 1024;

/** A size the server accepts: whole cells within the protocol's bounds. */
export function clampSize({ cols, rows }: TerminalSize): TerminalSize {
  const clamp = (n: number) => Math.min(MAX_CELLS, Math.max(MIN_CELLS, Math.floor(n) || MIN_CELLS));
  return { cols: clamp(cols), rows: clamp(rows) };
}

/** The commands that drive a terminal (docs/protocol.md, "WebSocket"). */
export const terminalCommand = {
  open: (size: TerminalSize): SessionCommand => ({ type: 'terminal_open', data: clampSize(size) }),
  input: (terminalId: string, data: string): SessionCommand => ({
    type: 'terminal_input',
    data: { terminalId, data },
  }),
  resize: (terminalId: string, size: TerminalSize): SessionCommand => ({
    type: 'terminal_resize',
    data: { terminalId, ...clampSize(size) },
  }),
  close: (terminalId: string): SessionCommand => ({ type: 'terminal_close', data: { terminalId } }),
};

/** Input cut into frames of at most MAX_INPUT_CHARS, never splitting a surrogate pair. */
export function inputChunks(data: string): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < data.length) {
    let end = Math.min(data.length, start + MAX_INPUT_CHARS);
    if (end < data.length && isHighSurrogate(data.charCodeAt(end - 1))) end -= 1;
    chunks.push(data.slice(start, end));
    start = end;
  }
  return chunks;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * The control frame as a terminal frame, when it is a well-formed one. parseFrame only sorts by
 * type; this checks the fields a terminal relies on.
 */
export function asTerminalFrame(frame: ControlFrame): TerminalFrame | undefined {
  if (frame.type !== 'terminal_output' && frame.type !== 'terminal_exit') return undefined;
  const data: unknown = frame.data;
  if (typeof data !== 'object' || data === null) return undefined;
  const fields = data as Record<string, unknown>;
  if (typeof fields.terminalId !== 'string') return undefined;
  if (frame.type === 'terminal_output') return typeof fields.data === 'string' ? frame : undefined;
  const code = fields.exitCode;
  return code === null || Number.isInteger(code) ? frame : undefined;
}

/** The id in a `terminal_open` ack. */
export function terminalIdOf(ack: Record<string, unknown> | undefined): string {
  const id = ack?.terminalId;
  if (typeof id === 'string' && id.length > 0) return id;
  throw new CommandError('invalid_reply', 'The server did not say which terminal it opened.');
}
