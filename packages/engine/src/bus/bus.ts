import type { EventEnvelope } from '@aura/protocol';

export type EventListener = (event: EventEnvelope) => void;

/** In-process fan-out of persisted events. Listeners must not throw; a throwing one is isolated. */
export class EventBus {
  readonly #listeners = new Map<string, Set<EventListener>>();

  /** Listen to one session, or to every session with `*`. */
  subscribe(sessionId: string, listener: EventListener): () => void {
    let set = this.#listeners.get(sessionId);
    if (!set) {
      set = new Set();
      this.#listeners.set(sessionId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(sessionId);
    };
  }

  publish(event: EventEnvelope): void {
    for (const key of [event.sessionId, '*']) {
      for (const listener of this.#listeners.get(key) ?? []) {
        try {
          listener(event);
        } catch (error) {
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    }
  }
}
