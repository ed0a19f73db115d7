import type { EventBus, Store } from '@aura/engine';
import type { EventEnvelope } from '@aura/protocol';
import { envelopeJson } from './envelope-json.ts';

export interface FeedItem {
  envelope: EventEnvelope;
  json: string;
}

export interface FeedLimits {
  /** Live events held for a consumer that has not taken them yet, before falling back to the store. */
  maxBufferedEvents: number;
  maxBufferedBytes: number;
  /** Most events read from the store per query while catching up. */
  pageSize: number;
}

export const defaultFeedLimits: FeedLimits = {
  maxBufferedEvents: 10_000,
  maxBufferedBytes: 8 * 1024 * 1024,
  pageSize: 500,
};

export interface FeedBatch {
  maxEvents: number;
  /** Stops adding events once the batch reaches this many characters (at least one event is returned). */
  maxChars: number;
}

const defaultBatch: FeedBatch = { maxEvents: 256, maxChars: 256 * 1024 };

/**
 * The events of one session after a cursor, each exactly once and in seq order, for one consumer.
 *
 * The engine persists every event before publishing it, so the store is the source of truth and
 * the bus only a shortcut. The feed subscribes before its first store read: an event missing
 * from that read was persisted after it, hence published after the subscription, hence buffered.
 * While behind it hands out store pages, then buffered live events, skipping seqs it already
 * handed out. A live event that does not continue the cursor (a gap) or a buffer that overflows
 * (the consumer is slow) sends it back to the store. The bus listener therefore only appends to
 * an array, a slow consumer never holds up the agent, and its memory is capped by the limits.
 */
export class SessionFeed {
  readonly sessionId: string;
  readonly #store: Store;
  readonly #limits: FeedLimits;
  readonly #unsubscribe: () => void;
  #cursor: number;
  #live: FeedItem[] = [];
  #liveChars = 0;
  /** The rest of the last store page, when it was more than one batch. */
  #page: FeedItem[] = [];
  #behind = true;
  #closed = false;
  #overflows = 0;
  #wake: (() => void) | undefined;

  constructor(
    deps: { store: Store; bus: EventBus },
    sessionId: string,
    since: number,
    limits: FeedLimits = defaultFeedLimits,
  ) {
    this.sessionId = sessionId;
    this.#store = deps.store;
    this.#limits = limits;
    this.#cursor = since;
    this.#unsubscribe = deps.bus.subscribe(sessionId, (envelope) => this.#onLive(envelope));
  }

  /** The seq of the last event handed out, or the starting cursor. */
  get cursor(): number {
    return this.#cursor;
  }

  /** How many times the live buffer overflowed and the feed went back to the store. */
  get overflows(): number {
    return this.#overflows;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The next events, waiting while there are none; undefined once closed. One consumer: never
   * call it again before the previous call has settled.
   */
  async next(batch: FeedBatch = defaultBatch): Promise<FeedItem[] | undefined> {
    while (!this.#closed) {
      if (this.#behind) {
        const items = await this.#readStore(batch);
        if (this.#closed) break;
        if (items.length > 0) return items;
        continue;
      }
      const items = this.#takeLive(batch);
      if (items.length > 0) return items;
      if (this.#behind) continue;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
    return undefined;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe();
    this.#live = [];
    this.#liveChars = 0;
    this.#page = [];
    this.#wakeUp();
  }

  #onLive(envelope: EventEnvelope): void {
    if (envelope.seq <= this.#cursor) return;
    const json = envelopeJson(envelope);
    const limits = this.#limits;
    if (
      this.#live.length >= limits.maxBufferedEvents ||
      this.#liveChars + json.length > limits.maxBufferedBytes
    ) {
      this.#live = [];
      this.#liveChars = 0;
      this.#behind = true;
      this.#overflows += 1;
    } else {
      this.#live.push({ envelope, json });
      this.#liveChars += json.length;
    }
    this.#wakeUp();
  }

  async #readStore(batch: FeedBatch): Promise<FeedItem[]> {
    if (this.#page.length === 0) {
      // Cleared before the read so that an overflow during it (which sets it again) is not lost.
      this.#behind = false;
      const limit = this.#limits.pageSize;
      const page = await this.#store.listEvents(this.sessionId, { since: this.#cursor, limit });
      if (page.length === limit) this.#behind = true;
      this.#page = page.map((envelope) => ({ envelope, json: envelopeJson(envelope) }));
    }
    let count = 0;
    let chars = 0;
    for (const item of this.#page) {
      if (count >= batch.maxEvents || (count > 0 && chars >= batch.maxChars)) break;
      count += 1;
      chars += item.json.length;
    }
    const items = this.#page.slice(0, count);
    this.#page = this.#page.slice(count);
    if (this.#page.length > 0) this.#behind = true;
    if (items.length > 0) this.#cursor = items.at(-1)!.envelope.seq;
    return items;
  }

  #takeLive(batch: FeedBatch): FeedItem[] {
    const items: FeedItem[] = [];
    let chars = 0;
    let taken = 0;
    let droppedChars = 0;
    for (const item of this.#live) {
      if (items.length >= batch.maxEvents || (items.length > 0 && chars >= batch.maxChars)) break;
      const seq = item.envelope.seq;
      if (seq > this.#cursor + 1) {
        this.#behind = true;
        break;
      }
      taken += 1;
      droppedChars += item.json.length;
      if (seq <= this.#cursor) continue;
      items.push(item);
      chars += item.json.length;
      this.#cursor = seq;
    }
    this.#live.splice(0, taken);
    this.#liveChars -= droppedChars;
    return items;
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
