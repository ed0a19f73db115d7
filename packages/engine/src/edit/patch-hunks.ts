/** Applies one file's hunks in order, locating each with fuzz and tracking the line offset. */
import { describeClosest } from './closest.ts';
import { prefersTabs, reindentLine } from './indent.ts';
import { findLineMatches, type LineMatch, type LineMatchOptions } from './line-match.ts';
import type { Hunk } from './patch-parse.ts';
import { clip, detectEol, splitBom } from './text.ts';

type HunksResult = { ok: true; content: string } | { ok: false; error: string };

const tier = (trimEnd: boolean, unicode: boolean, indent: boolean): LineMatchOptions => ({
  trimEnd,
  unicode,
  indent,
  skipBlank: false,
  freeFirstLine: false,
});

/** From strict to loose; the first tier with a usable match wins. */
const TIERS: readonly LineMatchOptions[] = [
  tier(false, false, false),
  tier(true, false, false),
  tier(true, false, true),
  tier(true, true, false),
  tier(true, true, true),
];

/** How far from the stated line a match may be and still be chosen over others further away. */
const NEAR = 40;

type Located = { ok: true; match: LineMatch } | { ok: false; candidates: LineMatch[] };

function locate(
  lines: readonly string[],
  oldLines: readonly string[],
  expected: number | undefined,
  minPos: number,
  preferTabs: boolean,
): Located {
  for (const opts of TIERS) {
    const found = findLineMatches(lines, oldLines, opts, preferTabs).filter((m) => m.first >= minPos);
    if (found.length === 0) continue;
    if (expected !== undefined) {
      const exact = found.find((m) => m.first === expected);
      if (exact) return { ok: true, match: exact };
      const distance = (m: LineMatch): number => Math.abs(m.first - expected);
      const nearest = Math.min(...found.map(distance));
      const atNearest = found.filter((m) => distance(m) === nearest);
      if (nearest <= NEAR && atNearest.length === 1 && atNearest[0]) return { ok: true, match: atNearest[0] };
    }
    if (found.length === 1 && found[0]) return { ok: true, match: found[0] };
    return { ok: false, candidates: found };
  }
  return { ok: false, candidates: [] };
}

export function applyHunks(path: string, content: string, hunks: readonly Hunk[]): HunksResult {
  const { bom, body } = splitBom(content);
  const eol = detectEol(body);
  let finalNewline = body === '' || body.endsWith('\n');
  const lines = body === '' ? [] : body.split(/\r?\n/);
  if (body.endsWith('\n')) lines.pop();
  const tabs = prefersTabs(lines);

  // Current index minus original index, carried from hunk to hunk.
  let offset = 0;
  let minPos = 0;
  for (const hunk of hunks) {
    const oldLines = hunk.lines.filter((l) => l.op !== '+').map((l) => l.text);
    const label = `${path}: hunk #${hunk.index} (${hunk.header})`;
    let pos: number;
    let match: LineMatch | undefined;
    if (oldLines.length === 0) {
      // Pure insertion: "-N,0" means after line N.
      pos = hunk.oldStart === undefined ? lines.length : hunk.oldStart + offset;
      pos = Math.min(Math.max(pos, minPos), lines.length);
    } else {
      const expected = hunk.oldStart === undefined ? undefined : Math.max(0, hunk.oldStart - 1 + offset);
      const located = locate(lines, oldLines, expected, minPos, tabs);
      if (!located.ok) {
        const earlier =
          minPos > 0 && located.candidates.length === 0
            ? locate(lines, oldLines, undefined, 0, tabs)
            : undefined;
        if (earlier?.ok) {
          return {
            ok: false,
            error:
              `${label} matches line ${earlier.match.first + 1}, above the previous hunk. ` +
              'Hunks must be ordered from the top of the file to the bottom; reorder them and send the patch again.',
          };
        }
        return { ok: false, error: failure(label, lines, oldLines, expected, located, hunk.index > 1) };
      }
      match = located.match;
      pos = match.first;
    }

    const replacement: string[] = [];
    let p = pos;
    for (const line of hunk.lines) {
      if (line.op === ' ') replacement.push(lines[p++] ?? line.text);
      else if (line.op === '-') p++;
      else replacement.push(match?.shift ? reindentLine(line.text, match.shift) : line.text);
    }
    const reachesEnd = pos + oldLines.length === lines.length;
    lines.splice(pos, oldLines.length, ...replacement);
    if (reachesEnd && hunk.newNoNewline) finalNewline = false;
    else if (reachesEnd && hunk.oldNoNewline) finalNewline = true;

    const growth = replacement.length - oldLines.length;
    if (hunk.oldStart === undefined) offset += growth;
    else offset = pos - (oldLines.length === 0 ? hunk.oldStart : hunk.oldStart - 1) + growth;
    minPos = pos + replacement.length;
  }
  const text = lines.join(eol) + (finalNewline && lines.length > 0 ? eol : '');
  return { ok: true, content: bom + text };
}

function failure(
  label: string,
  lines: readonly string[],
  oldLines: readonly string[],
  expected: number | undefined,
  located: Extract<Located, { ok: false }>,
  afterEarlierHunks: boolean,
): string {
  const numbering = afterEarlierHunks ? ' Line numbers here count the earlier hunks as applied.' : '';
  if (located.candidates.length > 1) {
    const places = located.candidates.map((m) => `${m.first + 1}-${m.last + 1}`).join(', ');
    return (
      `${label} is ambiguous: its context and '-' lines match ${located.candidates.length} places ` +
      `(lines ${places}). Add more context lines or correct the @@ line numbers so it matches one place.${numbering}`
    );
  }
  const near = expected === undefined ? '' : ` (expected near line ${expected + 1})`;
  const shown = oldLines.slice(0, 12).map((line) => `  ${clip(line, 160)}`);
  if (oldLines.length > 12) shown.push(`  … (${oldLines.length - 12} more lines)`);
  return [
    `${label} does not apply: its context and '-' lines were not found in the file${near}.${numbering}`,
    lines.length === 0 ? 'The file is empty.' : describeClosest(lines, oldLines, 'the hunk'),
    `The hunk expects these lines:\n${shown.join('\n')}`,
    'Re-read the file and regenerate this hunk with its context lines copied exactly.',
  ].join('\n');
}
