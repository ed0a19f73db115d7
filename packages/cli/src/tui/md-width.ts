import stringWidth from 'string-width';

const printableAscii = /^[\x20-\x7e]*$/;
let graphemeSegmenter: Intl.Segmenter | undefined;
const shortWidths = new Map<string, number>();

/** Terminal columns a plain (unstyled) string occupies; wide CJK and emoji count 2. */
export function displayWidth(text: string): number {
  if (printableAscii.test(text)) return text.length;
  if (text.length > 16) return stringWidth(text);
  // Short non-ASCII strings (bullets, box drawing, a word with an accent) repeat a lot.
  let width = shortWidths.get(text);
  if (width === undefined) {
    if (shortWidths.size >= 4096) shortWidths.clear();
    width = stringWidth(text);
    shortWidths.set(text, width);
  }
  return width;
}

/** User-perceived characters, so a cut never splits an emoji or a combining accent. */
export function graphemes(text: string): string[] {
  if (printableAscii.test(text)) return text.split('');
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(graphemeSegmenter.segment(text), (s) => s.segment);
}

/** Cuts `text` into pieces of at most `width` columns (a single grapheme wider than that stays whole). */
export function chopToWidth(text: string, width: number): string[] {
  if (printableAscii.test(text)) {
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += width) pieces.push(text.slice(i, i + width));
    return pieces;
  }
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  for (const g of graphemes(text)) {
    const w = displayWidth(g);
    if (used + w > width && piece) {
      pieces.push(piece);
      piece = '';
      used = 0;
    }
    piece += g;
    used += w;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/** Splits `text` into a head of at most `room` columns and the rest (reads only as far as needed). */
export function splitAtWidth(text: string, room: number): [string, string] {
  if (printableAscii.test(text)) return [text.slice(0, room), text.slice(room)];
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let used = 0;
  for (const { segment, index } of graphemeSegmenter.segment(text)) {
    used += displayWidth(segment);
    if (used > room) return [text.slice(0, index), text.slice(index)];
  }
  return [text, ''];
}

/** `text` cut to `width` columns with a trailing `…` when it did not fit. */
export function truncateToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 1) return width === 1 ? '…' : '';
  return `${chopToWidth(text, width - 1)[0] ?? ''}…`;
}

/** Replaces tabs by spaces up to the next multiple of `tabSize` (terminals disagree on tab stops). */
export function expandTabs(line: string, tabSize = 4): string {
  if (!line.includes('\t')) return line;
  let out = '';
  let column = 0;
  for (const part of line.split(/(\t)/)) {
    if (part === '\t') {
      const pad = tabSize - (column % tabSize);
      out += ' '.repeat(pad);
      column += pad;
    } else {
      out += part;
      column += displayWidth(part);
    }
  }
  return out;
}
