import { type GrepInput, grepInput } from '@aura/protocol';
import { type GrepOutcome, GrepPatternError, type GrepRequest, MAX_GREP_FILE_BYTES } from './grep-common.ts';
import { compilePattern, grepWithJs } from './grep-js.ts';
import { grepWithRipgrep, RipgrepUnavailableError } from './grep-rg.ts';
import { resolveWorkspacePath } from './paths.ts';
import { formatBytes, plural, truncateText } from './text.ts';
import { type ToolDefinition, ToolError } from './types.ts';
import { findExecutable } from './which.ts';

export const MAX_GREP_MATCHES = 250;
export const MAX_GREP_OUTPUT_BYTES = 50 * 1024;
const NARROW = 'Narrow the pattern, or restrict it with path or glob.';

export interface GrepToolOptions {
  /**
   * Path to ripgrep; `false` forces the pure-JS search. Default: `rg` from PATH when present,
   * otherwise the JS search.
   */
  ripgrep?: string | false;
}

export type GrepEngine = 'ripgrep' | 'js';

/** Runs the search with ripgrep when available, falling back to JS when rg cannot handle it. */
export async function searchWorkspace(
  request: GrepRequest,
  options: GrepToolOptions = {},
): Promise<GrepOutcome & { engine: GrepEngine }> {
  const rg = options.ripgrep === false ? undefined : (options.ripgrep ?? findExecutable('rg'));
  if (rg) {
    try {
      return { ...(await grepWithRipgrep(rg, request)), engine: 'ripgrep' };
    } catch (error) {
      if (error instanceof GrepPatternError) {
        // Rust regex lacks look-around and backreferences; JS has them.
        try {
          compilePattern(request.pattern);
        } catch {
          throw error;
        }
      } else if (!(error instanceof RipgrepUnavailableError)) {
        throw error;
      }
    }
  }
  return { ...(await grepWithJs(request)), engine: 'js' };
}

export function formatGrepOutcome(outcome: GrepOutcome, pattern: string, where: string): string {
  const { matches, tooLarge, timedOutMs } = outcome;
  const seconds = timedOutMs === undefined ? 0 : Math.round(timedOutMs / 100) / 10;
  const notes: string[] = [];
  if (outcome.limited) {
    const files = new Set(matches.map((match) => match.path)).size;
    notes.push(
      `Search stopped after ${plural(matches.length, 'match', 'matches')} (in ${plural(files, 'file')}); there are more. ${NARROW}`,
    );
  }
  if (timedOutMs !== undefined && matches.length > 0) {
    notes.push(
      `Search stopped after ${seconds} s (time limit) before it finished; there may be more matches. ${NARROW}`,
    );
  }
  if (tooLarge.count > 0) {
    const more = tooLarge.count - tooLarge.paths.length;
    const names =
      tooLarge.paths.map((name) => `"${name}"`).join(', ') + (more > 0 ? ` and ${more} more` : '');
    notes.push(
      `${plural(tooLarge.count, 'file was', 'files were')} skipped as too large to search (over ${formatBytes(MAX_GREP_FILE_BYTES)}): ${names}. Use read with offset/limit to look at ${tooLarge.count === 1 ? 'it' : 'them'} piece by piece.`,
    );
  }
  let text: string;
  if (matches.length > 0) {
    text = truncateText(
      matches.map((match) => `${match.path}:${match.line}: ${match.text}`).join('\n'),
      MAX_GREP_OUTPUT_BYTES,
      'Output truncated; narrow the pattern, or restrict it with path or glob.',
    ).text;
  } else if (timedOutMs !== undefined) {
    text = `Search for /${pattern}/ in ${where} stopped after ${seconds} s (time limit) before it finished, without finding a match so far. ${NARROW}`;
  } else {
    text = `No matches for /${pattern}/ in ${where}.`;
  }
  return [text, ...notes.map((note) => `[${note}]`)].join('\n');
}

export function createGrepTool(options: GrepToolOptions = {}): ToolDefinition<GrepInput> {
  return {
    name: 'grep',
    description: [
      'Search file contents with a regular expression (ripgrep syntax; case-sensitive unless the pattern starts with "(?i)").',
      'Output lines look like "path:line: text". path limits the search to a directory or file; glob filters files ("*.ts", "src/**/*.test.ts", "!*.min.js").',
      `Skips .git, node_modules, binary files, symbolic links, files over ${formatBytes(MAX_GREP_FILE_BYTES)} and files ignored by .gitignore (unless glob names them). Returns at most ${MAX_GREP_MATCHES} matches, long lines cut around the match; use read to see more context around a match.`,
    ].join('\n'),
    inputSchema: grepInput,
    readOnly: true,
    subject: (input) => input.path ?? '.',
    async execute(input, ctx) {
      const target = resolveWorkspacePath(ctx.workspace, input.path ?? '.', { mustExist: true });
      const startIsFile = target.stats?.isFile() ?? false;
      if (!startIsFile && !target.stats?.isDirectory()) {
        throw new ToolError(`"${target.relative}" is not a file or directory that can be searched.`);
      }
      const request: GrepRequest = {
        workspace: ctx.workspace,
        pattern: input.pattern,
        start: target.relative === '.' ? '' : target.relative,
        startIsFile,
        glob: input.glob,
        maxMatches: MAX_GREP_MATCHES,
        signal: ctx.signal,
      };
      let outcome: Awaited<ReturnType<typeof searchWorkspace>>;
      try {
        outcome = await searchWorkspace(request, options);
      } catch (error) {
        if (error instanceof GrepPatternError) {
          throw new ToolError(
            `Invalid regular expression /${input.pattern}/: ${error.message}\nEscape special characters such as ( ) [ ] { } . * + ? | with a backslash to search for them literally.`,
          );
        }
        throw error;
      }
      const where = target.relative === '.' ? 'the workspace' : `"${target.relative}"`;
      return {
        ok: true,
        output: formatGrepOutcome(outcome, input.pattern, where),
        metadata: {
          matches: outcome.matches.length,
          files: new Set(outcome.matches.map((match) => match.path)).size,
          truncated: outcome.limited || outcome.timedOutMs !== undefined,
          timedOut: outcome.timedOutMs !== undefined,
          skippedTooLarge: outcome.tooLarge.count,
          engine: outcome.engine,
        },
      };
    },
  };
}

export const grepTool = createGrepTool();
