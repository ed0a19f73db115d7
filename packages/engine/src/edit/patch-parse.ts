/**
 * Parser for unified diffs as models write them: several files, optional `diff --git` headers and
 * git metadata, wrong or missing `@@` line numbers, markdown fences, stray blank lines.
 */
import { toLf } from './text.ts';

export type HunkOp = ' ' | '-' | '+';

export interface HunkLine {
  op: HunkOp;
  text: string;
}

export interface Hunk {
  /** 1-based position of the hunk within its file. */
  index: number;
  header: string;
  oldStart: number | undefined;
  oldCount: number | undefined;
  newStart: number | undefined;
  newCount: number | undefined;
  lines: HunkLine[];
  /** "\ No newline at end of file" followed the old / new side's last line. */
  oldNoNewline: boolean;
  newNoNewline: boolean;
}

export interface FilePatch {
  /** undefined for /dev/null. */
  oldPath: string | undefined;
  newPath: string | undefined;
  newFile: boolean;
  deletedFile: boolean;
  renameFrom: string | undefined;
  renameTo: string | undefined;
  hunks: Hunk[];
}

export type ParseResult = { ok: true; files: FilePatch[] } | { ok: false; error: string };

const FENCE = /^```/;

/** Keeps only the contents of ``` fences when the patch was wrapped in markdown. */
export function unfence(text: string): string {
  const lines = text.split('\n');
  if (!lines.some((line) => FENCE.test(line))) return text;
  const blocks: string[][] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    if (FENCE.test(line)) {
      if (current) blocks.push(current);
      current = current ? undefined : [];
    } else if (current) {
      current.push(line);
    }
  }
  if (current) blocks.push(current);
  const diffs = blocks.filter((block) => block.some((line) => /^(@@|--- |diff --git )/.test(line)));
  return (diffs.length > 0 ? diffs : blocks).map((block) => block.join('\n')).join('\n');
}

const TIMESTAMP = /\s+\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?(\s*[+-]\d{4})?$/;

/** Path from a `---`/`+++` header: no timestamp, no quotes, no a/ b/ prefix; undefined for /dev/null. */
export function parseHeaderPath(raw: string): string | undefined {
  let path = (raw.split('\t')[0] ?? '').trim().replace(TIMESTAMP, '');
  if (path.length >= 2 && path.startsWith('"') && path.endsWith('"')) {
    path = path.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  if (path === '/dev/null') return undefined;
  if (path.startsWith('a/') || path.startsWith('b/')) path = path.slice(2);
  return path;
}

function parseGitLine(rest: string): [string | undefined, string | undefined] {
  const split = rest.indexOf(' b/');
  if (split !== -1) return [parseHeaderPath(rest.slice(0, split)), parseHeaderPath(rest.slice(split + 1))];
  const parts = rest.trim().split(/\s+/);
  if (parts.length === 2) return [parseHeaderPath(parts[0] ?? ''), parseHeaderPath(parts[1] ?? '')];
  return [undefined, undefined];
}

const HUNK_HEADER = /^@@+\s*(?:-(\d+)(?:,(\d+))?)?\s*(?:\+(\d+)(?:,(\d+))?)?\s*@@+/;

function parseHunkHeader(line: string, index: number): Hunk {
  const m = HUNK_HEADER.exec(line);
  const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s));
  // "-12" without a count means a one-line range.
  const count = (start: string | undefined, n: string | undefined): number | undefined =>
    start === undefined ? undefined : (num(n) ?? 1);
  return {
    index,
    header: line.trim(),
    oldStart: num(m?.[1]),
    oldCount: count(m?.[1], m?.[2]),
    newStart: num(m?.[3]),
    newCount: count(m?.[3], m?.[4]),
    lines: [],
    oldNoNewline: false,
    newNoNewline: false,
  };
}

function isFileHeader(lines: readonly string[], i: number): boolean {
  return (lines[i] ?? '').startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ');
}

/** Whether the next non-empty line from i continues a hunk body. */
function bodyContinues(lines: readonly string[], i: number): boolean {
  let k = i;
  while (k < lines.length && lines[k] === '') k++;
  const line = lines[k];
  if (line === undefined || isFileHeader(lines, k) || line.startsWith('+++ ')) return false;
  return /^[ +\-\\]/.test(line);
}

