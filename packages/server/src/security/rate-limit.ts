import { HttpError } from '../http/errors.ts';

/**
 * A sliding-window counter per key (user id, client address). In-memory: each server process
 * limits on its own; with several processes behind a balancer the effective limit multiplies.
 */
export class RateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #hits = new Map<string, number[]>();
  readonly #now: () => number;

  constructor(limit: number, windowMs: number, now: () => number = Date.now) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Counts a hit for `key`, or throws a 429 with Retry-After when the window is full. */
  take(key: string, what: string): void {
    const now = this.#now();
    const recent = (this.#hits.get(key) ?? []).filter((t) => now - t < this.#windowMs);
    if (recent.length >= this.#limit) {
      const retryAfter = Math.max(1, Math.ceil((recent[0]! + this.#windowMs - now) / 1000));
      this.#hits.set(key, recent);
      throw new HttpError(429, 'rate_limited', `Too many ${what}. Try again in ${retryAfter} s.`, {
        headers: { 'Retry-After': String(retryAfter) },
      });
    }
    recent.push(now);
    this.#hits.set(key, recent);
    if (this.#hits.size > 10_000) this.#prune(now);
  }

  #prune(now: number): void {
    for (const [key, hits] of this.#hits) {
      if (hits.every((t) => now - t >= this.#windowMs)) this.#hits.delete(key);
    }
  }
}
