/**
 * Line diff between the model's old and new block, and a merge that replays it onto the matched file
 * region: lines the model left unchanged keep the file's exact text (indentation, trailing spaces,
 * quotes, blank lines the model did not see), only added lines come from new_string.
 */

export type DiffItem = { op: 'keep' | 'delete'; old: number } | { op: 'insert'; new: number };

/** Above this many DP cells the middle is treated as wholly replaced. */
const MAX_CELLS = 4_000_000;

export function lineDiff(a: readonly string[], b: readonly string[]): DiffItem[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) {
    suf++;
  }
  const items: DiffItem[] = [];
  for (let i = 0; i < pre; i++) items.push({ op: 'keep', old: i });

  const n = a.length - pre - suf;
  const m = b.length - pre - suf;
  if (n * m > MAX_CELLS) {
    for (let i = 0; i < n; i++) items.push({ op: 'delete', old: pre + i });
    for (let j = 0; j < m; j++) items.push({ op: 'insert', new: pre + j });
  } else {
    // lcs[i * (m + 1) + j]: LCS length of a-middle[i..] and b-middle[j..].
    const lcs = new Uint32Array((n + 1) * (m + 1));
    const at = (i: number, j: number): number => lcs[i * (m + 1) + j] ?? 0;
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * (m + 1) + j] =
          a[pre + i] === b[pre + j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[pre + i] === b[pre + j]) {
        items.push({ op: 'keep', old: pre + i++ });
        j++;
      } else if (i < n && (j >= m || at(i + 1, j) >= at(i, j + 1))) {
        items.push({ op: 'delete', old: pre + i++ });
      } else {
        items.push({ op: 'insert', new: pre + j++ });
      }
    }
  }
  for (let i = a.length - suf; i < a.length; i++) items.push({ op: 'keep', old: i });
  return items;
}

export interface MergeInput {
  fileLines: readonly string[];
  /** Matched file region, 0-based inclusive. */
  first: number;
  last: number;
  /** Model old line → file line (undefined: a model blank line the file does not have). */
  map: ReadonlyArray<number | undefined>;
  oldLines: readonly string[];
  newLines: readonly string[];
  /** Turns an added line of new_string into file style (indentation, quotes). */
  adapt: (line: string, newIndex: number) => string;
}

/**
 * The lines that replace fileLines[first..last]. File-only blank lines (ones the model's block
 * skipped) survive next to unchanged lines and around replaced lines, but not inside a stretch the
 * model deleted or replaced wholesale.
 */
export function mergeIntoRegion(input: MergeInput): string[] {
  const { fileLines, map } = input;
  const out: string[] = [];
  let cursor = input.first;
  // Whether file-only blank lines met before the next kept line survive.
  let keepBlanks = true;
  let deleted: number[] = [];
  let inserted: string[] = [];

  const flushChange = (): void => {
    const firstDeleted = deleted[0];
    const lastDeleted = deleted[deleted.length - 1];
    if (firstDeleted !== undefined && lastDeleted !== undefined) {
      const replaced = inserted.length > 0;
      if (replaced) out.push(...fileLines.slice(cursor, firstDeleted));
      cursor = lastDeleted + 1;
      keepBlanks = replaced;
    }
    out.push(...inserted);
    deleted = [];
    inserted = [];
  };

  for (const item of lineDiff(input.oldLines, input.newLines)) {
    if (item.op === 'insert') {
      inserted.push(input.adapt(input.newLines[item.new] ?? '', item.new));
      continue;
    }
    const target = map[item.old];
    // A blank line only the model had: nothing in the file corresponds to it.
    if (target === undefined) continue;
    if (item.op === 'delete') {
      deleted.push(target);
      continue;
    }
    flushChange();
    if (keepBlanks) out.push(...fileLines.slice(cursor, target));
    out.push(fileLines[target] ?? '');
    cursor = target + 1;
    keepBlanks = true;
  }
  flushChange();
  return out;
}
