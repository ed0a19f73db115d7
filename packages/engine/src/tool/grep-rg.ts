import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  cleanLine,
  type GrepMatch,
  type GrepOutcome,
  GrepPatternError,
  type GrepRequest,
} from './grep-common.ts';

/** ripgrep could not run the search (missing flag in an old version, crash…): use the JS fallback. */
export class RipgrepUnavailableError extends Error {
  override name = 'RipgrepUnavailableError';
}

const RG_TIMEOUT_MS = 60_000;

interface RgText {
  text?: string;
  bytes?: string;
}

interface RgEvent {
  type: string;
  data?: { path?: RgText; lines?: RgText; line_number?: number };
}

function decode(value: RgText | undefined): string {
  if (!value) return '';
  if (value.text !== undefined) return value.text;
  return value.bytes ? Buffer.from(value.bytes, 'base64').toString('utf8') : '';
}

/** The flags that make ripgrep behave exactly like the JS fallback (see grep-js.ts). */
export function ripgrepArgs(request: GrepRequest): string[] {
  const args = [
    '--json',
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

/** Runs ripgrep (outside any sandbox: it only reads) and collects matches in path order. */
export function grepWithRipgrep(rgPath: string, request: GrepRequest): Promise<GrepOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(rgPath, ripgrepArgs(request), {
      cwd: request.workspace,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const matches: GrepMatch[] = [];
    let limited = false;
    let stderr = '';
    let pending = '';
    let settled = false;

    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve({ matches, limited });
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
      limited = true;
      finish();
    }, RG_TIMEOUT_MS);
    request.signal.addEventListener('abort', onAbort, { once: true });

    const handleLine = (line: string) => {
      if (!line.startsWith('{"type":"match"')) return;
      const event = JSON.parse(line) as RgEvent;
      const data = event.data;
      if (!data?.line_number) return;
      if (matches.length >= request.maxMatches) {
        limited = true;
        stop();
        finish();
        return;
      }
      const file = decode(data.path).replace(/^\.\//, '');
      matches.push({ path: file, line: data.line_number, text: cleanLine(decode(data.lines)) });
    };

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (settled) return;
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        handleLine(line);
        if (settled) return;
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 8192) stderr += chunk;
    });
    child.once('error', (error) => finish(new RipgrepUnavailableError(error.message)));
    child.once('close', (code) => {
      if (settled) return;
      if (pending) handleLine(pending);
      if (settled) return;
      if (code === 0 || code === 1) return finish();
      if (/regex parse error|error parsing regex/i.test(stderr)) {
        return finish(new GrepPatternError(stderr.trim()));
      }
      // Exit 2 with results usually means some files were unreadable; keep what was found.
      if (code === 2 && matches.length > 0) return finish();
      finish(new RipgrepUnavailableError(`ripgrep exited with ${code}: ${stderr.trim().slice(0, 500)}`));
    });
  });
}
