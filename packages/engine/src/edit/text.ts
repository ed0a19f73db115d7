/** Low-level text helpers shared by the edit and patch code: BOM, line endings, line tables. */

export const BOM = '\uFEFF';

export type Eol = '\n' | '\r\n';

export function splitBom(text: string): { bom: string; body: string } {
  return text.startsWith(BOM) ? { bom: BOM, body: text.slice(1) } : { bom: '', body: text };
}

export function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

/** Dominant line ending of text; LF when it has no line breaks or on a tie. */
export function detectEol(text: string): Eol {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

export function toLf(text: string): string {
  return text.split('\r\n').join('\n');
}

export function toEol(text: string, eol: Eol): string {
  const lf = toLf(text);
  return eol === '\n' ? lf : lf.split('\n').join('\r\n');
}

/** One line of a file: its text without the line ending, and where it sits in the file. */
export interface Line {
  text: string;
  /** Offset of the first character. */
  start: number;
  /** Offset just before the line ending. */
  end: number;
  /** Offset just after the line ending (equals `end` on an unterminated last line). */
  next: number;
}

/** Splits text into lines. A final line ending does not produce an extra empty line. */
export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      lines.push({ text: text.slice(start), start, end: text.length, next: text.length });
      break;
    }
    const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    lines.push({ text: text.slice(start, end), start, end, next: nl + 1 });
    start = nl + 1;
  }
  return lines;
}

/** Splits a model-supplied block into lines, dropping the empty piece after a final newline. */
export function blockLines(text: string): { lines: string[]; endsWithNewline: boolean } {
  const lines = toLf(text).split('\n');
  const endsWithNewline = lines.length > 1 && lines[lines.length - 1] === '';
  if (endsWithNewline) lines.pop();
  return { lines, endsWithNewline };
}

/** 1-based line number of an offset, given the start offsets of all lines. */
export function lineNumberAt(lineStartOffsets: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStartOffsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStartOffsets[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

export function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Shortens a line for an error message without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}… (${chars.length - max} more chars)`;
}
