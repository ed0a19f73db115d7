/** Runs at most `max` of the returned function's tasks at once (file-system fan-out without EMFILE). */
export function concurrencyLimit(max: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active >= max) await new Promise<void>((start) => queue.push(start));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      queue.shift()?.();
    }
  };
}
