export interface DiffOp {
  kind: 'equal' | 'delete' | 'insert';
  line: string;
}

/** Beyond this many inserted + deleted lines the changed middle is shown as one replaced block. */
const DEFAULT_MAX_EDITS = 1000;

/**
 * A line diff: Myers' O(ND) shortest edit script, after trimming the common prefix and suffix.
 * When the edit distance exceeds `maxEdits` the middle becomes "delete all, insert all", which is
 * still a correct diff, only not a minimal one.
 */
export function diffLines(
  a: readonly string[],
  b: readonly string[],
  maxEdits = DEFAULT_MAX_EDITS,
): DiffOp[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const oldMiddle = a.slice(start, endA);
  const newMiddle = b.slice(start, endB);
  const middle = shortestEdit(oldMiddle, newMiddle, maxEdits) ?? [
    ...oldMiddle.map((line) => ({ kind: 'delete' as const, line })),
    ...newMiddle.map((line) => ({ kind: 'insert' as const, line })),
  ];
  const equal = (line: string): DiffOp => ({ kind: 'equal', line });
  return [...a.slice(0, start).map(equal), ...middle, ...a.slice(endA).map(equal)];
}

/** Splits text into lines; a final newline ends the last line rather than starting an empty one. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Myers' greedy algorithm with a trace for the way back; null when more than `maxEdits` apart. */
function shortestEdit(a: readonly string[], b: readonly string[], maxEdits: number): DiffOp[] | null {
  const n = a.length;
  const m = b.length;
  const limit = Math.min(n + m, maxEdits);
  const offset = limit + 1;
  // v[offset + k]: the furthest x reached on diagonal k (y = x - k).
  const v = new Int32Array(2 * limit + 3);
  // trace[d] holds v for diagonals -d-1 … d+1 as it was before step d.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
      let x = down ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace);
    }
  }
  return null;
}

function backtrack(a: readonly string[], b: readonly string[], trace: Int32Array[]): DiffOp[] {
  const ops: DiffOp[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d]!;
    const at = (k: number) => v[k + d + 1]!;
    const k = x - y;
    const previousK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      ops.push({ kind: 'equal', line: a[--x]! });
      y--;
    }
    if (d > 0) {
      if (x === previousX) ops.push({ kind: 'insert', line: b[--y]! });
      else ops.push({ kind: 'delete', line: a[--x]! });
    }
  }
  return ops.reverse();
}
