/** A FIFO async mutex: `acquire()` resolves once every earlier holder has called `release()`. */
export class Mutex {
  #locked = false;
  #waiters: Array<() => void> = [];

  acquire(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}
