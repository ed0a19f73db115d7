import { stat } from 'node:fs/promises';
import { type GlobInput, globInput } from '@aura/protocol';
import { compileGlob } from './glob-match.ts';
import { ALWAYS_SKIPPED_DIRS } from './ignore.ts';
import { checkPathSyntax, resolveWorkspacePath } from './paths.ts';
import { type ToolDefinition, ToolError } from './types.ts';
import { type WalkStats, walkWorkspace } from './walk.ts';

export const MAX_GLOB_RESULTS = 200;
const MAX_GLOB_SCAN = 200_000;
/** Matches beyond this are counted but not stat'ed for sorting. */
const MAX_GLOB_SORTED = 20_000;

/** Skipped directories a pattern names explicitly (e.g. `node_modules/react/**`) are searched. */
function namedSkippedDirs(pattern: string): Set<string> {
  const words = new Set(pattern.split(/[/{},]/));
  return new Set([...ALWAYS_SKIPPED_DIRS].filter((name) => words.has(name)));
}

export const globTool: ToolDefinition<GlobInput> = {
  name: 'glob',
  description: [
    'Find files by path pattern. Supports ** (any number of directories), * and ? (within a name), {a,b} alternatives and [abc] classes.',
    'A pattern without "/" matches file names at any depth ("*.test.ts" finds every test file); a pattern with "/" matches paths from the workspace root ("src/**/*.ts").',
    `Returns up to ${MAX_GLOB_RESULTS} paths, most recently modified first. .git and node_modules are skipped unless the pattern names them. Symbolic links are not followed.`,
  ].join('\n'),
  inputSchema: globInput,
  readOnly: true,
  subject: (input) => input.pattern,
  async execute(input, ctx) {
    const pattern = input.pattern.trim();
    checkPathSyntax(pattern, 'pattern');
    if (pattern.split('/').includes('..')) {
      throw new ToolError(
        `The pattern "${pattern}" uses "..". Patterns are matched inside the workspace only; write them relative to the workspace root.`,
      );
    }
    const matcher = compileGlob(pattern);
    const base = resolveWorkspacePath(ctx.workspace, matcher.base || '.', {});
    if (!base.stats?.isDirectory()) {
      return { ok: true, output: `No files match "${pattern}" ("${matcher.base}" is not a directory).` };
    }
    const named = namedSkippedDirs(pattern);
    const stats: WalkStats = { visited: 0, limited: false };
    const matches: string[] = [];
    for await (const entry of walkWorkspace(ctx.workspace, {
      start: base.absolute,
      enterSkipped: (relative) => named.has(relative.slice(relative.lastIndexOf('/') + 1)),
      signal: ctx.signal,
      maxEntries: MAX_GLOB_SCAN,
      stats,
    })) {
      if (entry.kind === 'dir' || entry.kind === 'other' || !matcher(entry.relative)) continue;
      if (entry.kind === 'symlink') {
        // Only links to files inside the workspace count.
        try {
          const target = resolveWorkspacePath(ctx.workspace, entry.relative, { mustExist: true });
          if (!target.stats?.isFile()) continue;
        } catch {
          continue;
        }
      }
      matches.push(entry.relative);
    }
    ctx.signal.throwIfAborted();

    const scanNote = stats.limited
      ? `\n[Stopped after scanning ${MAX_GLOB_SCAN} entries; use a pattern with a directory prefix to narrow the search.]`
      : '';
    if (matches.length === 0) {
      return { ok: true, output: `No files match "${pattern}".${scanNote}`, metadata: { count: 0 } };
    }
    const sortable = matches.slice(0, MAX_GLOB_SORTED);
    const withTimes = await Promise.all(
      sortable.map(async (relative) => {
        const info = await stat(`${ctx.workspace}/${relative}`).catch(() => undefined);
        return { relative, mtime: info?.mtimeMs ?? 0 };
      }),
    );
    withTimes.sort((a, b) => b.mtime - a.mtime || (a.relative < b.relative ? -1 : 1));
    const shown = withTimes.slice(0, MAX_GLOB_RESULTS).map((match) => match.relative);
    const more =
      matches.length > shown.length
        ? `\n[Showing ${shown.length} of ${matches.length} matches, most recently modified first. Use a more specific pattern to see others.]`
        : '';
    return {
      ok: true,
      output: shown.join('\n') + more + scanNote,
      metadata: { count: matches.length, truncated: matches.length > shown.length },
    };
  },
};
