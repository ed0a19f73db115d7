import { randomUUID } from 'node:crypto';

export type IdPrefix = 'ses' | 'msg' | 'evt' | 'run' | 'req' | 'term' | 'prj' | 'tok';

const TIME_WIDTH = 9; // base36 ms since epoch: 8 digits until 2059, 9 until ~5188
const COUNTER_WIDTH = 3;
const COUNTER_LIMIT = 36 ** COUNTER_WIDTH;

let lastTime = 0;
let counter = 0;

/**
 * `<prefix>_<time><counter><random>`, e.g. `ses_0mc4x2k9a000f3b19c07e2`. Ids sort by creation time,
 * and strictly increase within one process (a counter breaks same-millisecond ties), so ordering by
 * id is a stable tiebreak after a timestamp.
 */
export function newId(prefix: IdPrefix): string {
  const now = Date.now();
  if (now > lastTime) {
    lastTime = now;
    counter = 0;
  } else if (++counter >= COUNTER_LIMIT) {
    lastTime += 1;
    counter = 0;
  }
  const time = lastTime.toString(36).padStart(TIME_WIDTH, '0');
  const seq = counter.toString(36).padStart(COUNTER_WIDTH, '0');
  // The first 10 hex digits of a v4 UUID are all random (the version nibble comes later).
  const uuid = randomUUID();
  const random = uuid.slice(0, 8) + uuid.slice(9, 11);
  return `${prefix}_${time}${seq}${random}`;
}
