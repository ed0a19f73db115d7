import type { EventEnvelope, SessionState, TerminalFrame } from '@aura/protocol';

/**
 * Frames other than event envelopes that the server sends on `/ws/:projectId` (docs/protocol.md,
 * "WebSocket"). They carry no seq and are never replayed.
 */
export type ControlFrame =
  | TerminalFrame
  | { type: 'hello'; data: { sessionId: string; projectId: string; lastSeq: number } }
  | { type: 'ack'; id: string; data: Record<string, unknown> }
  | { type: 'error'; id?: string; data: { code: string; message: string } }
  | { type: 'state'; id?: string; data: { state: SessionState; running: boolean; lastSeq: number } }
  | { type: 'pong'; id?: string };

export type ServerFrame = { kind: 'event'; event: EventEnvelope } | { kind: 'control'; frame: ControlFrame };

const controlTypes = new Set(['hello', 'ack', 'error', 'state', 'pong', 'terminal_output', 'terminal_exit']);

/**
 * Sorts a text frame into an event or a control frame; undefined for anything else. Envelopes are
 * checked for shape only: the server validated them before persisting, and a full schema parse of
 * every streamed delta would cost more than it catches.
 */
export function parseFrame(text: string): ServerFrame | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.type !== 'string') return undefined;
  if (typeof record.seq === 'number' && typeof record.data === 'object' && record.data !== null) {
    return { kind: 'event', event: value as EventEnvelope };
  }
  if (controlTypes.has(record.type)) return { kind: 'control', frame: value as ControlFrame };
  return undefined;
}
