import type { DiffOp } from './line-diff.ts';

export interface DiffLine {
  kind: 'context' | 'add' | 'delete';
  text: string;
  oldNumber: number | null;
  newNumber: number | null;
}

export interface Hunk {
  oldStart: number;
  newStart: number;
  /** What follows the second `@@`: usually the enclosing function. */
  section: string;
  lines: DiffLine[];
}

export interface FileDiff {
  /** null for a file that did not exist before (`/dev/null`). */
  oldPath: string | null;
  /** null for a deleted file. */
  newPath: string | null;
  hunks: Hunk[];
  added: number;
  removed: number;
  /** Lines that are not part of a hunk: `Binary files differ`, a truncation note… */
  notes: string[];
  /** False when the line numbers count from the changed snippet, not from the file's start. */
  numbered: boolean;
}

/** Groups a line diff into hunks with `context` unchanged lines around each change. */
export function hunksOf(ops: readonly DiffOp[], context = 3): Hunk[] {
  const lines = numberOps(ops);
  const changes = lines.flatMap((line, index) => (line.kind === 'context' ? [] : [index]));
  const hunks: Hunk[] = [];
  for (let first = 0; first < changes.length; ) {
    let last = first;
    // Changes with at most 2 × context unchanged lines between them share a hunk.
    while (last + 1 < changes.length && changes[last + 1]! - changes[last]! <= 2 * context + 1) last++;
    const slice = lines.slice(Math.max(0, changes[first]! - context), changes[last]! + context + 1);
    hunks.push({
      oldStart: slice.find((line) => line.oldNumber !== null)?.oldNumber ?? 0,
      newStart: slice.find((line) => line.newNumber !== null)?.newNumber ?? 0,
      section: '',
      lines: slice,
    });
    first = last + 1;
  }
  return hunks;
}

function numberOps(ops: readonly DiffOp[]): DiffLine[] {
  let oldNumber = 1;
  let newNumber = 1;
  return ops.map((op): DiffLine => {
    if (op.kind === 'equal')
      return { kind: 'context', text: op.line, oldNumber: oldNumber++, newNumber: newNumber++ };
    if (op.kind === 'delete')
      return { kind: 'delete', text: op.line, oldNumber: oldNumber++, newNumber: null };
    return { kind: 'add', text: op.line, oldNumber: null, newNumber: newNumber++ };
  });
}

export function countChanges(hunks: readonly Hunk[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const hunk of hunks)
    for (const line of hunk.lines) {
      if (line.kind === 'add') added++;
      else if (line.kind === 'delete') removed++;
    }
  return { added, removed };
}

const hunkHeader = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;

/**
 * Parses `diff -u` / `git diff` text into files and hunks with line numbers. Hunk line counts
 * decide where a hunk ends, so a removed line that itself starts with `--` is never taken for a
 * file header. Anything else outside hunks is kept as a note.
 */
export function parseUnifiedDiff(text: string): FileDiff[] {
  const files: FileDiff[] = [];
  let file: FileDiff | null = null;
  let hunk: Hunk | null = null;
  let oldLeft = 0;
  let newLeft = 0;
  let oldNumber = 0;
  let newNumber = 0;

  for (const line of splitDiffLines(text)) {
    if (hunk && (oldLeft > 0 || newLeft > 0)) {
      const marker = line[0] ?? ' ';
      const body = line.slice(1);
      if (marker === '+' && newLeft > 0) {
        hunk.lines.push({ kind: 'add', text: body, oldNumber: null, newNumber: newNumber++ });
        newLeft--;
        continue;
      }
      if (marker === '-' && oldLeft > 0) {
        hunk.lines.push({ kind: 'delete', text: body, oldNumber: oldNumber++, newNumber: null });
        oldLeft--;
        continue;
      }
      if (marker === ' ' && oldLeft > 0 && newLeft > 0) {
        hunk.lines.push({ kind: 'context', text: body, oldNumber: oldNumber++, newNumber: newNumber++ });
        oldLeft--;
        newLeft--;
        continue;
      }
    }
    if (line.startsWith('\\')) continue;
    hunk = null;
    const header = hunkHeader.exec(line);
    if (header) {
      file ??= pushFile(files);
      oldNumber = Number(header[1]);
      newNumber = Number(header[3]);
      oldLeft = header[2] === undefined ? 1 : Number(header[2]);
      newLeft = header[4] === undefined ? 1 : Number(header[4]);
      // A count of 0 names the line before the (empty) range; the first real line is the next one.
      if (oldLeft === 0) oldNumber++;
      if (newLeft === 0) newNumber++;
      hunk = {
        oldStart: Number(header[1]),
        newStart: Number(header[3]),
        section: header[5] ?? '',
        lines: [],
      };
      file.hunks.push(hunk);
    } else if (line.startsWith('diff --git ')) {
      file = pushFile(files);
    } else if (line.startsWith('--- ')) {
      // `diff --git` already opened this file; otherwise `---` starts the next one.
      if (!file || file.hunks.length > 0 || file.oldPath !== null || file.newPath !== null)
        file = pushFile(files);
      file.oldPath = pathOf(line.slice(4));
    } else if (line.startsWith('+++ ') && file) {
      file.newPath = pathOf(line.slice(4));
    } else if (line.trim() && !/^(index |new file mode|deleted file mode|similarity |rename )/.test(line)) {
      file ??= pushFile(files);
      file.notes.push(line);
    }
  }
  for (const parsed of files) Object.assign(parsed, countChanges(parsed.hunks));
  return files;
}

function pushFile(files: FileDiff[]): FileDiff {
  const file: FileDiff = {
    oldPath: null,
    newPath: null,
    hunks: [],
    added: 0,
    removed: 0,
    notes: [],
    numbered: true,
  };
  files.push(file);
  return file;
}

function splitDiffLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function pathOf(raw: string): string | null {
  const path = raw.split('\t')[0]!.trim();
  if (path === '/dev/null') return null;
  return path.replace(/^[ab]\//, '');
}
