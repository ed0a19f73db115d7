import type { TerminalFrame } from '@aura/protocol';
import { CommandError, type SessionSocket } from './session-socket.ts';
import {
  asTerminalFrame,
  clampSize,
  inputChunks,
  type TerminalSize,
  terminalCommand,
  terminalIdOf,
} from './terminal-frames.ts';

/** What happens to one terminal, as its view hears it. */
export interface TerminalListener {
  output(data: string): void;
  /** The shell ended on the server; nothing more comes. */
  exit(exitCode: number | null): void;
  /** Its socket closed, and the server kills a socket's terminals with it. */
  lost(): void;
}

export interface TerminalHandle {
  readonly id: string;
  write(data: string): void;
  /** Sends the size only when it changed. */
  resize(size: TerminalSize): void;
  /** Ends the shell; its listener hears nothing more. */
  close(): void;
}

/** The part of SessionSocket a channel uses. */
export type TerminalSocket = Pick<SessionSocket, 'send' | 'on' | 'status'>;

interface OpenTerminal {
  listener: TerminalListener;
  size: TerminalSize;
}

/**
 * The terminals opened over one socket: routes their output and exit frames to their listeners,
 * and tells every one of them it is lost when the socket stops being online.
 */
export class TerminalChannel {
  readonly #socket: TerminalSocket;
  readonly #open = new Map<string, OpenTerminal>();
  readonly #unsubscribe: (() => void)[];

  constructor(socket: TerminalSocket) {
    this.#socket = socket;
    this.#unsubscribe = [
      socket.on('control', (frame) => {
        const terminal = asTerminalFrame(frame);
        if (terminal) this.#receive(terminal);
      }),
      socket.on('status', (status) => {
        if (status.state !== 'online') this.#loseAll();
      }),
    ];
  }

  /**
   * Opens a shell in the project's sandbox. Rejects with a CommandError when the socket is not
   * online or the server refuses (too many terminals, no sandbox).
   */
  async open(size: TerminalSize, listener: TerminalListener): Promise<TerminalHandle> {
    const ack = await this.#socket.send(terminalCommand.open(size), { queue: false });
    const id = terminalIdOf(ack);
    // The server sends a terminal's first output after the ack, in a later message, so the
    // listener is in place before it arrives; a socket that dropped meanwhile took the shell along.
    if (this.#socket.status.state !== 'online') {
      throw new CommandError('connection_lost', 'The connection dropped while the terminal opened.');
    }
    const terminal: OpenTerminal = { listener, size: clampSize(size) };
    this.#open.set(id, terminal);
    return {
      id,
      write: (data) => {
        if (!this.#open.has(id)) return;
        for (const chunk of inputChunks(data)) this.#fire(terminalCommand.input(id, chunk));
      },
      resize: (next) => {
        const clamped = clampSize(next);
        if (!this.#open.has(id) || sameSize(clamped, terminal.size)) return;
        terminal.size = clamped;
        this.#fire(terminalCommand.resize(id, clamped));
      },
      close: () => {
        if (!this.#open.delete(id)) return;
        this.#fire(terminalCommand.close(id));
      },
    };
  }

  /** Stops listening to the socket. Its terminals end when the socket closes. */
  dispose(): void {
    for (const off of this.#unsubscribe) off();
    this.#open.clear();
  }

  #receive(frame: TerminalFrame): void {
    const terminal = this.#open.get(frame.data.terminalId);
    if (!terminal) return;
    if (frame.type === 'terminal_output') {
      terminal.listener.output(frame.data.data);
    } else {
      this.#open.delete(frame.data.terminalId);
      terminal.listener.exit(frame.data.exitCode);
    }
  }

  #loseAll(): void {
    const lost = [...this.#open.values()];
    this.#open.clear();
    for (const terminal of lost) terminal.listener.lost();
  }

  /**
   * Commands whose failure needs no answer: a terminal that is gone sends its `terminal_exit`,
   * and a socket that is gone reports itself through its status.
   */
  #fire(command: Parameters<TerminalSocket['send']>[0]): void {
    this.#socket.send(command, { queue: false }).catch(() => undefined);
  }
}

const sameSize = (a: TerminalSize, b: TerminalSize) => a.cols === b.cols && a.rows === b.rows;
