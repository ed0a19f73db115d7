import { setTimeout as sleep } from 'node:timers/promises';
import type { EventEnvelope } from '@aura/protocol';
import { networkReason, type RemoteApi } from './api-client.ts';
import { RemoteError } from './errors.ts';
import { SseParser } from './sse-parser.ts';

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export interface SessionEventStreamOptions {
  api: RemoteApi;
  sessionId: string;
  /** Deliver events after this seq. */
  since: number;
  onEvent(event: EventEnvelope): void;
  /** Lost / regained the connection, in words for the person. */
  onNotice?(message: string): void;
  /** The stream stopped for good: the token was refused or the session is gone. */
  onFatal?(error: RemoteError): void;
  backoff?: Backoff;
  /** No byte (event or the server's 15 s ping) for this long means a dead connection. */
  stallMs?: number;
}

const defaultBackoff: Backoff = { initialMs: 250, maxMs: 5_000 };
const DEFAULT_STALL_MS = 45_000;

/**
 * A session's events from the server's SSE stream, each delivered once and in seq order. The
 * stream resumes after the last delivered seq (`Last-Event-ID`) whenever the connection drops or
 * stalls, retrying with exponential backoff and jitter until closed; the server replays what was
 * missed from its event log, and anything at or below the cursor is dropped as a duplicate.
 */
export class SessionEventStream {
  readonly sessionId: string;
  readonly #opts: SessionEventStreamOptions;
  readonly #closed = new AbortController();
  #cursor: number;
  #running: Promise<void> | undefined;

  constructor(opts: SessionEventStreamOptions) {
    this.#opts = opts;
    this.sessionId = opts.sessionId;
    this.#cursor = opts.since;
  }

  /** The seq of the last event delivered. */
  get cursor(): number {
    return this.#cursor;
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /** Stops the stream; resolves once its connection is closed. */
  async close(): Promise<void> {
    this.#closed.abort();
    await this.#running;
  }

  async #run(): Promise<void> {
    const backoff = this.#opts.backoff ?? defaultBackoff;
    let failures = 0;
    let outage: string | undefined;
    while (!this.#closed.signal.aborted) {
      let problem: string;
      try {
        await this.#connect({
          opened: () => {
            if (outage !== undefined)
              this.#opts.onNotice?.(`Reconnected to ${this.#opts.api.server}; no events were missed.`);
            outage = undefined;
          },
          // Only progress resets the backoff: a server that accepts and then fails is not hammered.
          delivered: () => {
            failures = 0;
          },
        });
        problem = 'the server closed the event stream';
      } catch (error) {
        if (this.#closed.signal.aborted) return;
        if (isFatal(error)) {
          this.#opts.onFatal?.(error);
          return;
        }
        problem = error instanceof RemoteError ? error.message : networkReason(error);
      }
      if (this.#closed.signal.aborted) return;
      const delay = retryDelay(backoff, failures);
      failures += 1;
      if (outage === undefined) {
        outage = problem;
        this.#opts.onNotice?.(`Lost the event stream (${problem.replace(/\.$/, '')}); reconnecting…`);
      }
      try {
        await sleep(delay, undefined, { signal: this.#closed.signal });
      } catch {
        return;
      }
    }
  }

  /** One connection, until it ends. */
  async #connect(on: { opened(): void; delivered(): void }): Promise<void> {
    const connection = new AbortController();
    const signal = AbortSignal.any([this.#closed.signal, connection.signal]);
    const response = await this.#opts.api.fetch(
      `/api/sessions/${encodeURIComponent(this.sessionId)}/events`,
      {
        headers: { accept: 'text/event-stream', 'last-event-id': String(this.#cursor) },
        timeoutMs: 0,
        signal,
      },
    );
    if (!response.ok || !response.body) throw await this.#opts.api.failure(response);
    on.opened();
    const stallMs = this.#opts.stallMs ?? DEFAULT_STALL_MS;
    let stalled = false;
    let watchdog: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        stalled = true;
        connection.abort();
      }, stallMs);
    };
    const parser = new SseParser();
    const decoder = new TextDecoder();
    try {
      arm();
      for await (const chunk of response.body) {
        arm();
        for (const message of parser.push(decoder.decode(chunk, { stream: true }))) {
          if (this.#deliver(message.data)) on.delivered();
        }
      }
    } catch (error) {
      if (stalled) throw new Error(`no data for ${Math.round(stallMs / 1000)} s`);
      throw error;
    } finally {
      clearTimeout(watchdog);
      connection.abort();
    }
  }

  /** Delivers the event if it is the next one (true); drops a duplicate (false). */
  #deliver(data: string): boolean {
    const envelope = envelopeOf(data);
    if (!envelope || envelope.sessionId !== this.sessionId)
      throw new Error('the server sent an event that is not an Aura event of this session');
    if (envelope.seq <= this.#cursor) return false;
    // The server never skips a seq; if one is missing, reconnecting from the cursor fetches it.
    if (envelope.seq !== this.#cursor + 1) throw new Error(`event ${this.#cursor + 1} is missing`);
    this.#cursor = envelope.seq;
    this.#opts.onEvent(envelope);
    return true;
  }
}

/**
 * Just the envelope's frame is checked, not each event's data: a newer server may send types
 * this client does not know, which the TUI ignores.
 */
function envelopeOf(data: string): EventEnvelope | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  const candidate = value as Partial<EventEnvelope> | null;
  if (
    !candidate ||
    typeof candidate !== 'object' ||
    !Number.isSafeInteger(candidate.seq) ||
    typeof candidate.type !== 'string' ||
    typeof candidate.sessionId !== 'string'
  ) {
    return undefined;
  }
  return candidate as EventEnvelope;
}

function isFatal(error: unknown): error is RemoteError {
  return (
    error instanceof RemoteError &&
    (error.kind === 'unauthorized' ||
      error.kind === 'not_aura' ||
      (error.kind === 'api' && error.status === 404))
  );
}

/** Exponential backoff with ±20% jitter, so many clients of a restarted server do not return at once. */
export function retryDelay(backoff: Backoff, failures: number): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** failures);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
