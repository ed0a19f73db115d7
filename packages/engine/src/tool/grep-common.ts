import { compileGlob } from './glob-match.ts';

export interface GrepMatch {
  /** Workspace-relative path, `/`-separated. */
  path: string;
  line: number;
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
}

export interface GrepOutcome {
  matches: GrepMatch[];
  limited: boolean;
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
