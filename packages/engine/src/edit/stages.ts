/**
 * The tolerant matcher cascade used after an exact search fails. Each stage includes the
 * normalisations of the stages before it, so later stages are strictly looser.
 */
import type { LineMatchOptions } from './line-match.ts';
import type { NormalizeOptions } from './normalize.ts';

/**
 * What must be present in the file or old_string for a stage to find anything its predecessor did
 * not; stages whose extra normalisation would change nothing are skipped.
 */
export type StageNeed = 'cr' | 'trailing-space' | 'lookalike' | 'none';

export type Stage =
  | {
      kind: 'chars';
      name: string;
      needs: StageNeed;
      /** Human wording for error messages: "matches N places after ignoring …". */
      ignoring: string;
      /** Differences so harmless that replace_all may apply to every match. */
      replaceAllSafe: boolean;
      norm: NormalizeOptions;
    }
  | {
      kind: 'lines';
      name: string;
      needs: StageNeed;
      ignoring: string;
      replaceAllSafe: false;
      lines: LineMatchOptions;
    };

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
    needs: 'cr',
    ignoring: 'line endings',
    replaceAllSafe: true,
    norm: { eol: true, trailing: false, unicode: false },
  },
  {
    kind: 'chars',
    name: 'trailing-whitespace',
    needs: 'trailing-space',
    ignoring: 'trailing whitespace',
    replaceAllSafe: true,
    norm: { eol: true, trailing: true, unicode: false },
  },
  {
    kind: 'lines',
    name: 'indentation',
    needs: 'none',
    ignoring: 'indentation',
    replaceAllSafe: false,
    lines: lineOpts(false, true, false),
  },
  {
    kind: 'chars',
    name: 'unicode-quotes',
    needs: 'lookalike',
    ignoring: 'smart quotes, dashes and special spaces',
    replaceAllSafe: false,
    norm: { eol: true, trailing: true, unicode: true },
  },
  {
    kind: 'lines',
    name: 'indentation+unicode-quotes',
    needs: 'lookalike',
    ignoring: 'indentation, smart quotes, dashes and special spaces',
    replaceAllSafe: false,
    lines: lineOpts(true, true, false),
  },
  {
    kind: 'lines',
    name: 'blank-lines',
    needs: 'none',
    ignoring: 'blank lines',
    replaceAllSafe: false,
    lines: lineOpts(true, false, true),
  },
  {
    kind: 'lines',
    name: 'blank-lines+indentation',
    needs: 'none',
    ignoring: 'blank lines and indentation',
    replaceAllSafe: false,
    lines: lineOpts(true, true, true),
  },
];
