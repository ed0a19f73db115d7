import { type Command, commandTypes, parseCommand } from '@aura/protocol';
import WebSocket, { type RawData } from 'ws';
import type { ServerContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import type { TerminalClient } from '../terminals/client.ts';
import { checkCursor } from './cursor.ts';
import { SessionFeed } from './feed.ts';
import { type CommandScope, runCommand } from './ws-commands.ts';
import { type ControlFrame, closeCodes, withId } from './ws-frames.ts';

/** Above this many unsent bytes the event pump waits for the socket to drain… */
const HIGH_WATER_BYTES = 1024 * 1024;
/** …and resumes below this. */
const LOW_WATER_BYTES = 256 * 1024;
/** Only replies to a client that sends commands without reading can get here: it is cut off. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Commands waiting their turn before the server stops reading the socket. */
const MAX_QUEUED_COMMANDS = 32;

export interface ConnectionScope extends CommandScope {
  projectId: string;
}

/**
 * One client socket bound to one session. Commands run one at a time, in order. Events flow only
 * after a `resume {since}` (since = 0 for the whole log, hello's lastSeq for live only), so a
 * reconnecting client never gets one twice; a later resume restarts the stream from its own
 * cursor. Events are sent as fast as the socket drains; while it doesn't, the feed buffers them
 * (capped) and then catches up from the store, so a slow client costs bounded memory and never
 * holds up the run.
 */
export class WsConnection {
  readonly #ctx: ServerContext;
  readonly #ws: WebSocket;
  readonly #scope: ConnectionScope;
  readonly closed: Promise<void>;
  #feed: SessionFeed | undefined;
  #lastSeen = Date.now();
  #queued = 0;
  #commands: Promise<void> = Promise.resolve();
  #drained: (() => void) | undefined;
  #drainListeners: (() => void)[] = [];
  /** This socket as its terminals see it (they are killed when it closes). */
  readonly #terminalClient: TerminalClient;

  constructor(ws: WebSocket, scope: ConnectionScope) {
    this.#ws = ws;
    this.#ctx = scope.ctx;
    this.#scope = scope;
    this.closed = new Promise((resolve) => {
      ws.once('close', () => {
        this.#feed?.close();
        this.#wakePump();
        this.#wakeDrainListeners();
        resolve();
      });
    });
    this.#terminalClient = {
      get isOpen() {
        return ws.readyState === WebSocket.OPEN;
      },
      closed: this.closed,
      send: (frame) => this.#send(frame),
      congested: () => ws.bufferedAmount > HIGH_WATER_BYTES,
      whenDrained: (listener) => {
        if (ws.readyState !== WebSocket.OPEN || ws.bufferedAmount <= LOW_WATER_BYTES)
          queueMicrotask(listener);
        else this.#drainListeners.push(listener);
      },
    };
    ws.on('error', (err) => this.#ctx.logger.debug({ err, sessionId: scope.sessionId }, 'websocket error'));
    ws.on('pong', () => {
      this.#lastSeen = Date.now();
    });
    ws.on('message', (data, isBinary) => this.#enqueue(data, isBinary));
  }

  hello(lastSeq: number): void {
    this.#send({
      type: 'hello',
      data: { sessionId: this.#scope.sessionId, projectId: this.#scope.projectId, lastSeq },
    });
  }

  /** Pings a live peer; terminates one that has not answered for `timeoutMs`. */
  heartbeat(now: number, timeoutMs: number): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    if (now - this.#lastSeen > timeoutMs) {
      this.#ws.terminate();
      return;
    }
    this.#ws.ping();
  }

  close(code: number, reason: string): void {
    if (this.#ws.readyState === WebSocket.OPEN || this.#ws.readyState === WebSocket.CONNECTING) {
      this.#ws.close(code, reason);
    }
  }

  terminate(): void {
    this.#ws.terminate();
  }

  #enqueue(data: RawData, isBinary: boolean): void {
    this.#lastSeen = Date.now();
    this.#queued += 1;
    if (this.#queued >= MAX_QUEUED_COMMANDS) this.#ws.pause();
    this.#commands = this.#commands
      .then(() => this.#handle(data, isBinary))
      .catch((err: unknown) =>
        this.#ctx.logger.error({ err, sessionId: this.#scope.sessionId }, 'websocket command failed'),
      )
      .finally(() => {
        this.#queued -= 1;
        if (this.#ws.isPaused && this.#queued < MAX_QUEUED_COMMANDS / 2) this.#ws.resume();
      });
  }

  async #handle(data: RawData, isBinary: boolean): Promise<void> {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    if (isBinary) return this.#error(undefined, 'invalid_frame', 'Send commands as JSON text frames.');
    let raw: unknown;
    try {
      raw = JSON.parse(textOf(data));
    } catch {
      return this.#error(undefined, 'invalid_json', 'The frame is not valid JSON.');
    }
    const parsed = parseCommand(raw);
    if (!parsed.ok) return this.#rejectCommand(raw, parsed.error);
    try {
      await this.#run(parsed.command);
    } catch (error) {
      if (error instanceof HttpError) return this.#error(parsed.command.id, error.code, error.message);
      this.#ctx.metrics.errors.inc({ kind: 'internal' });
      this.#ctx.logger.error(
        { err: error, sessionId: this.#scope.sessionId, command: parsed.command.type },
        'websocket command failed',
      );
      this.#error(parsed.command.id, 'internal', 'Something went wrong on the server.');
    }
  }

  async #run(command: Command): Promise<void> {
    if (command.type === 'resume') return this.#resume(command.id, command.data.since);
    const reply = await runCommand({ ...this.#scope, terminals: this.#terminalClient }, command);
    if (reply) this.#send(reply);
  }

  /** Restarts the event stream after `since`: acked first, so the ack marks where the replay begins. */
  async #resume(id: string | undefined, since: number): Promise<void> {
    const session = await this.#ctx.store.getSession(this.#scope.sessionId);
    if (!session) throw new HttpError(404, 'not_found', 'Session not found');
    checkCursor(since, session.lastSeq);
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    this.#feed?.close();
    this.#wakePump();
    const feed = new SessionFeed(this.#ctx, session.id, since);
    this.#feed = feed;
    if (id !== undefined) this.#send({ type: 'ack', id, data: { since, lastSeq: session.lastSeq } });
    void this.#pump(feed);
  }

  async #pump(feed: SessionFeed): Promise<void> {
    try {
      for (;;) {
        while (this.#ws.bufferedAmount > HIGH_WATER_BYTES && this.#streaming(feed)) {
          await new Promise<void>((resolve) => {
            this.#drained = resolve;
          });
        }
        if (!this.#streaming(feed)) return;
        const items = await feed.next();
        if (!items || !this.#streaming(feed)) return;
        for (const item of items) this.#sendText(item.json);
      }
    } catch (error) {
      if (!this.#streaming(feed)) return;
      this.#ctx.logger.error(
        { err: error, sessionId: this.#scope.sessionId },
        'websocket event stream failed',
      );
      this.close(closeCodes.internalError, `event stream failed, resume from ${feed.cursor}`);
    }
  }

  #streaming(feed: SessionFeed): boolean {
    return this.#feed === feed && !feed.closed && this.#ws.readyState === WebSocket.OPEN;
  }

  #rejectCommand(raw: unknown, error: string): void {
    const id = fieldOf(raw, 'id');
    const type = fieldOf(raw, 'type');
    if (type !== undefined && !(commandTypes as string[]).includes(type)) {
      this.#error(id, 'unknown_command', `Unknown command "${type}". Commands: ${commandTypes.join(', ')}.`);
    } else {
      this.#error(id, 'invalid_command', error);
    }
  }

  #error(id: string | undefined, code: string, message: string): void {
    this.#send({ type: 'error', ...withId(id), data: { code, message } });
  }

  #send(frame: ControlFrame): void {
    this.#sendText(JSON.stringify(frame));
  }

  #sendText(text: string): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    if (this.#ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(closeCodes.slowConsumer, `slow consumer, resume from ${this.#feed?.cursor ?? 0}`);
      return;
    }
    this.#ws.send(text, this.#onSent);
  }

  readonly #onSent = (): void => {
    if (this.#ws.bufferedAmount > LOW_WATER_BYTES) return;
    if (this.#drained) this.#wakePump();
    this.#wakeDrainListeners();
  };

  #wakeDrainListeners(): void {
    if (this.#drainListeners.length === 0) return;
    const listeners = this.#drainListeners;
    this.#drainListeners = [];
    for (const listener of listeners) listener();
  }

  #wakePump(): void {
    const wake = this.#drained;
    this.#drained = undefined;
    wake?.();
  }
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function fieldOf(raw: unknown, key: 'id' | 'type'): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const value = (raw as Record<string, unknown>)[key];
  return typeof value === 'string' && value.length <= 100 ? value : undefined;
}
