import type { Command, CommandType, EventEnvelope } from '@aura/protocol';
import { type BackoffOptions, backoffDelay, defaultBackoff } from './backoff.ts';
import { type ControlFrame, parseFrame } from './frames.ts';
import type { NetworkMonitor, Transport, TransportFactory } from './transport.ts';

/** A command without its correlation id: the socket assigns one. */
export type CommandBody = {
  [K in CommandType]: { type: K; data: Extract<Command, { type: K }>['data'] };
}[CommandType];

/** What callers may send; `resume` and `ping` belong to the socket itself. */
export type SessionCommand = Exclude<CommandBody, { type: 'resume' | 'ping' }>;

export type ConnectionStatus =
  | { state: 'connecting'; attempt: number }
  | { state: 'online' }
  /** `retryAt` is null while the browser reports no network: the next try waits for it. */
  | { state: 'offline'; attempt: number; retryAt: number | null }
  | { state: 'closed'; reason: string };

export interface QueuedCommand {
  id: string;
  command: SessionCommand;
  queuedAt: number;
}

/** A command the server refused (`error` frame) or that could not be delivered. */
export class CommandError extends Error {
  override name = 'CommandError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

interface SocketEvents {
  /** Each event once, in seq order. */
  event: (event: EventEnvelope) => void;
  status: (status: ConnectionStatus) => void;
  /** Control frames nobody asked for by id (terminal output, unsolicited errors). */
  control: (frame: ControlFrame) => void;
  outbox: (queued: readonly QueuedCommand[]) => void;
  /** The server's log is behind what this client saw (a restored database): start again from 0. */
  reset: () => void;
}

export interface SessionSocketOptions {
  /** `ws(s)://host/ws/<projectId>`; the bound session is added as `?session=`. */
  endpoint: string;
  sessionId?: string;
  transport: TransportFactory;
  network: NetworkMonitor;
  random?: () => number;
  backoff?: BackoffOptions;
  /** How often an idle socket proves it is alive, and how long the answer may take. */
  keepAliveMs?: number;
  pongTimeoutMs?: number;
  /**
   * False for a control-only socket (terminals): it never sends `resume`, so no events flow, and
   * it is online as soon as the server says hello.
   */
  events?: boolean;
}

/** Close codes after which reconnecting cannot help. */
const SESSION_GONE = 4404;
const fatalCloses: Record<number, string> = { [SESSION_GONE]: 'This session no longer exists.' };
/** The code this client closes with when it gives up on a socket itself. */
const OWN_CLOSE = 4000;

type Settle = {
  resolve: (data: Record<string, unknown> | undefined) => void;
  reject: (error: Error) => void;
};

/**
 * One session's WebSocket, kept alive: it resumes after the last event it delivered (so events
 * arrive once each, in order, across reconnects), reconnects with exponential backoff and jitter,
 * and holds commands sent while offline until the connection is back.
 */
export class SessionSocket {
  readonly #options: SessionSocketOptions;
  readonly #listeners: { [K in keyof SocketEvents]: Set<SocketEvents[K]> } = {
    event: new Set(),
    status: new Set(),
    control: new Set(),
    outbox: new Set(),
    reset: new Set(),
  };
  #status: ConnectionStatus = { state: 'connecting', attempt: 0 };
  #transport: Transport | undefined;
  #sessionId: string | undefined;
  /** The seq of the last event delivered; every event up to it has been delivered. */
  #cursor = 0;
  #attempt = 0;
  #nextId = 0;
  #resumeId: string | undefined;
  #stopped = false;
  #outbox: QueuedCommand[] = [];
  readonly #pending = new Map<string, Settle>();
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #keepAliveTimer: ReturnType<typeof setInterval> | undefined;
  #pongTimer: ReturnType<typeof setTimeout> | undefined;
  #unsubscribeNetwork: (() => void) | undefined;

