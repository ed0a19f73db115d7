import type { Socket } from 'node:net';
import type { EventEnvelope } from '@aura/protocol';
import WebSocket from 'ws';
import type { Endpoint } from './helpers.ts';

/** Test-only clients for the streaming transports: a raw WebSocket and an SSE reader. */

export interface Frame {
  type: string;
  id?: string;
  seq?: number;
  data?: unknown;
}

export const isEnvelope = (frame: Frame): boolean => typeof frame.seq === 'number';

/** Stops at the end of a chat turn: the `state_change IDLE` that follows `run_finished`. */
export function endsTurn(events: EventEnvelope[]): boolean {
  const finished = events.findIndex((e) => e.type === 'run_finished');
  return (
    finished >= 0 && events.slice(finished).some((e) => e.type === 'state_change' && e.data.state === 'IDLE')
  );
}

export function wsUrl(server: Endpoint, path: string): string {
  return `${server.url.replace(/^http/, 'ws')}${path}`;
}

/**
 * A WebSocket client that keeps every frame, with the TCP socket under it exposed so a test can
 * stop reading (`socket.pause()`) like a slow consumer.
 */
export class WsClient {
  readonly frames: Frame[] = [];
  readonly envelopes: EventEnvelope[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #ws: WebSocket;
  readonly #socket: () => Socket;
  #waiters = new Set<() => void>();
  #closeInfo: { code: number; reason: string } | undefined;

  private constructor(ws: WebSocket, socket: () => Socket) {
    this.#ws = ws;
    this.#socket = socket;
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = JSON.parse(String(data)) as Frame;
      this.frames.push(frame);
      if (isEnvelope(frame)) this.envelopes.push(frame as unknown as EventEnvelope);
      this.#notify();
    });
    ws.on('error', () => {});
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.#closeInfo = { code, reason: reason.toString() };
        this.#notify();
        resolve(this.#closeInfo);
      });
    });
  }

  /** Resolves once the socket is open (rejects if the upgrade is refused). */
  static open(server: Endpoint, path: string, headers: Record<string, string> = {}): Promise<WsClient> {
    let socket: Socket | undefined;
    const ws = new WebSocket(wsUrl(server, path), { headers });
    ws.once('upgrade', (response) => {
      socket = response.socket;
    });
    const client = new WsClient(ws, () => {
      if (!socket) throw new Error('not connected yet');
      return socket;
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  get socket(): Socket {
    return this.#socket();
  }

  send(value: unknown): void {
    this.#ws.send(JSON.stringify(value));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.#ws.send(data, { binary });
  }

  /** Sends a command with an id and waits for the frame answering it. */
  async request(id: string, type: string, data: unknown = {}): Promise<Frame> {
    const from = this.frames.length;
    this.send({ id, type, data });
    return this.waitFor((f) => !isEnvelope(f) && f.id === id, from);
  }

  /** The first frame at or after index `from` that matches; rejects if the socket closes first. */
  async waitFor(match: (frame: Frame) => boolean, from = 0): Promise<Frame> {
    let next = from;
    return this.#until(() => {
      for (; next < this.frames.length; next++) {
        const frame = this.frames[next]!;
        if (match(frame)) return frame;
      }
      return undefined;
    });
  }

  /** Waits until the envelopes received so far satisfy `done`. */
  async waitForEvents(done: (events: EventEnvelope[]) => boolean): Promise<EventEnvelope[]> {
    return this.#until(() => (done(this.envelopes) ? this.envelopes : undefined));
  }

  /** A hard disconnect: no close handshake, like a dropped network. */
  drop(): void {
    this.#ws.terminate();
  }

  close(): Promise<{ code: number; reason: string }> {
    this.#ws.close();
    return this.closed;
  }

  async #until<T>(probe: () => T | undefined): Promise<T> {
    for (;;) {
      const found = probe();
      if (found !== undefined) return found;
      if (this.#closeInfo) {
        throw new Error(
          `socket closed (${this.#closeInfo.code} ${this.#closeInfo.reason}) before the expected frame`,
        );
      }
      await new Promise<void>((resolve) => this.#waiters.add(resolve));
    }
  }

  #notify(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }
}

export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/** Reads `text/event-stream` responses with fetch, message by message. */
export class SseClient {
  readonly response: Response;
  readonly received: EventEnvelope[] = [];
  readonly messages: SseMessage[] = [];
  readonly #abort: AbortController;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  readonly #decoder = new TextDecoder();
  #buffer = '';

  private constructor(response: Response, abort: AbortController) {
    this.response = response;
    this.#abort = abort;
    this.#reader = response.body?.getReader();
  }

  static async open(server: Endpoint, path: string, headers: Record<string, string>): Promise<SseClient> {
    const abort = new AbortController();
    const response = await fetch(`${server.url}${path}`, { headers, signal: abort.signal });
    return new SseClient(response, abort);
  }

  /** Reads until the envelopes received on this connection satisfy `done`. */
  async readUntil(done: (events: EventEnvelope[]) => boolean): Promise<EventEnvelope[]> {
    while (!done(this.received)) {
      const message = await this.next();
      if (!message) throw new Error(`the event stream ended after ${this.received.length} events`);
    }
    return this.received;
  }

  /** The next message that carries data (comments are skipped); undefined at the end. */
  async next(): Promise<SseMessage | undefined> {
    for (;;) {
      const end = this.#buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const message = parseBlock(block);
        if (!message) continue;
        this.messages.push(message);
        this.received.push(JSON.parse(message.data) as EventEnvelope);
        return message;
      }
      const chunk = await this.#reader?.read();
      if (!chunk || chunk.done) return undefined;
      this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
    }
  }

  /** Hangs up, as a browser tab closing would. */
  close(): void {
    this.#abort.abort();
  }
}

function parseBlock(block: string): SseMessage | undefined {
  const message: SseMessage = { data: '' };
  let hasData = false;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') message.id = value;
    else if (field === 'event') message.event = value;
    else if (field === 'data') {
      message.data = hasData ? `${message.data}\n${value}` : value;
      hasData = true;
    }
  }
  return hasData ? message : undefined;
}
