import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { looksBinary } from './binary.ts';
import { readSample } from './fsutil.ts';
import {
  addTooLarge,
  emptyOutcome,
  excerptLine,
  fileFilter,
  GREP_TIMEOUT_MS,
  type GrepMatch,
  type GrepOutcome,
  GrepPatternError,
  type GrepRequest,
  LineSplitter,
  MAX_GREP_FILE_BYTES,
} from './grep-common.ts';
import { walkWorkspace } from './walk.ts';

/** Compiles a ripgrep-style pattern as a JS RegExp; a leading `(?i)` becomes the `i` flag. */
export function compilePattern(pattern: string): RegExp {
  let source = pattern;
  let flags = '';
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (inline && !inline[1]!.includes('x')) {
    flags = [...new Set(inline[1]!.replace('m', ''))].join('');
    source = source.slice(inline[0].length);
  }
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new GrepPatternError((error as Error).message);
  }
}

interface Search {
  regex: RegExp;
  outcome: GrepOutcome;
  maxMatches: number;
  deadline: number;
  timeoutMs: number;
  signal: AbortSignal;
}

/** False when the search must stop (cancelled, or out of time: then the outcome says so). */
function mayContinue(search: Search): boolean {
  if (search.signal.aborted) return false;
  if (Date.now() < search.deadline) return true;
  search.outcome.timedOutMs = search.timeoutMs;
  return false;
}

/** Searches one file line by line; false when the whole search must stop. */
async function searchFile(
  search: Search,
  absolute: string,
  relative: string,
  skipBinary: boolean,
): Promise<boolean> {
  const handle = await open(absolute, 'r').catch(() => undefined);
  if (!handle) return true;
  try {
    if ((await handle.stat()).size > MAX_GREP_FILE_BYTES) {
      addTooLarge(search.outcome.tooLarge, relative);
      return true;
    }
    if (skipBinary && looksBinary(await readSample(handle))) return true;
  } catch {
    return true;
  } finally {
    await handle.close();
  }
  const { outcome, regex } = search;
  let lineNumber = 0;
  let keepGoing = true;
  // Split on "\n" only (as ripgrep does); readline would also split on a lone "\r". Lines are at
  // most MAX_GREP_FILE_BYTES long, as bigger files are skipped above.
  const lines = new LineSplitter((raw) => {
    lineNumber += 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const index = line.search(regex);
    if (index === -1) return true;
    if (outcome.matches.length >= search.maxMatches) {
      outcome.limited = true;
      keepGoing = false;
      return false;
    }
    const match: GrepMatch = { path: relative, line: lineNumber, text: excerptLine(line, index) };
    outcome.matches.push(match);
    return true;
  });
  const stream = createReadStream(absolute);
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of stream) {
      if (!mayContinue(search)) return false;
      if (!lines.push(decoder.write(chunk as Buffer))) break;
    }
    if (keepGoing) lines.push(decoder.end());
    lines.end();
  } catch {
    // Unreadable file: skip it, as ripgrep does.
  } finally {
    stream.destroy();
  }
  return keepGoing;
}

/**
 * Pure-JS grep used when ripgrep is not installed: walks the workspace (name order, .gitignore
 * honoured, .git / node_modules / binaries / symlinks / files over MAX_GREP_FILE_BYTES skipped) and
 * tests each line.
 */
export async function grepWithJs(request: GrepRequest): Promise<GrepOutcome> {
  const timeoutMs = request.timeoutMs ?? GREP_TIMEOUT_MS;
  const search: Search = {
    regex: compilePattern(request.pattern),
    outcome: emptyOutcome(),
    maxMatches: request.maxMatches,
    deadline: Date.now() + timeoutMs,
    timeoutMs,
    signal: request.signal,
  };
  if (request.startIsFile) {
    if (mayContinue(search))
      await searchFile(search, path.join(request.workspace, request.start), request.start, false);
    return search.outcome;
  }
  const filter = fileFilter(request.glob, request.start);
  for await (const entry of walkWorkspace(request.workspace, {
    start: path.join(request.workspace, request.start),
    gitignore: true,
    forceFile: filter.forces,
    signal: request.signal,
  })) {
    if (entry.kind !== 'file' || !filter.include(entry.relative)) continue;
    if (!mayContinue(search)) break;
    if (!(await searchFile(search, entry.absolute, entry.relative, true))) break;
  }
  return search.outcome;
}