function expectsMore(hunk: Hunk): boolean {
  if (hunk.oldCount === undefined || hunk.newCount === undefined) return false;
  const oldSeen = hunk.lines.filter((l) => l.op !== '+').length;
  const newSeen = hunk.lines.filter((l) => l.op !== '-').length;
  return oldSeen < hunk.oldCount && newSeen < hunk.newCount;
}

/** Adds lines[i] to the hunk when it belongs to it; false means the hunk has ended. */
function addHunkLine(hunk: Hunk, lines: readonly string[], i: number): boolean {
  const line = lines[i] ?? '';
  const op = line.charAt(0);
  if (op === ' ' || op === '-' || op === '+') {
    hunk.lines.push({ op, text: line.slice(1) });
    return true;
  }
  if (op === '\\') {
    const prev = hunk.lines[hunk.lines.length - 1];
    if (prev?.op !== '+') hunk.oldNoNewline = true;
    if (prev?.op !== '-') hunk.newNoNewline = true;
    return true;
  }
  // Editors and models strip the leading space of blank (or any) context lines; keep such a line
  // only when the hunk evidently goes on after it.
  if ((line === '' && expectsMore(hunk)) || bodyContinues(lines, i + 1)) {
    hunk.lines.push({ op: ' ', text: line });
    return true;
  }
  return false;
}

function newFilePatch(): FilePatch {
  return {
    oldPath: undefined,
    newPath: undefined,
    newFile: false,
    deletedFile: false,
    renameFrom: undefined,
    renameTo: undefined,
    hunks: [],
  };
}

export function parsePatch(patch: string): ParseResult {
  const lines = toLf(unfence(toLf(patch))).split('\n');
  const files: FilePatch[] = [];
  let file: FilePatch | undefined;
  let sawHeader = false;
  let hunk: Hunk | undefined;
  const start = (): FilePatch => {
    const created = newFilePatch();
    files.push(created);
    sawHeader = false;
    hunk = undefined;
    return created;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('diff --git ')) {
      file = start();
      [file.oldPath, file.newPath] = parseGitLine(line.slice('diff --git '.length));
      continue;
    }
    if (isFileHeader(lines, i)) {
      if (!file || sawHeader || file.hunks.length > 0) file = start();
      file.oldPath = parseHeaderPath(line.slice(4));
      file.newPath = parseHeaderPath((lines[i + 1] ?? '').slice(4));
      if (file.oldPath === undefined) file.newFile = true;
      if (file.newPath === undefined) file.deletedFile = true;
      sawHeader = true;
      hunk = undefined;
      i++;
      continue;
    }
    if (line.startsWith('@@')) {
      if (!file) {
        return {
          ok: false,
          error: `The patch has a hunk (${line.trim()}) before any file header; start each file with "--- a/path" and "+++ b/path" lines.`,
        };
      }
      hunk = parseHunkHeader(line, file.hunks.length + 1);
      file.hunks.push(hunk);
      continue;
    }
    if (hunk) {
      if (addHunkLine(hunk, lines, i)) continue;
      hunk = undefined;
    }
    if (file && file.hunks.length === 0) readGitMetadata(file, line);
    if (/^(Binary files .* differ|GIT binary patch)/.test(line)) {
      return { ok: false, error: 'Binary patches are not supported; only text diffs can be applied.' };
    }
  }

  if (files.length === 0) {
    return {
      ok: false,
      error:
        'No file changes found in the patch. Expected a unified diff: "--- a/path" and "+++ b/path" headers followed by "@@" hunks.',
    };
  }
  for (const f of files) {
    if (f.oldPath === undefined && f.newPath === undefined && f.renameFrom === undefined) {
      return { ok: false, error: 'The patch has a file section without a usable path in its headers.' };
    }
    const empty = f.hunks.find((h) => h.lines.length === 0);
    if (empty) {
      const path = f.newPath ?? f.oldPath ?? f.renameTo ?? '';
      return { ok: false, error: `${path}: hunk #${empty.index} (${empty.header}) has no lines.` };
    }
  }
  return { ok: true, files };
}

function readGitMetadata(file: FilePatch, line: string): void {
  if (line.startsWith('new file mode')) file.newFile = true;
  else if (line.startsWith('deleted file mode')) file.deletedFile = true;
  else if (line.startsWith('rename from ')) file.renameFrom = parseHeaderPath(line.slice(12));
  else if (line.startsWith('rename to ')) file.renameTo = parseHeaderPath(line.slice(10));
}
