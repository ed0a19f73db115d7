import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sandbox } from '@aura/engine';
import { HttpError, notFound } from '../http/errors.ts';
import type { Logger } from '../logger.ts';
import type { TerminalClient } from './client.ts';
import { type FlowControl, TerminalOutput } from './output.ts';

type PtyProcess = Awaited<ReturnType<Sandbox['openPty']>>;

export interface TerminalLimits {
  /** Open terminals per user, across projects and sockets. */
  perUser: number;
  /** Open terminals per project. */
  perProject: number;
}

export const DEFAULT_TERMINAL_LIMITS: TerminalLimits = { perUser: 8, perProject: 4 };
/** How long dispose() waits for killed terminals to exit before leaving them to their sandbox. */
const DISPOSE_WAIT_MS = 5_000;

export interface TerminalManagerOptions {
  sandboxFor(session: { directory: string }): Sandbox;
  logger: Logger;
  limits?: Partial<TerminalLimits>;
}

/** Who asks: the user, and the socket the terminal belongs to. */
export interface TerminalOwner {
  userId: string;
  client: TerminalClient;
}

export interface OpenTerminal extends TerminalOwner {
  projectId: string;
  /** The project's workspace on the host: the terminal starts there, in the project's sandbox. */
  workspace: string;
  cols: number;
  rows: number;
}

export interface TerminalInfo {
  id: string;
  userId: string;
  projectId: string;
  pid: number | undefined;
  /** Output is waiting for a slow socket (the pty is paused when its driver allows). */
  stalled: boolean;
}

interface Slot {
  userId: string;
  projectId: string;
}

interface Terminal extends Slot {
  id: string;
  workspace: string;
  client: TerminalClient;
  pty: PtyProcess;
  output: TerminalOutput;
  exited: Promise<void>;
}

/**
 * PTY terminals in project sandboxes, one registry for the server. A terminal belongs to the user
 * and to the socket that opened it: only that socket may write to, resize or close it (any other
 * gets the same not_found as for an id that doesn't exist), only it receives the output, and the
 * terminal is killed when that socket closes. A terminal counts against the caps from the moment
 * it is requested until its process has exited.
 */
export class TerminalManager {
  readonly #sandboxFor: TerminalManagerOptions['sandboxFor'];
  readonly #logger: Logger;
  readonly #limits: TerminalLimits;
  /** Terminals that can still be addressed (open, not closed). */
  readonly #terminals = new Map<string, Terminal>();
  /** Requested or running and not yet exited: what the caps count. */
  readonly #slots = new Set<Slot>();
  readonly #live = new Set<Terminal>();
  readonly #watched = new WeakSet<TerminalClient>();
  #disposed = false;

  constructor(options: TerminalManagerOptions) {
    this.#sandboxFor = options.sandboxFor;
    this.#logger = options.logger;
    this.#limits = { ...DEFAULT_TERMINAL_LIMITS, ...options.limits };
  }

  get size(): number {
    return this.#live.size;
  }

