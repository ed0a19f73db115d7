/** applyEdit: replace old_string with new_string, tolerating the usual ways models mis-copy text. */
import { describeClosest } from './closest.ts';
import { leadingWhitespace, prefersTabs, reindentLine } from './indent.ts';
import { findLineMatches, type LineMatch } from './line-match.ts';
import { mergeIntoRegion } from './line-diff.ts';
import { foreignLookalikes, normalize, replaceLookalikes } from './normalize.ts';
import { STAGES, type Stage } from './stages.ts';
import {
  blockLines,
  detectEol,
  type Eol,
  type Line,
  lineNumberAt,
  lineStartOffsets,
  splitBom,
  splitLines,
  stripBom,
  toEol,
} from './text.ts';
import type { EditOptions, EditResult } from './types.ts';

/** A region of the file (offsets into the BOM-less body) and the text that replaces it. */
interface Region {
  start: number;
  end: number;
  text: string;
}

interface Context {
  body: string;
  eol: Eol;
  oldString: string;
  newString: string;
  lines: Line[];
  /** Line texts without line endings. */
  texts: string[];
}

const fail = (error: string): EditResult => ({ ok: false, error });

export function applyEdit(
  content: string,
  oldString: string,
  newString: string,
  opts: EditOptions = {},
): EditResult {
  if (oldString === '') {
    return fail(
      'old_string is empty. To create a file or replace its whole content use the write tool; ' +
        'to edit, pass the exact existing text to replace as old_string.',
    );
  }
  if (oldString === newString) {
    return fail('old_string and new_string are identical, so the edit makes no change.');
  }
  const replaceAll = opts.replaceAll === true;
  const { bom, body } = splitBom(content);
  const eol = detectEol(body);
  const old = stripBom(oldString);
  const neu = stripBom(newString);

  const exact = findAll(body, old);
  if (exact.length > 0) {
    if (exact.length > 1 && !replaceAll) {
      return ambiguous(
        body,
        exact,
        'exact',
        true,
        exact.map((start) => start + old.length),
      );
    }
    const text = toEol(neu, eol);
    const regions = exact.map((start) => ({ start, end: start + old.length, text }));
    return finish(bom, content, body, eol, regions, 'exact');
  }

  const lines = splitLines(body);
  const texts = lines.map((line) => line.text);
  const ctx: Context = { body, eol, oldString: old, newString: neu, lines, texts };
  for (const stage of STAGES) {
    const regions = stage.kind === 'chars' ? matchChars(ctx, stage) : matchLines(ctx, stage);
    if (regions.length === 0) continue;
    if (regions.length > 1 && !(replaceAll && stage.replaceAllSafe)) {
      return ambiguous(
        body,
        regions.map((r) => r.start),
        stage.ignoring,
        stage.replaceAllSafe,
        regions.map((r) => r.end),
      );
    }
    return finish(bom, content, body, eol, regions, stage.name);
  }
  return notFound(ctx);
}

function findAll(haystack: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) {
    found.push(i);
  }
  return found;
}

function matchChars(ctx: Context, stage: Extract<Stage, { kind: 'chars' }>): Region[] {
  const file = normalize(ctx.body, stage.norm);
  const model = normalize(ctx.oldString, stage.norm);
  if (model.text.trim() === '') return [];
  const replacement = toEol(ctx.newString, ctx.eol);
  const regions: Region[] = [];
  for (const k of findAll(file.text, model.text)) {
    const start = file.from[k] ?? 0;
    let end = file.to[k + model.text.length - 1] ?? start;
    if (model.endStripped) {
      // old_string ended in whitespace we ignored, so it claimed to reach the end of a line:
      // the match must too, and the file's own trailing whitespace is replaced with it.
      end = skipTrailingBlanks(ctx.body, end);
      if (end === -1) continue;
    }
    const lookalikes = stage.norm.unicode
      ? foreignLookalikes(ctx.oldString, ctx.body.slice(start, end))
      : new Set<string>();
    regions.push({ start, end, text: replaceLookalikes(replacement, lookalikes) });
  }
  return regions;
}

/** Offset of the line end after only spaces/tabs from `at`, or -1 when other text follows. */
function skipTrailingBlanks(body: string, at: number): number {
  let i = at;
  while (i < body.length && (body[i] === ' ' || body[i] === '\t')) i++;
  if (i === body.length || body[i] === '\n' || (body[i] === '\r' && body[i + 1] === '\n')) return i;
  return -1;
}

