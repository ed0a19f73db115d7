import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import {
  addTooLarge,
  emptyOutcome,
  excerptLine,
  GREP_TIMEOUT_MS,
  type GrepOutcome,
  GrepPatternError,
  type GrepRequest,
  LineSplitter,
  MAX_GREP_FILE_BYTES,
  MAX_MATCH_LINE_CHARS,
} from './grep-common.ts';

/** ripgrep could not run the search (missing flag in an old version, crash…): use the JS fallback. */
export class RipgrepUnavailableError extends Error {
  override name = 'RipgrepUnavailableError';
}

/** Longer lines come back from ripgrep as a preview (see rgMatch). */
const RG_MAX_COLUMNS = 1000;
/** Bound on any one line read from ripgrep's stdout / stderr (previews are far shorter). */
const MAX_OUTPUT_LINE_CHARS = 64 * 1024;
const MAX_STDERR_CHARS = 8192;

/** `path NUL line:column:byte-offset:text`, as printed with --null --line-number --column --byte-offset. */
const MATCH_LINE = /^([^\0]*)\0(\d+):(\d+):(\d+):([\s\S]*)$/;
/** What --max-columns-preview appends to a line it cut. */
const PREVIEW_SUFFIX = / \[\.\.\. (?:\d+ more match(?:es)?|omitted end of long line)\]$/;
/** The --debug line the directory walker logs for a file skipped by --max-filesize. */
const TOO_LARGE_LOG = /\bignoring (.+): \d+ bytes$/;
const DEBUG_LOG = /^(?:rg: )?(?:DEBUG|TRACE)\|/;

interface RgMatch {
  path: string;
  line: number;
  /** 1-based byte column of the first match in the line. */
  column: number;
  /** Byte offset of the line in the file. */
  offset: number;
  text: string;
  /** ripgrep printed only the start of the line (it is over RG_MAX_COLUMNS bytes). */
  preview: boolean;
}

/** The flags that make ripgrep behave exactly like the JS fallback (see grep-js.ts). */
export function ripgrepArgs(request: GrepRequest): string[] {
  const args = [
    '--null',
    '--line-number',
    '--column',
    '--byte-offset',
    '--with-filename',
    '--no-heading',
    '--color',
    'never',
    // --json would print whole lines and every submatch: gigabytes for a huge minified line.
    '--max-columns',
    String(RG_MAX_COLUMNS),
    '--max-columns-preview',
    '--max-filesize',
    `${MAX_GREP_FILE_BYTES / (1024 * 1024)}M`,
    // The only way ripgrep reports which files --max-filesize skipped (see TOO_LARGE_LOG).
    '--debug',
    '--sort',
    'path',
    '--hidden',
    '--no-follow',
    '--no-require-git',
    '--no-ignore-parent',
    '--no-ignore-dot',
    '--no-ignore-global',
    '--no-ignore-exclude',
    '--no-config',
    '--glob',
    '!.git',
    '--glob',
    '!node_modules',
  ];
  // The workspace root's .gitignore still applies when searching a subdirectory.
  const rootIgnore = path.join(request.workspace, '.gitignore');
  if (request.start !== '' && !request.startIsFile && existsSync(rootIgnore))
    args.push('--ignore-file', rootIgnore);
  if (request.glob?.trim()) args.push('--glob', request.glob.trim());
  args.push('--regexp', request.pattern, '--');
  if (request.start !== '') args.push(request.start);
  return args;
}

