/**
 * Finds the window of file lines most similar to the model's block, and describes it for an error
 * message so the model can see what the file really contains there.
 */
import { clip } from './text.ts';

export interface ClosestRegion {
  /** 0-based, inclusive. */
  first: number;
  last: number;
  /** Mean line similarity in [0, 1]. */
  score: number;
}

/** Sorted character-bigram codes of a trimmed line: a cheap, order-aware fingerprint. */
function bigrams(line: string): number[] {
  const s = line.trim();
  const codes: number[] = [];
  for (let i = 0; i + 1 < s.length; i++) codes.push(s.charCodeAt(i) * 65536 + s.charCodeAt(i + 1));
  return codes.sort((a, b) => a - b);
}

/**
 * Dice coefficient over bigram multisets. With `fragment`, b may be a piece of line a (a one-line
 * old_string often is), so containment of b's bigrams in a also counts, slightly discounted.
 */
function similarity(a: string, b: string, ga: number[], gb: number[], fragment: boolean): number {
  const ta = a.trim();
  const tb = b.trim();
  if (ta === tb) return 1;
  if (ga.length === 0 || gb.length === 0) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < ga.length && j < gb.length) {
    const x = ga[i] ?? 0;
    const y = gb[j] ?? 0;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  const dice = (2 * common) / (ga.length + gb.length);
  return fragment ? Math.max(dice, (0.9 * common) / gb.length) : dice;
}

/** Bound on line comparisons so a failed edit on a huge file still answers quickly. */
const MAX_COMPARISONS = 4_000_000;

export function findClosestRegion(
  fileLines: readonly string[],
  modelLines: readonly string[],
): ClosestRegion | undefined {
  if (fileLines.length === 0 || modelLines.length === 0) return undefined;
  const window = Math.min(modelLines.length, fileLines.length);
  const compared = Math.max(1, Math.min(window, Math.floor(MAX_COMPARISONS / fileLines.length)));
  const fileGrams = fileLines.map(bigrams);
  const modelGrams = modelLines.map(bigrams);

  let best: ClosestRegion | undefined;
  for (let start = 0; start + window <= fileLines.length; start++) {
    let total = 0;
    for (let j = 0; j < compared; j++) {
      total += similarity(
        fileLines[start + j] ?? '',
        modelLines[j] ?? '',
        fileGrams[start + j] ?? [],
        modelGrams[j] ?? [],
        modelLines.length === 1,
      );
    }
    const score = total / compared;
    if (best === undefined || score > best.score) best = { first: start, last: start + window - 1, score };
  }
  return best;
}

const MAX_SHOWN_LINES = 12;
const MAX_LINE_CHARS = 160;

/** Numbered listing of file lines first..last (0-based), shortened for an error message. */
export function formatRegion(fileLines: readonly string[], first: number, last: number): string {
  const numbers = (n: number): string => String(n + 1).padStart(String(last + 1).length, ' ');
  const row = (i: number): string => `  ${numbers(i)} | ${clip(fileLines[i] ?? '', MAX_LINE_CHARS)}`;
  const rows: string[] = [];
  const count = last - first + 1;
  if (count <= MAX_SHOWN_LINES) {
    for (let i = first; i <= last; i++) rows.push(row(i));
  } else {
    const head = MAX_SHOWN_LINES - 4;
    for (let i = first; i < first + head; i++) rows.push(row(i));
    rows.push(`  ${' '.repeat(String(last + 1).length)} | … (${count - head - 3} lines omitted)`);
    for (let i = last - 2; i <= last; i++) rows.push(row(i));
  }
  return rows.join('\n');
}

function show(line: string): string {
  return JSON.stringify(clip(line, MAX_LINE_CHARS));
}

/**
 * Explains the first line where the model's block and the file region disagree. Indentation-only
 * differences are reported only when nothing else differs, since a uniform shift is tolerated anyway.
 */
function describeFirstDifference(
  fileLines: readonly string[],
  region: ClosestRegion,
  modelLines: readonly string[],
  subject = 'old_string',
): string {
  const report = (j: number, note: string): string => {
    const fileLine = fileLines[region.first + j];
    const modelLine = modelLines[j] ?? '';
    if (fileLine === undefined) {
      return `${subject} continues past the end of the file with ${show(modelLine)}.`;
    }
    return [
      `First difference at line ${region.first + j + 1}${note}:`,
      `  file has: ${show(fileLine)}`,
      `  ${subject} has: ${show(modelLine)}`,
    ].join('\n');
  };
  const squash = (s: string): string => s.replace(/\s+/g, '');
  let firstIndentOnly = -1;
  for (let j = 0; j < modelLines.length; j++) {
    const fileLine = fileLines[region.first + j];
    const modelLine = modelLines[j] ?? '';
    if (fileLine === undefined) return report(j, '');
    if (fileLine.trim() === modelLine.trim()) {
      if (firstIndentOnly === -1 && fileLine.trimEnd() !== modelLine.trimEnd()) firstIndentOnly = j;
      continue;
    }
    const note =
      squash(fileLine) === squash(modelLine) ? ' (they differ only in whitespace inside the line)' : '';
    return report(j, note);
  }
  if (firstIndentOnly !== -1) {
    return report(
      firstIndentOnly,
      ` (only indentation differs, but not by the same amount on every line as in the file)`,
    );
  }
  return '';
}

/** Full "closest match" paragraph for a failed match, or a note that nothing resembles the block. */
export function describeClosest(
  fileLines: readonly string[],
  modelLines: readonly string[],
  subject = 'old_string',
): string {
  const region = findClosestRegion(fileLines, modelLines);
  if (!region || region.score < 0.2) return `No region of the file resembles ${subject}.`;
  const percent = Math.round(region.score * 100);
  const range =
    region.first === region.last
      ? `line ${region.first + 1}`
      : `lines ${region.first + 1}-${region.last + 1}`;
  const parts = [
    `The closest match is ${range} (${percent}% similar):`,
    formatRegion(fileLines, region.first, region.last),
  ];
  const diff = describeFirstDifference(fileLines, region, modelLines, subject);
  if (diff) parts.push(diff);
  return parts.join('\n');
}
