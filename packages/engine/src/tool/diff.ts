/**
 * Unified diffs for tool metadata (UIs render them; the model sees summaries). Myers' O(ND) line
 * diff after trimming the common prefix and suffix; when the edit distance exceeds a cap the middle
 * is reported as a block replacement, which is still a correct (just not minimal) diff.
 */

export interface DiffOptions {
  /** Label for the old side (default `a/<path>`, `/dev/null` when `oldText` is undefined). */
  oldPath?: string;
  newPath?: string;
  context?: number;
  /** Cap on the diff text; longer diffs are cut with a note. */
  maxBytes?: number;
  /** Give up on a minimal diff beyond this many inserted+deleted lines in the changed middle. */
  maxEditDistance?: number;
}

export interface DiffResult {
  text: string;
  added: number;
  removed: number;
  truncated: boolean;
}

const EQUAL = 0;
const DELETE = 1;
const INSERT = 2;

interface Op {
  kind: typeof EQUAL | typeof DELETE | typeof INSERT;
  /** 0-based line index on the old side (for inserts: the old position before which it goes). */
  a: number;
  b: number;
}

interface SplitText {
  lines: string[];
  /** Comparison keys: the line plus whether it ends with a newline. */
  keys: string[];
  missingFinalNewline: boolean;
}

function split(text: string): SplitText {
  if (text === '') return { lines: [], keys: [], missingFinalNewline: false };
  const lines = text.split('\n');
  const missingFinalNewline = !text.endsWith('\n');
  if (!missingFinalNewline) lines.pop();
  const keys = lines.map((line, index) =>
    missingFinalNewline && index === lines.length - 1 ? `${line}\u0000noeol` : line,
  );
  return { lines, keys, missingFinalNewline };
}

/** Myers' greedy forward algorithm with a trace for backtracking; undefined when D > maxD. */
function myers(a: Int32Array, b: Int32Array, maxD: number): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxD);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)) x = v[offset + k + 1]!;
      else x = v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return undefined;

  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const snapshot = trace[d]!;
    const at = (k: number) => snapshot[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: EQUAL, a: x, b: y });
    }
    if (x === prevX) {
      y--;
      ops.push({ kind: INSERT, a: x, b: y });
    } else {
      x--;
      ops.push({ kind: DELETE, a: x, b: y });
    }
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    ops.push({ kind: EQUAL, a: x, b: y });
  }
  return ops.reverse();
}

/** Line-level edit script from old to new. */
function diffOps(oldKeys: string[], newKeys: string[], maxD: number): Op[] {
  let prefix = 0;
  while (prefix < oldKeys.length && prefix < newKeys.length && oldKeys[prefix] === newKeys[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < oldKeys.length - prefix &&
    suffix < newKeys.length - prefix &&
    oldKeys[oldKeys.length - 1 - suffix] === newKeys[newKeys.length - 1 - suffix]
  ) {
    suffix++;
  }
  const ops: Op[] = [];
  for (let i = 0; i < prefix; i++) ops.push({ kind: EQUAL, a: i, b: i });

  const ids = new Map<string, number>();
  const intern = (key: string) => {
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    return id;
  };
  const oldMiddle = Int32Array.from(oldKeys.slice(prefix, oldKeys.length - suffix), intern);
  const newMiddle = Int32Array.from(newKeys.slice(prefix, newKeys.length - suffix), intern);
  const middle = myers(oldMiddle, newMiddle, maxD);
  if (middle) {
    for (const op of middle) ops.push({ kind: op.kind, a: op.a + prefix, b: op.b + prefix });
  } else {
    for (let i = 0; i < oldMiddle.length; i++) ops.push({ kind: DELETE, a: prefix + i, b: prefix });
    for (let j = 0; j < newMiddle.length; j++) {
      ops.push({ kind: INSERT, a: prefix + oldMiddle.length, b: prefix + j });
    }
  }
  const oldEnd = oldKeys.length - suffix;
  const newEnd = newKeys.length - suffix;
  for (let i = 0; i < suffix; i++) ops.push({ kind: EQUAL, a: oldEnd + i, b: newEnd + i });
  return ops;
}

function range(start: number, count: number): string {
  // Unified-diff convention: an empty range names the line before it.
  const first = count === 0 ? start : start + 1;
  return count === 1 ? `${first}` : `${first},${count}`;
}

/** Computes a unified diff of two texts. `undefined` old/new text means the file did not exist. */
export function computeDiff(
  oldText: string | undefined,
  newText: string | undefined,
  options: DiffOptions = {},
): DiffResult {
  const context = options.context ?? 3;
  const maxBytes = options.maxBytes ?? 64 * 1024;
  const before = split(oldText ?? '');
  const after = split(newText ?? '');
  const ops = diffOps(before.keys, after.keys, options.maxEditDistance ?? 1000);

  let added = 0;
  let removed = 0;
  for (const op of ops) {
    if (op.kind === INSERT) added++;
    else if (op.kind === DELETE) removed++;
  }
  if (added === 0 && removed === 0) return { text: '', added, removed, truncated: false };

  const oldLabel = oldText === undefined ? '/dev/null' : (options.oldPath ?? 'a');
  const newLabel = newText === undefined ? '/dev/null' : (options.newPath ?? options.oldPath ?? 'b');
  const out: string[] = [`--- ${oldLabel}`, `+++ ${newLabel}`];
  const noEol = '\\ No newline at end of file';

  let index = 0;
  while (index < ops.length) {
    while (index < ops.length && ops[index]!.kind === EQUAL) index++;
    if (index >= ops.length) break;
    const start = Math.max(0, index - context);
    let end = index;
    // Extend the hunk while the next change is close enough to share context.
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== EQUAL) end++;
      let next = end;
      while (next < ops.length && ops[next]!.kind === EQUAL) next++;
      if (next < ops.length && next - end <= 2 * context) {
        end = next;
        continue;
      }
      end = Math.min(ops.length, end + context);
      break;
    }
    const hunk = ops.slice(start, end);
    const first = hunk[0]!;
    const oldCount = hunk.filter((op) => op.kind !== INSERT).length;
    const newCount = hunk.filter((op) => op.kind !== DELETE).length;
    out.push(`@@ -${range(first.a, oldCount)} +${range(first.b, newCount)} @@`);
    for (const op of hunk) {
      if (op.kind === INSERT) {
        out.push(`+${after.lines[op.b]}`);
        if (after.missingFinalNewline && op.b === after.lines.length - 1) out.push(noEol);
      } else {
        out.push(`${op.kind === EQUAL ? ' ' : '-'}${before.lines[op.a]}`);
        if (before.missingFinalNewline && op.a === before.lines.length - 1) out.push(noEol);
      }
    }
    index = end;
  }

  const text = `${out.join('\n')}\n`;
  if (Buffer.byteLength(text) <= maxBytes) return { text, added, removed, truncated: false };
  const cut = Buffer.from(text).subarray(0, maxBytes).toString('utf8');
  return {
    text: `${cut.slice(0, cut.lastIndexOf('\n') + 1)}[diff truncated: +${added} -${removed} lines in total]\n`,
    added,
    removed,
    truncated: true,
  };
}

/** Just the diff text. */
export function unifiedDiff(
  oldText: string | undefined,
  newText: string | undefined,
  options?: DiffOptions,
): string {
  return computeDiff(oldText, newText, options).text;
}