  list(): TerminalInfo[] {
    return [...this.#live].map(({ id, userId, projectId, pty, output }) => ({
      id,
      userId,
      projectId,
      pid: pty.pid,
      stalled: output.stalled,
    }));
  }

  /**
   * Starts a shell in the project's sandbox and returns its id. Nothing is awaited after the pty
   * exists, so the caller's reply goes out before the first `terminal_output`, which is sent on a
   * later tick.
   */
  async open(request: OpenTerminal): Promise<string> {
    if (this.#disposed) throw shuttingDown();
    this.#checkLimits(request);
    const slot: Slot = { userId: request.userId, projectId: request.projectId };
    this.#slots.add(slot);
    let pty: PtyProcess;
    try {
      pty = await this.#sandboxFor({ directory: request.workspace }).openPty({
        cols: request.cols,
        rows: request.rows,
      });
    } catch (error) {
      this.#slots.delete(slot);
      this.#logger.warn({ err: error, projectId: request.projectId }, 'terminal failed to start');
      throw new HttpError(500, 'terminal_failed', 'The terminal could not be started in the sandbox.');
    }
    if (this.#disposed || !request.client.isOpen) {
      this.#slots.delete(slot);
      killQuietly(pty);
      throw this.#disposed ? shuttingDown() : new HttpError(410, 'socket_closed', 'The socket closed.');
    }
    const terminal = this.#start(request, slot, pty);
    this.#logger.debug(
      { terminalId: terminal.id, userId: slot.userId, projectId: slot.projectId, pid: pty.pid },
      'terminal opened',
    );
    return terminal.id;
  }

  write(owner: TerminalOwner, terminalId: string, data: string): void {
    const terminal = this.#owned(owner, terminalId);
    try {
      terminal.pty.write(data);
    } catch {
      throw notFound('Terminal');
    }
  }

  resize(owner: TerminalOwner, terminalId: string, cols: number, rows: number): void {
    const terminal = this.#owned(owner, terminalId);
    try {
      terminal.pty.resize(cols, rows);
    } catch {
      throw notFound('Terminal');
    }
  }

  /** Kills the terminal; its `terminal_exit` follows once the process is gone. */
  close(owner: TerminalOwner, terminalId: string): void {
    this.#kill(this.#owned(owner, terminalId));
  }

  /** Whether a terminal is open in the workspace. */
  openIn(workspace: string): boolean {
    return [...this.#live].some((terminal) => terminal.workspace === workspace);
  }

  /** Kills the workspace's terminals (its sandbox is going away); each sends its `terminal_exit`. */
  closeWorkspace(workspace: string): void {
    for (const terminal of this.#live) if (terminal.workspace === workspace) this.#kill(terminal);
  }

  /** Kills every terminal and waits (bounded) for them to exit: server shutdown. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    const live = [...this.#live];
    for (const terminal of live) {
      terminal.output.discard();
      this.#kill(terminal);
    }
    const waited = new AbortController();
    await Promise.race([
      Promise.all(live.map((t) => t.exited)),
      sleep(DISPOSE_WAIT_MS, undefined, { signal: waited.signal, ref: false }).catch(() => {}),
    ]);
    waited.abort();
  }

  #checkLimits({ userId, projectId }: Slot): void {
    let user = 0;
    let project = 0;
    for (const slot of this.#slots) {
      if (slot.userId === userId) user += 1;
      if (slot.projectId === projectId) project += 1;
    }
    if (user >= this.#limits.perUser) {
      throw tooMany(`You have ${user} terminals open; close one first (at most ${this.#limits.perUser}).`);
    }
    if (project >= this.#limits.perProject) {
      throw tooMany(
        `This project has ${project} terminals open; close one first (at most ${this.#limits.perProject}).`,
      );
    }
  }

  #start(request: OpenTerminal, slot: Slot, pty: PtyProcess): Terminal {
    const id = `term_${randomBytes(12).toString('base64url')}`;
    const output = new TerminalOutput(id, request.client, flowControlOf(pty));
    let exited!: () => void;
    const terminal: Terminal = {
      ...slot,
      id,
      workspace: request.workspace,
      client: request.client,
      pty,
      output,
      exited: new Promise((resolve) => {
        exited = resolve;
      }),
    };
    this.#terminals.set(id, terminal);
    this.#live.add(terminal);
    pty.onData((data) => output.push(data));
    pty.onExit((exitCode) => {
      this.#terminals.delete(id);
      this.#live.delete(terminal);
      this.#slots.delete(slot);
      output.exit(exitCode);
      this.#logger.debug({ terminalId: id, exitCode }, 'terminal exited');
      exited();
    });
    this.#watch(request.client);
    return terminal;
  }

  /** The first terminal of a socket ties them all to it: they die when it closes. */
  #watch(client: TerminalClient): void {
    if (this.#watched.has(client)) return;
    this.#watched.add(client);
    void client.closed.then(() => {
      for (const terminal of this.#live) {
        if (terminal.client !== client) continue;
        terminal.output.discard();
        this.#kill(terminal);
      }
    });
  }

  #owned(owner: TerminalOwner, terminalId: string): Terminal {
    const terminal = this.#terminals.get(terminalId);
    if (!terminal || terminal.client !== owner.client || terminal.userId !== owner.userId) {
      throw notFound('Terminal');
    }
    return terminal;
  }

  #kill(terminal: Terminal): void {
    this.#terminals.delete(terminal.id);
    killQuietly(terminal.pty);
  }
}

function killQuietly(pty: PtyProcess): void {
  try {
    pty.kill();
  } catch {
    // Already gone.
  }
}

/** node-pty can stop reading a pty's output; a driver's PtyProcess may pass that through. */
function flowControlOf(pty: PtyProcess): FlowControl | undefined {
  const candidate = pty as PtyProcess & Partial<FlowControl>;
  const { pause, resume } = candidate;
  if (typeof pause !== 'function' || typeof resume !== 'function') return undefined;
  return { pause: () => pause.call(pty), resume: () => resume.call(pty) };
}

const tooMany = (message: string) => new HttpError(429, 'too_many_terminals', message);
const shuttingDown = () => new HttpError(503, 'shutting_down', 'The server is shutting down.');