  constructor(options: SessionSocketOptions) {
    this.#options = options;
    this.#sessionId = options.sessionId;
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  get cursor(): number {
    return this.#cursor;
  }

  get queued(): readonly QueuedCommand[] {
    return this.#outbox;
  }

  on<K extends keyof SocketEvents>(type: K, listener: SocketEvents[K]): () => void {
    this.#listeners[type].add(listener);
    return () => this.#listeners[type].delete(listener);
  }

  start(): void {
    this.#unsubscribeNetwork = this.#options.network.subscribe((online) => this.#networkChanged(online));
    this.#connect();
  }

  /** Closes for good: pending and queued commands are rejected. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#unsubscribeNetwork?.();
    this.#drop(1000, 'client closed');
    this.#failInflight(new CommandError('closed', 'The connection was closed.'));
    this.#failQueued('closed', 'The connection was closed.');
    this.#setStatus({ state: 'closed', reason: 'Closed.' });
  }

  /** Skips the backoff wait. */
  retryNow(): void {
    if (this.#status.state !== 'offline') return;
    this.#attempt = 0;
    this.#connect();
  }

  /**
   * Sends a command and resolves with its ack's data. While offline it waits in the outbox and
   * goes out after the next resume, unless `queue` is false (then it fails at once).
   */
  send(command: SessionCommand, { queue = true } = {}): Promise<Record<string, unknown> | undefined> {
    const id = this.#newId();
    return new Promise((resolve, reject) => {
      if (this.#status.state === 'online') {
        this.#pending.set(id, { resolve, reject });
        this.#write({ id, ...command });
      } else if (queue && this.#status.state !== 'closed') {
        this.#pending.set(id, { resolve, reject });
        this.#outbox = [...this.#outbox, { id, command, queuedAt: Date.now() }];
        this.#emit('outbox', this.#outbox);
      } else {
        reject(new CommandError('offline', 'Not connected to the server.'));
      }
    });
  }

  /** Takes a queued command back before it is sent. */
  unqueue(id: string): void {
    if (!this.#outbox.some((item) => item.id === id)) return;
    this.#outbox = this.#outbox.filter((item) => item.id !== id);
    this.#settle(id, new CommandError('cancelled', 'Removed before it was sent.'));
    this.#emit('outbox', this.#outbox);
  }

  #connect(): void {
    clearTimeout(this.#retryTimer);
    if (this.#stopped) return;
    if (!this.#options.network.isOnline()) {
      this.#setStatus({ state: 'offline', attempt: this.#attempt, retryAt: null });
      return;
    }
    this.#setStatus({ state: 'connecting', attempt: this.#attempt });
    const url = this.#sessionId
      ? `${this.#options.endpoint}?session=${encodeURIComponent(this.#sessionId)}`
      : this.#options.endpoint;
    const transport = this.#options.transport(url, {
      onMessage: (text) => {
        if (this.#transport === transport) this.#receive(text);
      },
      onClose: (code) => {
        if (this.#transport === transport) this.#closed(code);
      },
    });
    this.#transport = transport;
  }

  #receive(text: string): void {
    clearTimeout(this.#pongTimer);
    const frame = parseFrame(text);
    if (frame?.kind === 'event') this.#receiveEvent(frame.event);
    else if (frame?.kind === 'control') this.#receiveControl(frame.frame);
  }

  #receiveControl(frame: ControlFrame): void {
    const id = 'id' in frame ? frame.id : undefined;
    if (frame.type === 'hello') {
      this.#hello(frame.data);
    } else if (id !== undefined && id === this.#resumeId) {
      if (frame.type === 'error') this.#resumeFailed(frame.data.code);
      else this.#online();
    } else if (id !== undefined && this.#pending.has(id)) {
      if (frame.type === 'error') this.#settle(id, new CommandError(frame.data.code, frame.data.message));
      else this.#settle(id, 'data' in frame ? frame.data : undefined);
    } else if (frame.type !== 'pong') {
      // An unasked-for pong only answers the keep-alive ping, and any frame proves liveness.
      this.#emit('control', frame);
    }
  }

  #hello(hello: Extract<ControlFrame, { type: 'hello' }>['data']): void {
    // Pinned, so a reconnect comes back to this session even if a newer one appears.
    this.#sessionId = hello.sessionId;
    if (this.#options.events === false) {
      this.#online();
      return;
    }
    if (hello.lastSeq < this.#cursor) this.#reset();
    this.#resume();
  }

  #resume(): void {
    this.#resumeId = this.#newId();
    this.#write({ id: this.#resumeId, type: 'resume', data: { since: this.#cursor } });
  }

  #resumeFailed(code: string): void {
    if (code === 'invalid_cursor') {
      this.#reset();
      this.#resume();
      return;
    }
    this.#drop(OWN_CLOSE, 'resume failed');
    this.#closed(code === 'not_found' ? SESSION_GONE : OWN_CLOSE);
  }

  #reset(): void {
    this.#cursor = 0;
    this.#emit('reset');
  }

