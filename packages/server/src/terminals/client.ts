import type { TerminalFrame } from '@aura/protocol';

/**
 * The socket a terminal belongs to, as the terminal sees it: where its frames go and whether that
 * socket can take more right now. The WebSocket connection implements it (ws-connection.ts).
 */
export interface TerminalClient {
  /** False once the socket has closed: its terminals are killed, nothing more is sent. */
  readonly isOpen: boolean;
  readonly closed: Promise<void>;
  send(frame: TerminalFrame): void;
  /** True while the socket holds more unsent bytes than its high-water mark. */
  congested(): boolean;
  /** Calls `listener` once, when the socket has drained below its low-water mark or closed. */
  whenDrained(listener: () => void): void;
}
