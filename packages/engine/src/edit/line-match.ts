/**
 * Line-wise block matching: finds every place where the model's lines equal a run of file lines under
 * a chosen tolerance (trailing whitespace, unicode punctuation, uniform indentation shift, blank lines).
 */
import { detectShift, type IndentPair, type IndentShift, leadingWhitespace } from './indent.ts';
import { normalizeUnicode } from './normalize.ts';

export interface LineMatchOptions {
  /** Ignore trailing whitespace on every line. */
  trimEnd: boolean;
  unicode: boolean;
  /** Allow a uniform indentation shift between the model's lines and the file's. */
  indent: boolean;
  /** Ignore blank lines on both sides. */
  skipBlank: boolean;
  /**
   * With `indent`: when the model's first line has no indentation at all, it may have started its
   * selection after the file's indentation; let that line's indentation be free.
   */
  freeFirstLine: boolean;
}

export interface LineMatch {
  /** 0-based index of the first and last file line covered. */
  first: number;
  last: number;
  /** The match starts after the first file line's indentation (see `freeFirstLine`). */
  firstLineFree: boolean;
  shift: IndentShift | undefined;
  /** For each model line, the file line it matched; undefined for a model blank line that was skipped. */
  map: Array<number | undefined>;
}

interface PreparedLine {
  indent: string;
  /** Line without indentation, after the chosen normalisation. */
  rest: string;
  /** The whole normalised line. */
  full: string;
  blank: boolean;
}

function prepare(line: string, opts: LineMatchOptions): PreparedLine {
  let full = opts.unicode ? normalizeUnicode(line) : line;
  if (opts.trimEnd) full = full.trimEnd();
  const indent = leadingWhitespace(full);
  return { indent, rest: full.slice(indent.length), full, blank: full.trim() === '' };
}

function prepareLines(lines: readonly string[], opts: LineMatchOptions): PreparedLine[] {
  return lines.map((line) => prepare(line, opts));
}

export function findLineMatches(
  fileLines: readonly string[],
  modelLines: readonly string[],
  opts: LineMatchOptions,
  preferTabs = false,
): LineMatch[] {
  const file = prepareLines(fileLines, opts);
  const model = prepareLines(modelLines, opts);
  const modelSeq = model.flatMap((line, i) => (opts.skipBlank && line.blank ? [] : [i]));
  const fileSeq = file.flatMap((line, i) => (opts.skipBlank && line.blank ? [] : [i]));
  if (!model.some((line) => !line.blank) || modelSeq.length > fileSeq.length) return [];

  const matches: LineMatch[] = [];
  for (let k = 0; k + modelSeq.length <= fileSeq.length; k++) {
    const pairs: IndentPair[] = [];
    let ok = true;
    for (let j = 0; j < modelSeq.length && ok; j++) {
      const m = model[modelSeq[j] ?? 0];
      const f = file[fileSeq[k + j] ?? 0];
      if (!m || !f) ok = false;
      else if (m.blank || f.blank) ok = m.blank && f.blank;
      else if (!opts.indent) ok = m.full === f.full;
      else if (m.rest !== f.rest) ok = false;
      else pairs.push([f.indent, m.indent]);
    }
    if (!ok) continue;

    const first = fileSeq[k] ?? 0;
    const last = fileSeq[k + modelSeq.length - 1] ?? 0;
    const map: Array<number | undefined> = model.map(() => undefined);
    modelSeq.forEach((modelIndex, j) => {
      map[modelIndex] = fileSeq[k + j];
    });
    if (!opts.indent) {
      matches.push({ first, last, firstLineFree: false, shift: undefined, map });
      continue;
    }
    const shift = detectShift(pairs, preferTabs);
    if (shift) {
      matches.push({ first, last, firstLineFree: false, shift, map });
      continue;
    }
    const firstModel = model[modelSeq[0] ?? 0];
    const firstFile = file[first];
    if (
      opts.freeFirstLine &&
      firstModel &&
      firstFile &&
      !firstModel.blank &&
      firstModel.indent === '' &&
      firstFile.indent !== ''
    ) {
      const rest = detectShift(pairs.slice(1), preferTabs);
      if (rest) matches.push({ first, last, firstLineFree: true, shift: rest, map });
    }
  }
  return matches;
}