  #receiveEvent(event: EventEnvelope): void {
    if (event.seq <= this.#cursor) return;
    if (event.seq > this.#cursor + 1) {
      // A gap: ask again from the cursor once, and drop what runs ahead until that replay starts.
      if (this.#resumeId === undefined) this.#resume();
      return;
    }
    this.#cursor = event.seq;
    this.#emit('event', event);
  }

  #online(): void {
    this.#resumeId = undefined;
    this.#attempt = 0;
    if (this.#status.state !== 'online') this.#setStatus({ state: 'online' });
    const queued = this.#outbox;
    this.#outbox = [];
    for (const item of queued) this.#write({ id: item.id, ...item.command });
    if (queued.length > 0) this.#emit('outbox', this.#outbox);
    this.#startKeepAlive();
  }

  #closed(code: number): void {
    this.#transport = undefined;
    this.#resumeId = undefined;
    this.#stopKeepAlive();
    this.#failInflight(
      new CommandError(
        'connection_lost',
        'The connection dropped before the server confirmed this. Check the conversation before sending it again.',
      ),
    );
    if (this.#stopped) return;
    const fatal = fatalCloses[code];
    if (fatal) {
      this.#stopped = true;
      this.#unsubscribeNetwork?.();
      this.#failQueued('closed', fatal);
      this.#setStatus({ state: 'closed', reason: fatal });
      return;
    }
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (!this.#options.network.isOnline()) {
      this.#setStatus({ state: 'offline', attempt: this.#attempt, retryAt: null });
      return;
    }
    const delay = backoffDelay(
      this.#attempt,
      this.#options.random ?? Math.random,
      this.#options.backoff ?? defaultBackoff,
    );
    this.#attempt += 1;
    this.#setStatus({ state: 'offline', attempt: this.#attempt, retryAt: Date.now() + delay });
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  #networkChanged(online: boolean): void {
    if (this.#stopped) return;
    if (!online) {
      // The socket may take minutes to notice on its own.
      if (this.#transport) {
        this.#drop(OWN_CLOSE, 'network offline');
        this.#closed(OWN_CLOSE);
      }
      return;
    }
    if (this.#status.state === 'offline') {
      this.#attempt = 0;
      this.#connect();
    }
  }

  #startKeepAlive(): void {
    this.#stopKeepAlive();
    const every = this.#options.keepAliveMs ?? 25_000;
    const timeout = this.#options.pongTimeoutMs ?? 10_000;
    this.#keepAliveTimer = setInterval(() => {
      this.#write({ type: 'ping', data: {} });
      clearTimeout(this.#pongTimer);
      this.#pongTimer = setTimeout(() => {
        this.#drop(OWN_CLOSE, 'no answer to ping');
        this.#closed(OWN_CLOSE);
      }, timeout);
    }, every);
  }

  #stopKeepAlive(): void {
    clearInterval(this.#keepAliveTimer);
    clearTimeout(this.#pongTimer);
  }

  /** Closes the current transport and forgets it, so its late close event is ignored. */
  #drop(code: number, reason: string): void {
    clearTimeout(this.#retryTimer);
    this.#stopKeepAlive();
    const transport = this.#transport;
    this.#transport = undefined;
    transport?.close(code, reason);
  }

  #write(frame: Command): void {
    this.#transport?.send(JSON.stringify(frame));
  }

  #settle(id: string, outcome: Record<string, unknown> | undefined | Error): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome);
  }

  /** Commands already written to a socket that is gone: whether the server got them is unknown. */
  #failInflight(error: CommandError): void {
    const queued = new Set(this.#outbox.map((item) => item.id));
    for (const id of [...this.#pending.keys()]) if (!queued.has(id)) this.#settle(id, error);
  }

  #failQueued(code: string, message: string): void {
    const queued = this.#outbox;
    this.#outbox = [];
    for (const item of queued) this.#settle(item.id, new CommandError(code, message));
    if (queued.length > 0) this.#emit('outbox', this.#outbox);
  }

  #newId(): string {
    this.#nextId += 1;
    return `c${this.#nextId}`;
  }

  #setStatus(status: ConnectionStatus): void {
    this.#status = status;
    this.#emit('status', status);
  }

  #emit<K extends keyof SocketEvents>(type: K, ...args: Parameters<SocketEvents[K]>): void {
    for (const listener of this.#listeners[type])
      (listener as (...a: Parameters<SocketEvents[K]>) => void)(...args);
  }
}
