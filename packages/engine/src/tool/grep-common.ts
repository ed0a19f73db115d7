import { compileGlob } from './glob-match.ts';

/** Files larger than this are not searched by either engine; the outcome lists them instead. */
export const MAX_GREP_FILE_BYTES = 20 * 1024 * 1024;
/** How long a search may run before it is stopped and reported as incomplete. */
export const GREP_TIMEOUT_MS = 60_000;
/** Matched lines longer than this are shown as this many characters around the match. */
export const MAX_MATCH_LINE_CHARS = 500;
const CHARS_BEFORE_MATCH = 200;
/** How many of the skipped files are named in the output. */
const LISTED_TOO_LARGE = 5;

export interface GrepMatch {
  /** Workspace-relative path, `/`-separated. */
  path: string;
  line: number;
  /** The line as shown: cleaned, and cut around the match when long (see excerptLine). */
  text: string;
}

export interface GrepRequest {
  /** Real workspace root. */
  workspace: string;
  pattern: string;
  /** Where to search, relative to the workspace ('' for the root). */
  start: string;
  /** The start is a single file rather than a directory. */
  startIsFile: boolean;
  /** Only files matching this glob (a leading `!` excludes instead). */
  glob?: string;
  /** Collect at most this many matches; `limited` says whether more exist. */
  maxMatches: number;
  signal: AbortSignal;
  /** Default GREP_TIMEOUT_MS. */
  timeoutMs?: number;
}

export interface TooLargeFiles {
  count: number;
  /** The first few of them, in search order. */
  paths: string[];
}

export interface GrepOutcome {
  matches: GrepMatch[];
  limited: boolean;
  /** Set when the search hit its time limit (this many ms) before finishing. */
  timedOutMs?: number;
  /** Files skipped for being over MAX_GREP_FILE_BYTES. */
  tooLarge: TooLargeFiles;
}

export function emptyOutcome(): GrepOutcome {
  return { matches: [], limited: false, tooLarge: { count: 0, paths: [] } };
}

export function addTooLarge(files: TooLargeFiles, relative: string): void {
  files.count += 1;
  if (files.paths.length < LISTED_TOO_LARGE) files.paths.push(relative);
}

/** Raised when the pattern is not a valid regular expression for the engine. */
export class GrepPatternError extends Error {
  override name = 'GrepPatternError';
}

/**
 * The `glob` filter as ripgrep applies it: no `/` → file name at any depth; with `/` → the path
 * (ripgrep accepts it relative to the workspace or to the searched directory). A matching
 * (non-`!`) glob also overrides .gitignore for that file, as ripgrep's override globs do.
 */
export interface FileFilter {
  include(relative: string): boolean;
  /** The file is explicitly selected by the glob, even if .gitignore would skip it. */
  forces(relative: string): boolean;
}

export function fileFilter(glob: string | undefined, start: string): FileFilter {
  if (glob === undefined || glob.trim() === '') return { include: () => true, forces: () => false };
  const trimmed = glob.trim();
  const negate = trimmed.startsWith('!');
  const matcher = compileGlob(negate ? trimmed.slice(1) : trimmed);
  const prefix = start === '' ? '' : `${start}/`;
  const hit = (relative: string) =>
    matcher(relative) ||
    (prefix !== '' && relative.startsWith(prefix) && matcher(relative.slice(prefix.length)));
  return {
    include: (relative) => hit(relative) !== negate,
    forces: (relative) => !negate && hit(relative),
  };
}

/** Line text as shown to the model: no line ending, no control characters. */
export function cleanLine(text: string): string {
  return text.replace(/\r?\n$/, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?');
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * A matched line as shown to the model: whole when short, otherwise MAX_MATCH_LINE_CHARS characters
 * around the match at `index`. `text` (without its line ending) may be only a window of a longer
 * line; `startsLine` / `endsLine` say whether it reaches the line's start / end. Given a window with
 * at least MAX_MATCH_LINE_CHARS characters on each side of the match, the result is the same as for
 * the whole line, which keeps the two engines' output identical.
 */
export function excerptLine(text: string, index: number, startsLine = true, endsLine = true): string {
  if (startsLine && endsLine && text.length <= MAX_MATCH_LINE_CHARS) return cleanLine(text);
  let start = Math.max(0, index - CHARS_BEFORE_MATCH);
  let end = Math.min(text.length, start + MAX_MATCH_LINE_CHARS);
  start = Math.max(0, end - MAX_MATCH_LINE_CHARS);
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start += 1;
  if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  const head = start > 0 || !startsLine ? '…' : '';
  const tail = end < text.length || !endsLine ? '…' : '';
  return `${head}${cleanLine(text.slice(start, end))}${tail} [long line cut around the match]`;
}

/**
 * Splits streamed text into "\n"-terminated lines in linear time: only the unfinished last line is
 * kept between chunks, as pieces joined once it completes. Lines are cut at `maxLength` characters
 * (`cut` is then true), so a line-less stream cannot grow memory without bound.
 */
export class LineSplitter {
  readonly #onLine: (line: string, cut: boolean) => boolean;
  readonly #maxLength: number;
  #pieces: string[] = [];
  #length = 0;
  #cut = false;
  #stopped = false;

  /** `onLine` returns false to stop: later lines are then ignored. */
  constructor(onLine: (line: string, cut: boolean) => boolean, maxLength = Number.POSITIVE_INFINITY) {
    this.#onLine = onLine;
    this.#maxLength = maxLength;
  }

  /** Feeds a chunk; false once `onLine` has asked to stop. */
  push(chunk: string): boolean {
    let from = 0;
    while (!this.#stopped) {
      const newline = chunk.indexOf('\n', from);
      if (newline === -1) {
        this.#add(from === 0 ? chunk : chunk.slice(from));
        break;
      }
      this.#add(chunk.slice(from, newline));
      this.#emit();
      from = newline + 1;
    }
    return !this.#stopped;
  }

  /** Emits the last line when the text does not end with "\n". */
  end(): boolean {
    if (!this.#stopped && (this.#length > 0 || this.#cut)) this.#emit();
    return !this.#stopped;
  }

  #add(piece: string): void {
    if (piece === '' || this.#cut) return;
    const room = this.#maxLength - this.#length;
    if (piece.length > room) {
      this.#cut = true;
      piece = piece.slice(0, room);
    }
    this.#pieces.push(piece);
    this.#length += piece.length;
  }

  #emit(): void {
    const line = this.#pieces.length === 1 ? this.#pieces[0]! : this.#pieces.join('');
    const cut = this.#cut;
    this.#pieces = [];
    this.#length = 0;
    this.#cut = false;
    if (!this.#onLine(line, cut)) this.#stopped = true;
  }
}