function matchLines(ctx: Context, stage: Extract<Stage, { kind: 'lines' }>): Region[] {
  const model = blockLines(ctx.oldString);
  const matches = findLineMatches(ctx.texts, model.lines, stage.lines, prefersTabs(ctx.texts));
  return matches.map((m) => lineRegion(ctx, m, model));
}

function lineRegion(ctx: Context, match: LineMatch, model: { lines: string[]; endsWithNewline: boolean }): Region {
  const firstLine = ctx.lines[match.first];
  const lastLine = ctx.lines[match.last];
  if (!firstLine || !lastLine) throw new Error('line match outside the file');
  const start = firstLine.start;
  const end = model.endsWithNewline ? lastLine.next : lastLine.end;

  const replacement = blockLines(ctx.newString);
  const firstIndent = leadingWhitespace(firstLine.text);
  const lookalikes = foreignLookalikes(ctx.oldString, ctx.body.slice(start, end));
  const shift = match.shift;
  const adapt = (line: string, index: number): string => {
    let adapted = line;
    // The model's selection started after the file's indentation, so its first line carries none.
    if (match.firstLineFree && index === 0) adapted = firstIndent + line;
    else if (shift) adapted = reindentLine(line, shift);
    return replaceLookalikes(adapted, lookalikes);
  };
  const lines = mergeIntoRegion({
    fileLines: ctx.texts,
    first: match.first,
    last: match.last,
    map: match.map,
    oldLines: model.lines,
    newLines: replacement.lines,
    adapt,
  });
  const text = lines.join(ctx.eol) + (replacement.endsWithNewline ? ctx.eol : '');
  return { start, end, text };
}

function finish(
  bom: string,
  original: string,
  body: string,
  eol: Eol,
  regions: Region[],
  strategy: string,
): EditResult {
  const sorted = [...regions].sort((a, b) => a.start - b.start);
  const pieces: string[] = [];
  let at = 0;
  for (const region of sorted) {
    pieces.push(body.slice(at, region.start), region.text);
    at = region.end;
  }
  pieces.push(body.slice(at));
  let result = pieces.join('');

  // The presence or absence of a final newline is the file's, not the model's.
  const hadFinalNewline = body.endsWith('\n');
  if (result !== '' && hadFinalNewline && !result.endsWith('\n')) result += eol;
  if (!hadFinalNewline && result.endsWith('\n')) {
    result = result.slice(0, result.endsWith('\r\n') ? -2 : -1);
  }

  const content = bom + result;
  if (content === original) {
    return fail(
      'The edit makes no change: new_string equals the matched text once line endings and the ' +
        "file's final newline are taken into account.",
    );
  }
  return { ok: true, content, replacements: regions.length, strategy };
}

function ambiguous(
  body: string,
  starts: number[],
  ignoring: string,
  replaceAllHint: boolean,
  ends?: number[],
): EditResult {
  const table = lineStartOffsets(body);
  const places = starts.map((start, i) => {
    const first = lineNumberAt(table, start);
    const end = ends?.[i];
    const last = end !== undefined && end > start ? lineNumberAt(table, end - 1) : first;
    return first === last ? String(first) : `${first}-${last}`;
  });
  const shown = places.length > 10 ? [...places.slice(0, 10), '…'] : places;
  const how = ignoring === 'exact' ? '' : ` when ignoring ${ignoring}`;
  const hint = replaceAllHint
    ? 'add more surrounding lines to old_string so it matches exactly one place, or set replace_all to replace every occurrence.'
    : 'add more surrounding lines to old_string, copied exactly from the file, so it matches exactly one place. ' +
      '(replace_all cannot be combined with such a loose match.)';
  return fail(
    `old_string matches ${starts.length} places in the file${how} (lines ${shown.join(', ')}). ` +
      `Refusing to guess which one to edit: ${hint}`,
  );
}

function notFound(ctx: Context): EditResult {
  const modelLines = blockLines(ctx.oldString).lines;
  const closest = ctx.texts.length === 0 ? 'The file is empty.' : describeClosest(ctx.texts, modelLines);
  return fail(
    [
      'old_string was not found in the file.',
      closest,
      'old_string must match the file exactly (differences in line endings, trailing whitespace, ' +
        'indentation, smart quotes/dashes and blank lines are tolerated, nothing else). ' +
        'Re-read the file and copy the text to replace exactly.',
    ].join('\n'),
  );
}
