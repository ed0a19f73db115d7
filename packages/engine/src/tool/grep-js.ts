import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { looksBinary } from './binary.ts';
import { readSample } from './fsutil.ts';
import {
  cleanLine,
  fileFilter,
  type GrepMatch,
  type GrepOutcome,
  GrepPatternError,
  type GrepRequest,
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

async function searchFile(
  absolute: string,
  relative: string,
  regex: RegExp,
  sink: (match: GrepMatch) => boolean,
  skipBinary: boolean,
  signal: AbortSignal,
): Promise<boolean> {
  if (skipBinary) {
    const handle = await open(absolute, 'r').catch(() => undefined);
    if (!handle) return true;
    try {
      if (looksBinary(await readSample(handle))) return true;
    } finally {
      await handle.close();
    }
  }
  // Split on "\n" only (as ripgrep does); readline would also split on a lone "\r".
  const stream = createReadStream(absolute);
  const decoder = new StringDecoder('utf8');
  let lineNumber = 0;
  let pending = '';
  let keepGoing = true;
  const test = (line: string): boolean => {
    lineNumber += 1;
    if (!regex.test(line)) return true;
    return sink({ path: relative, line: lineNumber, text: cleanLine(line) });
  };
  try {
    for await (const chunk of stream) {
      if (signal.aborted) return false;
      const text = pending + decoder.write(chunk as Buffer);
      const lines = text.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!test(line.endsWith('\r') ? line.slice(0, -1) : line)) {
          keepGoing = false;
          break;
        }
      }
      if (!keepGoing) break;
    }
    pending += decoder.end();
    if (keepGoing && pending !== '')
      keepGoing = test(pending.endsWith('\r') ? pending.slice(0, -1) : pending);
  } catch {
    // Unreadable file: skip it, as ripgrep does.
  } finally {
    stream.destroy();
  }
  return keepGoing;
}

/**
 * Pure-JS grep used when ripgrep is not installed: walks the workspace (name order, .gitignore
 * honoured, .git / node_modules / binaries / symlinks skipped) and tests each line.
 */
export async function grepWithJs(request: GrepRequest): Promise<GrepOutcome> {
  const regex = compilePattern(request.pattern);
  const matches: GrepMatch[] = [];
  let limited = false;
  const sink = (match: GrepMatch) => {
    if (matches.length >= request.maxMatches) {
      limited = true;
      return false;
    }
    matches.push(match);
    return true;
  };

  if (request.startIsFile) {
    await searchFile(
      path.join(request.workspace, request.start),
      request.start,
      regex,
      sink,
      false,
      request.signal,
    );
    return { matches, limited };
  }
  const filter = fileFilter(request.glob, request.start);
  for await (const entry of walkWorkspace(request.workspace, {
    start: path.join(request.workspace, request.start),
    gitignore: true,
    forceFile: filter.forces,
    signal: request.signal,
  })) {
    if (entry.kind !== 'file' || !filter.include(entry.relative)) continue;
    if (!(await searchFile(entry.absolute, entry.relative, regex, sink, true, request.signal))) break;
  }
  return { matches, limited };
}
