import type { EventEnvelope, EventInput } from '@aura/protocol';
import type { Store } from '../store/index.ts';
import type { EventBus } from './bus.ts';

interface Pending {
  event: EventInput;
  resolve: (envelope: EventEnvelope) => void;
  reject: (error: unknown) => void;
}

/**
 * Emits a session's events in order: each is persisted (gaining its seq) before it is published.
 * Events emitted while a write is in flight are batched into the next transaction, so a fast
 * token stream costs one write per batch rather than one per token.
 */
export class SessionEvents {
  readonly #store: Store;
  readonly #bus: EventBus;
  readonly sessionId: string;
  #pending: Pending[] = [];
  #flushing: Promise<void> | undefined;
  #failure: unknown;

  constructor(store: Store, bus: EventBus, sessionId: string) {
    this.#store = store;
    this.#bus = bus;
    this.sessionId = sessionId;
  }

  emit(event: EventInput): Promise<EventEnvelope> {
    const promise = new Promise<EventEnvelope>((resolve, reject) => {
      this.#pending.push({ event, resolve, reject });
    });
    // Deltas are often emitted without awaiting; a failed write is reported by flush() instead.
    promise.catch(() => {});
    this.#flushing ??= this.#drain();
    return promise;
  }

  /** Resolves once everything emitted so far is persisted and published. */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (this.#failure) throw this.#failure;
  }

  async #drain(): Promise<void> {
    // Let synchronous emitters queue up before the first write.
    await Promise.resolve();
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        const envelopes = await this.#store.appendEvents(
          this.sessionId,
          batch.map((p) => p.event),
        );
        envelopes.forEach((envelope, i) => {
          this.#bus.publish(envelope);
          batch[i]?.resolve(envelope);
        });
      } catch (error) {
        this.#failure ??= error;
        for (const p of batch) p.reject(error);
      }
    }
    this.#flushing = undefined;
  }
}
