export interface ThumbnailQueueOptions<Job> {
  /** A key is taken at most once per this long, counted from when its job starts. */
  intervalMs: number;
  run(key: string, job: Job): Promise<void>;
  now?: () => number;
}

/**
 * Runs one job at a time, in the order they were asked for, and drops requests for a key that is
 * already waiting, running, or ran less than `intervalMs` ago. A failed job counts as run.
 */
export class ThumbnailQueue<Job> {
  readonly #options: ThumbnailQueueOptions<Job>;
  readonly #now: () => number;
  readonly #waiting = new Map<string, Job>();
  readonly #lastStart = new Map<string, number>();
  #running: string | undefined;
  #drain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: ThumbnailQueueOptions<Job>) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Whether the job was queued (false: a duplicate, too soon, or the queue is closed). */
  request(key: string, job: Job): boolean {
    if (this.#closed || this.#waiting.has(key) || this.#running === key) return false;
    this.#forgetOld();
    const last = this.#lastStart.get(key);
    if (last !== undefined && this.#now() - last < this.#options.intervalMs) return false;
    this.#waiting.set(key, job);
    if (this.#running === undefined) this.#drain = this.#work();
    return true;
  }

  /** Resolves once nothing is waiting or running. */
  idle(): Promise<void> {
    return this.#drain;
  }

  /** Drops the waiting jobs and refuses new ones; resolves when the running job has ended. */
  close(): Promise<void> {
    this.#closed = true;
    this.#waiting.clear();
    return this.#drain;
  }

  async #work(): Promise<void> {
    for (let next = this.#shift(); next; next = this.#shift()) {
      const [key, job] = next;
      this.#running = key;
      this.#lastStart.set(key, this.#now());
      try {
        await this.#options.run(key, job);
      } catch {
        // `run` reports its own failures; one must not stop the others.
      } finally {
        this.#running = undefined;
      }
    }
  }

  #shift(): [string, Job] | undefined {
    const first = this.#waiting.entries().next();
    if (first.done) return undefined;
    this.#waiting.delete(first.value[0]);
    return first.value;
  }

  /** Keeps the map as small as the set of recently shot keys. */
  #forgetOld(): void {
    const cutoff = this.#now() - this.#options.intervalMs;
    for (const [key, at] of this.#lastStart) if (at <= cutoff) this.#lastStart.delete(key);
  }
}