const relativePath = (printed: string) => printed.replace(/^\.\//, '');

/** Parses one line of ripgrep's output; undefined for anything else (e.g. binary-file notices). */
function rgMatch(line: string): RgMatch | undefined {
  const parsed = MATCH_LINE.exec(line);
  if (!parsed) return undefined;
  let text = parsed[5]!;
  const preview = PREVIEW_SUFFIX.exec(text);
  if (preview) text = text.slice(0, preview.index);
  else if (text.endsWith('\r')) text = text.slice(0, -1);
  return {
    path: relativePath(parsed[1]!),
    line: Number(parsed[2]),
    column: Number(parsed[3]),
    offset: Number(parsed[4]),
    text,
    preview: preview !== null,
  };
}

/** The character index in `text` of a 1-based byte column. */
function charIndex(text: string, column: number): number {
  if (column <= 1) return 0;
  return Buffer.from(text)
    .subarray(0, column - 1)
    .toString('utf8').length;
}

/**
 * The excerpt for a line ripgrep only previewed: reads a window of the file around the match,
 * wide enough that excerptLine gives what it would for the whole line.
 */
async function excerptFromFile(absolute: string, match: RgMatch): Promise<string | undefined> {
  const reach = 3 * MAX_MATCH_LINE_CHARS + 4;
  const matchAt = match.offset + match.column - 1;
  const from = Math.max(match.offset, matchAt - reach);
  const handle = await open(absolute, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const buffer = Buffer.alloc(matchAt - from + reach);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    if (bytesRead < matchAt - from) return undefined;
    let before = buffer.subarray(0, matchAt - from);
    let after = buffer.subarray(matchAt - from, bytesRead);
    const newline = after.indexOf(0x0a);
    if (newline !== -1) after = after.subarray(0, newline);
    // Drop the tail bytes of a character the window starts in the middle of.
    let skip = 0;
    while (from > match.offset && skip < 3 && ((before[skip] ?? 0) & 0xc0) === 0x80) skip += 1;
    before = before.subarray(skip);
    const head = before.toString('utf8');
    // StringDecoder.write holds back a character cut at the window's end.
    let tail = new StringDecoder('utf8').write(after);
    if (newline !== -1 && tail.endsWith('\r')) tail = tail.slice(0, -1);
    const endsLine = newline !== -1 || bytesRead < buffer.length;
    return excerptLine(head + tail, head.length, from === match.offset, endsLine);
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/** Runs ripgrep (outside any sandbox: it only reads) and collects matches in path order. */
export async function grepWithRipgrep(rgPath: string, request: GrepRequest): Promise<GrepOutcome> {
  const outcome = emptyOutcome();
  if (request.startIsFile) {
    // --max-filesize only applies to files found by walking, not to a file named on the command line.
    const size = await stat(path.join(request.workspace, request.start)).then(
      (info) => info.size,
      () => 0,
    );
    if (size > MAX_GREP_FILE_BYTES) {
      addTooLarge(outcome.tooLarge, request.start);
      return outcome;
    }
  }
  const found = await runRipgrep(rgPath, request, outcome);
  for (const match of found) {
    const text =
      (match.preview ? await excerptFromFile(path.join(request.workspace, match.path), match) : undefined) ??
      excerptLine(match.text, charIndex(match.text, match.column), true, !match.preview);
    outcome.matches.push({ path: match.path, line: match.line, text });
  }
  return outcome;
}

/** Runs ripgrep and returns its matches, recording the limit, timeout and skipped files in `outcome`. */
function runRipgrep(rgPath: string, request: GrepRequest, outcome: GrepOutcome): Promise<RgMatch[]> {
  const timeoutMs = request.timeoutMs ?? GREP_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(rgPath, ripgrepArgs(request), {
      cwd: request.workspace,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const found: RgMatch[] = [];
    let stderr = '';
    let settled = false;

    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(found);
    };
    const stop = () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    };
    const onAbort = () => {
      stop();
      finish(new Error('cancelled'));
    };
    const timer = setTimeout(() => {
      stop();
      outcome.timedOutMs = timeoutMs;
      finish();
    }, timeoutMs);
    request.signal.addEventListener('abort', onAbort, { once: true });

    const stdout = new LineSplitter((line) => {
      const match = rgMatch(line);
      if (!match) return true;
      if (found.length >= request.maxMatches) {
        outcome.limited = true;
        stop();
        finish();
        return false;
      }
      found.push(match);
      return true;
    }, MAX_OUTPUT_LINE_CHARS);
    const errors = new LineSplitter((line) => {
      if (DEBUG_LOG.test(line)) {
        const skipped = TOO_LARGE_LOG.exec(line);
        if (skipped) addTooLarge(outcome.tooLarge, relativePath(skipped[1]!));
      } else if (stderr.length < MAX_STDERR_CHARS) {
        stderr += `${line}\n`;
      }
      return true;
    }, MAX_OUTPUT_LINE_CHARS);

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (!settled) stdout.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (!settled) errors.push(chunk);
    });
    child.once('error', (error) => finish(new RipgrepUnavailableError(error.message)));
    child.once('close', (code) => {
      if (settled) return;
      stdout.end();
      errors.end();
      if (settled) return;
      if (code === 0 || code === 1) return finish();
      if (/regex parse error|error parsing regex/i.test(stderr)) {
        return finish(new GrepPatternError(stderr.trim()));
      }
      // Exit 2 with results usually means some files were unreadable; keep what was found.
      if (code === 2 && found.length > 0) return finish();
      finish(new RipgrepUnavailableError(`ripgrep exited with ${code}: ${stderr.trim().slice(0, 500)}`));
    });
  });
}
