/**
 * The tolerant matcher cascade used after an exact search fails. Each stage includes the
 * normalisations of the stages before it, so later stages are strictly looser.
 */
import type { LineMatchOptions } from './line-match.ts';
import type { NormalizeOptions } from './normalize.ts';

export type Stage =
  | {
      kind: 'chars';
      name: string;
      /** Human wording for error messages: "matches N places after ignoring …". */
      ignoring: string;
      /** Differences so harmless that replace_all may apply to every match. */
      replaceAllSafe: boolean;
      norm: NormalizeOptions;
    }
  | { kind: 'lines'; name: string; ignoring: string; replaceAllSafe: false; lines: LineMatchOptions };

const lineOpts = (unicode: boolean, indent: boolean, skipBlank: boolean): LineMatchOptions => ({
  trimEnd: true,
  unicode,
  indent,
  skipBlank,
  freeFirstLine: indent,
});

export const STAGES: readonly Stage[] = [
  {
    kind: 'chars',
    name: 'line-endings',
    ignoring: 'line endings',
    replaceAllSafe: true,
    norm: { eol: true, trailing: false, unicode: false },
  },
  {
    kind: 'chars',
    name: 'trailing-whitespace',
    ignoring: 'trailing whitespace',
    replaceAllSafe: true,
    norm: { eol: true, trailing: true, unicode: false },
  },
  {
    kind: 'lines',
    name: 'indentation',
    ignoring: 'indentation',
    replaceAllSafe: false,
    lines: lineOpts(false, true, false),
  },
  {
    kind: 'chars',
    name: 'unicode-quotes',
    ignoring: 'smart quotes, dashes and special spaces',
    replaceAllSafe: false,
    norm: { eol: true, trailing: true, unicode: true },
  },
  {
    kind: 'lines',
    name: 'indentation+unicode-quotes',
    ignoring: 'indentation, smart quotes, dashes and special spaces',
    replaceAllSafe: false,
    lines: lineOpts(true, true, false),
  },
  {
    kind: 'lines',
    name: 'blank-lines',
    ignoring: 'blank lines',
    replaceAllSafe: false,
    lines: lineOpts(true, false, true),
  },
  {
    kind: 'lines',
    name: 'blank-lines+indentation',
    ignoring: 'blank lines and indentation',
    replaceAllSafe: false,
    lines: lineOpts(true, true, true),
  },
];
