/** applyEdit: replace old_string with new_string, tolerating the usual ways models mis-copy text. */
import { describeClosest } from './closest.ts';
import { leadingWhitespace, prefersTabs, reindentLine } from './indent.ts';
import { mergeIntoRegion } from './line-diff.ts';
import { findLineMatches, type LineMatch } from './line-match.ts';
import { stripLineNumbers, stripReplacementNumbers } from './line-numbers.ts';
import { foreignLookalikes, hasUnicodeLookalikes, normalize, replaceLookalikes } from './normalize.ts';
import { STAGES, type Stage, type StageNeed } from './stages.ts';
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

const TRAILING_SPACE = /[ \t](\r?\n|$)/;

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

  const plain = { body, eol, oldString: old, newString: neu };
  const decide = (found: StageMatches): EditResult =>
    found.regions.length > 1 && !(replaceAll && found.stage.replaceAllSafe)
      ? ambiguous(body, found)
      : finish(bom, content, body, eol, found.regions, found.stage.name);

  const exact = exactMatch(plain);
  if (exact) return decide(exact);
  const lines = splitLines(body);
  const ctx: Context = { ...plain, lines, texts: lines.map((line) => line.text) };
  const tolerant = tolerantMatches(ctx).next();
  if (!tolerant.done) return decide(tolerant.value);

  // Last resort: old_string copied with the line numbers of a read listing. The numbers must agree
  // with where the stripped text sits, which also settles otherwise ambiguous matches.
  const numbered = replaceAll ? undefined : stripLineNumbers(old);
  if (numbered) {
    const numberedCtx = { ...ctx, oldString: numbered.text, newString: stripReplacementNumbers(neu) };
    const starts = lineStartOffsets(body);
    for (const found of allMatches(numberedCtx)) {
      const atLine = found.regions.filter((r) => lineNumberAt(starts, r.start) === numbered.firstLine);
      if (atLine.length === 1) {
        return finish(bom, content, body, eol, atLine, `line-numbers+${found.stage.name}`);
      }
    }
  }
  return notFound(ctx, numbered !== undefined);
}

interface StageMatches {
  stage: Pick<Stage, 'name' | 'ignoring' | 'replaceAllSafe'>;
  regions: Region[];
}

const EXACT = { name: 'exact', ignoring: '', replaceAllSafe: true };

function exactMatch(
  ctx: Pick<Context, 'body' | 'eol' | 'oldString' | 'newString'>,
): StageMatches | undefined {
  const starts = findAll(ctx.body, ctx.oldString);
  if (starts.length === 0) return undefined;
  const text = toEol(ctx.newString, ctx.eol);
  return {
    stage: EXACT,
    regions: starts.map((start) => ({ start, end: start + ctx.oldString.length, text })),
  };
}

function* allMatches(ctx: Context): Generator<StageMatches> {
  const exact = exactMatch(ctx);
  if (exact) yield exact;
  yield* tolerantMatches(ctx);
}

/** Yields, in cascade order, each tolerant stage that finds at least one candidate region. */
function* tolerantMatches(ctx: Context): Generator<StageMatches> {
  const { body, oldString: old } = ctx;
  const present = (need: StageNeed): boolean => {
    if (need === 'cr') return body.includes('\r') || old.includes('\r');
    if (need === 'trailing-space') return TRAILING_SPACE.test(body) || TRAILING_SPACE.test(old);
    if (need === 'lookalike') return hasUnicodeLookalikes(body) || hasUnicodeLookalikes(old);
    return true;
  };
  for (const stage of STAGES) {
    if (!present(stage.needs)) continue;
    const regions = stage.kind === 'chars' ? matchChars(ctx, stage) : matchLines(ctx, stage);
    if (regions.length > 0) yield { stage, regions };
  }
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

function lineRegion(
  ctx: Context,
  match: LineMatch,
  model: { lines: string[]; endsWithNewline: boolean },
): Region {
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

function ambiguous(body: string, found: StageMatches): EditResult {
  const table = lineStartOffsets(body);
  const places = found.regions.map(({ start, end }) => {
    const first = lineNumberAt(table, start);
    const last = end > start ? lineNumberAt(table, end - 1) : first;
    return first === last ? String(first) : `${first}-${last}`;
  });
  const shown = places.length > 10 ? [...places.slice(0, 10), '…'] : places;
  const { ignoring, replaceAllSafe } = found.stage;
  const how = ignoring ? ` when ignoring ${ignoring}` : '';
  const hint = replaceAllSafe
    ? 'add more surrounding lines to old_string so it matches exactly one place, or set replace_all to replace every occurrence.'
    : 'add more surrounding lines to old_string, copied exactly from the file, so it matches exactly one place. ' +
      '(replace_all cannot be combined with such a loose match.)';
  return fail(
    `old_string matches ${found.regions.length} places in the file${how} (lines ${shown.join(', ')}). ` +
      `Refusing to guess which one to edit: ${hint}`,
  );
}

function notFound(ctx: Context, numbered: boolean): EditResult {
  const modelLines = blockLines(ctx.oldString).lines;
  const closest = ctx.texts.length === 0 ? 'The file is empty.' : describeClosest(ctx.texts, modelLines);
  return fail(
    [
      'old_string was not found in the file.',
      closest,
      'old_string must match the file exactly (differences in line endings, trailing whitespace, ' +
        'indentation, smart quotes/dashes and blank lines are tolerated, nothing else). ' +
        'Re-read the file and copy the text to replace exactly' +
        (numbered ? ', without the line-number prefixes of the read output.' : '.'),
    ].join('\n'),
  );
}
