/**
 * Styles as bit flags plus a foreground colour (an SGR code in bits 8–15), so combining the
 * styles of nested markdown (a link inside bold text) is a bitwise OR.
 */
export const BOLD = 1;
export const DIM = 2;
export const ITALIC = 4;
export const UNDERLINE = 8;
export const STRIKE = 16;

const colorShift = 8;
const colorMask = 0xff << colorShift;

export const fg = {
  red: 31 << colorShift,
  green: 32 << colorShift,
  yellow: 33 << colorShift,
  blue: 34 << colorShift,
  magenta: 35 << colorShift,
  cyan: 36 << colorShift,
  gray: 90 << colorShift,
} as const;

/** A run of text with one style. */
export interface Span {
  text: string;
  style: number;
}

/** Adds `extra` to `style`; a colour in `extra` replaces the one in `style`. */
export function withStyle(style: number, extra: number): number {
  return extra & colorMask ? (style & ~colorMask) | extra : style | extra;
}

const attributeCodes = [
  [ITALIC, 3, 23],
  [UNDERLINE, 4, 24],
  [STRIKE, 9, 29],
] as const;

/**
 * Wraps text in SGR open/close codes. Each attribute is closed with its own code (22, 23, 24, 29,
 * 39) rather than a full reset, so a surrounding style set by the UI survives.
 */
export function paint(text: string, style: number, color: boolean): string {
  if (!color || style === 0 || text === '') return text;
  const [open, close] = sgrFor(style);
  return open + text + close;
}

const sgrCache = new Map<number, readonly [string, string]>();

function sgrFor(style: number): readonly [string, string] {
  const cached = sgrCache.get(style);
  if (cached) return cached;
  const open: number[] = [];
  const close: number[] = [];
  if (style & (BOLD | DIM)) close.push(22);
  if (style & BOLD) open.push(1);
  if (style & DIM) open.push(2);
  for (const [flag, on, off] of attributeCodes) {
    if (style & flag) {
      open.push(on);
      close.push(off);
    }
  }
  const colour = (style & colorMask) >> colorShift;
  if (colour) {
    open.push(colour);
    close.push(39);
  }
  const codes = [`\u001b[${open.join(';')}m`, `\u001b[${close.join(';')}m`] as const;
  sgrCache.set(style, codes);
  return codes;
}

/** One terminal line from spans, merging neighbours of the same style. */
export function paintSpans(spans: readonly Span[], color: boolean): string {
  if (!color) return spans.map((s) => s.text).join('');
  let out = '';
  let text = '';
  let style = 0;
  for (const span of spans) {
    if (span.style !== style && text) {
      out += paint(text, style, true);
      text = '';
    }
    style = span.style;
    text += span.text;
  }
  return out + paint(text, style, true);
}

/** Splits spans at newlines into one span list per line. */
export function splitSpanLines(spans: readonly Span[]): Span[][] {
  const lines: Span[][] = [[]];
  for (const span of spans) {
    if (!span.text.includes('\n')) {
      lines.at(-1)!.push(span);
      continue;
    }
    span.text.split('\n').forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part) lines.at(-1)!.push({ text: part, style: span.style });
    });
  }
  return lines;
}
