import { sanitizeForTerminal } from '../render-text.ts';
import { BOLD, DIM, fg, paint } from './md-style.ts';
import { expandTabs, truncateToWidth } from './md-width.ts';

/**
 * Unified diffs as the engine's edit, write and apply_patch tools put them in `metadata.diff`
 * (`--- a/x` / `+++ b/x`, `/dev/null` for created or deleted files, `@@` hunks, `\ No newline…`,
 * several files concatenated, a `[diff truncated: +A -R lines in total]` note when cut), and the
 * git-style patches models write (`diff --git`, `index`, mode lines, hunks without counts).
 */

type Row =
  | { kind: 'context' | 'added' | 'removed'; number: number | undefined; text: string }
  | { kind: 'note'; text: string }
  | { kind: 'gap' };

interface FileDiff {
  oldPath: string | undefined;
  newPath: string | undefined;
  rows: Row[];
  hunks: number;
  added: number;
  removed: number;
  /** Totals from a truncation note, which cover lines no longer in the text. */
  totals: { added: number; removed: number } | undefined;
}

const hunkHeader = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const truncationNote = /^\[diff truncated: \+(\d+) -(\d+) lines in total\]$/;
const gitHeader = /^diff --git (?:a\/)?(\S+) (?:b\/)?(\S+)/;
const ignoredHeader =
  /^(?:index |new file mode|deleted file mode|old mode|new mode|similarity index|rename |copy )/;

function newFile(): FileDiff {
  return {
    oldPath: undefined,
    newPath: undefined,
    rows: [],
    hunks: 0,
    added: 0,
    removed: 0,
    totals: undefined,
  };
}

function cleanPath(path: string): string {
  const name = path.split('\t')[0]!.trim();
  return name === '/dev/null' ? name : name.replace(/^[ab]\//, '');
}

function parseDiff(diff: string): FileDiff[] {
  const files: FileDiff[] = [];
  let file: FileDiff | undefined;
  const current = () => {
    if (!file) {
      file = newFile();
      files.push(file);
    }
    return file;
  };
  const lines = diff.split('\n');
  if (lines.at(-1) === '') lines.pop();
  // After `diff --git`, the `---`/`+++` pair names the same file.
  let afterGitHeader = false;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const git = gitHeader.exec(line);
    if (git) {
      file = newFile();
      files.push(file);
      file.oldPath = cleanPath(git[1]!);
      file.newPath = cleanPath(git[2]!);
      afterGitHeader = true;
      i++;
      continue;
    }
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      if (!afterGitHeader || !file) {
        file = newFile();
        files.push(file);
      }
      file.oldPath = cleanPath(line.slice(4));
      file.newPath = cleanPath(lines[i + 1]!.slice(4));
      afterGitHeader = false;
      i += 2;
      continue;
    }
    if (!ignoredHeader.test(line)) afterGitHeader = false;
    if (line.startsWith('@@')) {
      i = readHunk(lines, i, current());
      continue;
    }
    const note = truncationNote.exec(line);
    if (note) current().totals = { added: Number(note[1]), removed: Number(note[2]) };
    if (!ignoredHeader.test(line)) current().rows.push({ kind: 'note', text: line });
    i++;
  }
  return files;
}

/** Reads one hunk; its header's counts say where it ends (a `-- x` line inside is a removal). */
function readHunk(lines: string[], start: number, file: FileDiff): number {
  const header = hunkHeader.exec(lines[start]!);
  if (file.hunks++ > 0) file.rows.push({ kind: 'gap' });
  let oldLine = header ? Number(header[1]) : undefined;
  let newLine = header ? Number(header[3]) : undefined;
  let oldLeft = header ? Number(header[2] ?? 1) : Number.POSITIVE_INFINITY;
  let newLeft = header ? Number(header[4] ?? 1) : Number.POSITIVE_INFINITY;
  let i = start + 1;
  while (i < lines.length && (oldLeft > 0 || newLeft > 0)) {
    const line = lines[i]!;
    const sign = line[0];
    if (!header && (line.startsWith('@@') || gitHeader.test(line) || line.startsWith('--- '))) break;
    if (sign === '+') {
      file.rows.push({ kind: 'added', number: newLine, text: line.slice(1) });
      file.added++;
      newLeft--;
      if (newLine !== undefined) newLine++;
    } else if (sign === '-') {
      file.rows.push({ kind: 'removed', number: oldLine, text: line.slice(1) });
      file.removed++;
      oldLeft--;
      if (oldLine !== undefined) oldLine++;
    } else if (sign === ' ' || line === '') {
      file.rows.push({ kind: 'context', number: newLine, text: line.slice(1) });
      oldLeft--;
      newLeft--;
      if (oldLine !== undefined) oldLine++;
      if (newLine !== undefined) newLine++;
    } else if (sign === '\\') {
      file.rows.push({ kind: 'note', text: line });
    } else {
      break;
    }
    i++;
  }
  // A trailing `\ No newline` belongs to the hunk's last line even after the counts run out.
  if (lines[i]?.startsWith('\\')) file.rows.push({ kind: 'note', text: lines[i++]! });
  return i;
}

