import type { Span } from './md-style.ts';
import { chopToWidth, displayWidth, graphemes, splitAtWidth } from './md-width.ts';

const printableAscii = /^[\x20-\x7e]*$/;

/**
 * Word-wraps styled prose to `width` columns. Runs of spaces collapse to one, `\n` forces a
 * break, and a word longer than a whole line (a URL, a hash) is cut across lines.
 */
export function wrapSpans(spans: readonly Span[], width: number): Span[][] {
  const lines: Span[][] = [];
  let line: Span[] = [];
  let lineWidth = 0;
  let word: Span[] = [];
  let wordWidth = 0;
  let gapStyle: number | undefined;

  const endLine = () => {
    lines.push(line);
    line = [];
    lineWidth = 0;
  };
  // Same-style neighbours are merged, so a plain paragraph becomes one span per line.
  const append = (text: string, style: number, textWidth: number) => {
    const last = line.at(-1);
    if (last && last.style === style) last.text += text;
    else line.push({ text, style });
    lineWidth += textWidth;
  };
  const cutLongWord = () => {
    for (const span of word) {
      let rest = span.text;
      if (lineWidth < width) {
        const [head, tail] = splitAtWidth(rest, width - lineWidth);
        if (head) append(head, span.style, displayWidth(head));
        rest = tail;
      }
      if (!rest) continue;
      for (const piece of chopToWidth(rest, width)) {
        endLine();
        append(piece, span.style, displayWidth(piece));
      }
    }
  };
  const placeWord = () => {
    if (word.length === 0) return;
    const gap = lineWidth > 0 && gapStyle !== undefined ? 1 : 0;
    if (lineWidth + gap + wordWidth > width) {
      if (lineWidth > 0) endLine();
      if (wordWidth > width) cutLongWord();
    } else if (gap) {
      append(' ', gapStyle ?? 0, 1);
    }
    if (wordWidth <= width) {
      for (const span of word) append(span.text, span.style, 0);
      lineWidth += wordWidth;
    }
    word = [];
    wordWidth = 0;
    gapStyle = undefined;
  };

  for (const span of spans) {
    const text = span.text;
    const ascii = printableAscii.test(text);
    let i = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        placeWord();
        endLine();
        i++;
      } else if (c === 32) {
        placeWord();
        gapStyle = span.style;
        while (text.charCodeAt(i) === 32) i++;
      } else {
        let end = i + 1;
        while (end < text.length && text.charCodeAt(end) !== 32 && text.charCodeAt(end) !== 10) end++;
        const part = text.slice(i, end);
        word.push({ text: part, style: span.style });
        wordWidth += ascii ? part.length : displayWidth(part);
        i = end;
      }
    }
  }
  placeWord();
  if (line.length > 0 || lines.length === 0) lines.push(line);
  return lines;
}

const breakAfter = new Set([' ', ',', ';', '(', '[', '{', '<', '>', '|', '&']);

/**
 * Wraps one line of code to `width` columns keeping its spacing. A break goes after a space or a
 * separator in the second half of the line when there is one, so tokens are rarely cut.
 */
export function wrapCodeLine(spans: readonly Span[], width: number): Span[][] {
  const flat = spans.map((s) => s.text).join('');
  if (displayWidth(flat) <= width) return [spans.slice()];
  const units = printableAscii.test(flat) ? flat.split('') : graphemes(flat);
  const cuts: number[] = [];
  let start = 0;
  let offset = 0;
  const offsets = new Int32Array(units.length + 1);
  for (let i = 0; i < units.length; i++) {
    offsets[i] = offset;
    offset += units[i]!.length;
  }
  offsets[units.length] = offset;
  while (start < units.length) {
    let end = start;
    let used = 0;
    while (end < units.length) {
      const w = displayWidth(units[end]!);
      if (used + w > width && end > start) break;
      used += w;
      end++;
    }
    if (end >= units.length) break;
    let cut = end;
    const earliest = start + Math.ceil((end - start) / 2);
    for (let k = end; k > earliest; k--) {
      if (breakAfter.has(units[k - 1]!) || units[k] === '.') {
        cut = k;
        break;
      }
    }
    cuts.push(offsets[cut]!);
    start = cut;
  }
  return splitSpansAt(spans, cuts);
}

/** Splits spans at ascending character offsets of their joined text, in one pass. */
function splitSpansAt(spans: readonly Span[], cuts: readonly number[]): Span[][] {
  const lines: Span[][] = [[]];
  let cutIndex = 0;
  let position = 0;
  for (const span of spans) {
    let text = span.text;
    while (cutIndex < cuts.length && cuts[cutIndex]! < position + text.length) {
      const at = cuts[cutIndex]! - position;
      if (at > 0) lines.at(-1)!.push({ text: text.slice(0, at), style: span.style });
      lines.push([]);
      text = text.slice(at);
      position += at;
      cutIndex++;
    }
    if (text) lines.at(-1)!.push({ text, style: span.style });
    position += text.length;
  }
  return lines;
}
