import type { SessionState, TerminalFrame } from '@aura/protocol';

/**
 * Server → client frames other than event envelopes (which are sent exactly as persisted).
 * Terminal frames (`terminal_output`, `terminal_exit`) are control frames too: no seq, not persisted.
 */
export type ControlFrame =
  | TerminalFrame
  | { type: 'hello'; data: { sessionId: string; projectId: string; lastSeq: number } }
  | { type: 'ack'; id: string; data: Record<string, unknown> }
  | { type: 'error'; id?: string; data: { code: string; message: string } }
  | { type: 'state'; id?: string; data: { state: SessionState; running: boolean; lastSeq: number } }
  | { type: 'pong'; id?: string };

export const closeCodes = {
  /** The server is shutting down. */
  goingAway: 1001,
  /** The store failed while streaming: reconnect and resume. */
  internalError: 1011,
  /** The client let more than the hard cap of replies pile up unread; the reason names the seq to resume after. */
  slowConsumer: 4008,
  /** `?session=` names no session of this project that the user owns. */
  sessionNotFound: 4404,
} as const;

/** `id` only when the command had one, so replies correlate without inventing ids. */
export const withId = (id: string | undefined) => (id === undefined ? {} : { id });