/** Lines added and removed, for a one-line summary like `+12 −3`. */
export function diffStats(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const file of parseDiff(diff)) {
    added += file.totals?.added ?? file.added;
    removed += file.totals?.removed ?? file.removed;
  }
  return { added, removed };
}

/** `+12 −3`, leaving out a zero side (`+4` for a new file). */
export function formatStats(stats: { added: number; removed: number }, color: boolean): string {
  const parts: string[] = [];
  if (stats.added > 0) parts.push(paint(`+${stats.added}`, fg.green, color));
  if (stats.removed > 0) parts.push(paint(`−${stats.removed}`, fg.red, color));
  return parts.join(' ');
}

export interface DiffRenderOptions {
  width: number;
  color: boolean;
  /** Rows shown before the rest is summarised as `… N more lines` (default 20). */
  maxLines?: number;
}

/**
 * A compact view of a unified diff: a header per file (path and `+N −M`), then its lines with
 * line numbers in a gutter, `+` green, `-` red, context dim, `⋮` between hunks. Lines are cut to
 * `width`; after `maxLines` rows the rest is counted, not shown.
 */
export function renderDiff(diff: string, opts: DiffRenderOptions): string {
  const width = Math.min(1000, Math.max(10, Math.floor(opts.width) || 80));
  const maxLines = Math.max(0, Math.floor(opts.maxLines ?? 20) || 0);
  const files = parseDiff(sanitizeForTerminal(diff));
  // Hunks without line numbers (`@@ ... @@` in a hand-written patch) get no gutter at all.
  let numberWidth = 0;
  for (const file of files) {
    for (const row of file.rows) {
      if ('number' in row && row.number !== undefined)
        numberWidth = Math.max(numberWidth, String(row.number).length);
    }
  }
  const rows: string[] = [];
  for (const file of files) {
    if (file.oldPath !== undefined || file.newPath !== undefined)
      rows.push(fileHeader(file, width, opts.color));
    for (const row of file.rows) rows.push(renderRow(row, numberWidth, width, opts.color));
  }
  // Showing one more row costs the same height as saying "… 1 more line".
  if (rows.length <= maxLines + 1) return rows.join('\n');
  const hidden = rows.length - maxLines;
  return [...rows.slice(0, maxLines), paint(`… ${hidden} more lines`, DIM, opts.color)].join('\n');
}

function fileHeader(file: FileDiff, width: number, color: boolean): string {
  const created = file.oldPath === '/dev/null';
  const deleted = file.newPath === '/dev/null';
  const path = (deleted ? file.oldPath : file.newPath) ?? '';
  const tag = created ? ' (new)' : deleted ? ' (deleted)' : '';
  const stats = file.totals ?? file;
  const statsWidth = formatStats(stats, false).length;
  const room = Math.max(1, width - tag.length - (statsWidth > 0 ? statsWidth + 1 : 0));
  const label = paint(truncateToWidth(path, room), BOLD, color) + paint(tag, DIM, color);
  return statsWidth > 0 ? `${label} ${formatStats(stats, color)}` : label;
}

const rowStyles = { context: DIM, added: fg.green, removed: fg.red } as const;
const rowSigns = { context: ' ', added: '+', removed: '-' } as const;

function renderRow(row: Row, numberWidth: number, width: number, color: boolean): string {
  if (row.kind === 'gap') return paint('⋮'.padStart(Math.max(1, numberWidth)), DIM, color);
  if (row.kind === 'note') return paint(truncateToWidth(expandTabs(row.text), width), DIM, color);
  const gutterWidth = numberWidth > 0 ? numberWidth + 1 : 0;
  const body = truncateToWidth(
    `${rowSigns[row.kind]} ${expandTabs(row.text)}`,
    width - gutterWidth,
  ).trimEnd();
  const styled = paint(body, rowStyles[row.kind], color);
  if (gutterWidth === 0) return styled;
  return `${paint(String(row.number ?? '').padStart(numberWidth), DIM, color)} ${styled}`;
}
