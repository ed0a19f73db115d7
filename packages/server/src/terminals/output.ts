import type { TerminalClient } from './client.ts';

/** Terminal output frames carry at most this many characters (~64 KB of mostly-ASCII text). */
export const MAX_FRAME_CHARS = 64 * 1024;
/** Output held for a congested socket; beyond it, output is dropped until the socket catches up. */
export const MAX_PENDING_CHARS = 1024 * 1024;

/** Optional flow control of the pty: stop reading its output (the program then blocks on write). */
export interface FlowControl {
  pause(): void;
  resume(): void;
}

/**
 * Output of one terminal on its way to the socket. Chunks that arrive in the same tick go out as
 * one `terminal_output` frame (split at MAX_FRAME_CHARS). While the socket is congested nothing
 * is sent: the pty is paused when it supports it, output is held up to MAX_PENDING_CHARS, and
 * beyond that dropped, with a notice at the gap once the socket has caught up. `terminal_exit`
 * is sent after the last output.
 */
export class TerminalOutput {
  readonly #terminalId: string;
  readonly #client: TerminalClient;
  readonly #flow: FlowControl | undefined;
  #pending = '';
  #dropped = 0;
  #exitCode: number | null | undefined = undefined;
  #scheduled = false;
  #waitingForDrain = false;
  #paused = false;
  #finished = false;

  constructor(terminalId: string, client: TerminalClient, flow?: FlowControl) {
    this.#terminalId = terminalId;
    this.#client = client;
    this.#flow = flow;
  }

  /** True while output waits for the socket to drain. */
  get stalled(): boolean {
    return this.#waitingForDrain;
  }

  push(data: string): void {
    if (this.#finished || data.length === 0) return;
    // Once dropping starts it lasts until the held output is out, so the notice marks the gap.
    if (this.#dropped > 0 || this.#pending.length + data.length > MAX_PENDING_CHARS) {
      this.#dropped += data.length;
    } else {
      this.#pending += data;
    }
    this.#schedule();
  }

  /** The process ended: what is held still goes out, then `terminal_exit`. */
  exit(exitCode: number | null): void {
    if (this.#finished || this.#exitCode !== undefined) return;
    this.#exitCode = exitCode;
    this.#schedule();
  }

  /** The socket is gone: nothing more is sent. */
  discard(): void {
    this.#finished = true;
    this.#pending = '';
    this.#resume();
  }

  #schedule(): void {
    if (this.#scheduled || this.#waitingForDrain) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    if (this.#finished) return;
    if (!this.#client.isOpen) {
      this.discard();
      return;
    }
    while (this.#pending.length > 0 || this.#dropped > 0) {
      if (this.#client.congested()) {
        this.#stall();
        return;
      }
      if (this.#pending.length > 0) {
        this.#sendOutput(this.#take());
      } else {
        this.#sendOutput(
          `\r\n[aura] ${this.#dropped} characters of output were dropped: the connection could not keep up.\r\n`,
        );
        this.#dropped = 0;
      }
    }
    this.#resume();
    if (this.#exitCode !== undefined) {
      this.#finished = true;
      this.#client.send({
        type: 'terminal_exit',
        data: { terminalId: this.#terminalId, exitCode: this.#exitCode },
      });
    }
  }

  /** The next frame's worth of held output, never splitting a surrogate pair. */
  #take(): string {
    let end = Math.min(this.#pending.length, MAX_FRAME_CHARS);
    if (end < this.#pending.length && isHighSurrogate(this.#pending.charCodeAt(end - 1))) end -= 1;
    const chunk = this.#pending.slice(0, end);
    this.#pending = this.#pending.slice(end);
    return chunk;
  }

  #sendOutput(data: string): void {
    this.#client.send({ type: 'terminal_output', data: { terminalId: this.#terminalId, data } });
  }

  #stall(): void {
    if (!this.#paused && this.#flow) {
      this.#paused = true;
      this.#flow.pause();
    }
    if (this.#waitingForDrain) return;
    this.#waitingForDrain = true;
    this.#client.whenDrained(() => {
      this.#waitingForDrain = false;
      this.#schedule();
    });
  }

  #resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#flow?.resume();
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
