/**
 * Character-level normalisation that remembers where every output character came from, so a match
 * found in normalised text can be mapped back to the exact region of the original file.
 */

export interface NormalizeOptions {
  /** CRLF → LF. */
  eol: boolean;
  /** Drop spaces and tabs before a line break and at the end of the text. */
  trailing: boolean;
  /** Smart quotes, dashes, exotic spaces and the ellipsis → ASCII; zero-width characters dropped. */
  unicode: boolean;
}

export interface Normalized {
  text: string;
  /** from[k] / to[k]: the original span that produced normalised character k. */
  from: number[];
  to: number[];
  /** True when trailing whitespace was dropped at the very end of the text. */
  endStripped: boolean;
}

const UNICODE_MAP: ReadonlyMap<string, string> = new Map([
  ['\u2018', "'"],
  ['\u2019', "'"],
  ['\u201A', "'"],
  ['\u201B', "'"],
  ['\u201C', '"'],
  ['\u201D', '"'],
  ['\u201E', '"'],
  ['\u201F', '"'],
  ['\u2010', '-'],
  ['\u2011', '-'],
  ['\u2012', '-'],
  ['\u2013', '-'],
  ['\u2014', '-'],
  ['\u2015', '-'],
  ['\u2212', '-'],
  ['\u00A0', ' '],
  ['\u2000', ' '],
  ['\u2001', ' '],
  ['\u2002', ' '],
  ['\u2003', ' '],
  ['\u2004', ' '],
  ['\u2005', ' '],
  ['\u2006', ' '],
  ['\u2007', ' '],
  ['\u2008', ' '],
  ['\u2009', ' '],
  ['\u200A', ' '],
  ['\u202F', ' '],
  ['\u2026', '...'],
  ['\u200B', ''],
  ['\u2060', ''],
  ['\uFEFF', ''],
]);

/** Unicode punctuation normalisation of a single string, without an offset map. */
export function normalizeUnicode(text: string): string {
  let out = '';
  for (const ch of text) out += UNICODE_MAP.get(ch) ?? ch;
  return out;
}

export function hasUnicodeLookalikes(text: string): boolean {
  for (const ch of text) if (UNICODE_MAP.has(ch)) return true;
  return false;
}

export function normalize(src: string, opts: NormalizeOptions): Normalized {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  // Whitespace run not yet known to be trailing: [char, start, end] triples.
  let pending: Array<[string, number, number]> = [];
  const emit = (ch: string, start: number, end: number): void => {
    text += ch;
    from.push(start);
    to.push(end);
  };
  const flush = (): void => {
    for (const [ch, start, end] of pending) emit(ch, start, end);
    pending = [];
  };

  let i = 0;
  while (i < src.length) {
    let ch = src.charAt(i);
    let end = i + 1;
    if (opts.eol && ch === '\r' && src.charAt(i + 1) === '\n') {
      ch = '\n';
      end = i + 2;
    } else if (opts.unicode) {
      ch = UNICODE_MAP.get(ch) ?? ch;
    }
    if (ch === '\n') {
      if (opts.trailing) pending = [];
      else flush();
      emit('\n', i, end);
    } else if (opts.trailing && (ch === ' ' || ch === '\t')) {
      pending.push([ch, i, end]);
    } else if (ch !== '') {
      flush();
      for (const c of ch) emit(c, i, end);
    }
    i = end;
  }
  const endStripped = pending.length > 0;
  if (!opts.trailing) flush();
  return { text, from, to, endStripped };
}

/**
 * Lookalike characters present in the model's text but absent from the file text it matched: the
 * model's copy was typographically mangled, and its new_string almost certainly is too.
 */
export function foreignLookalikes(modelText: string, fileText: string): Set<string> {
  const chars = new Set<string>();
  for (const ch of modelText) if (UNICODE_MAP.has(ch) && !fileText.includes(ch)) chars.add(ch);
  return chars;
}

export function replaceLookalikes(text: string, chars: ReadonlySet<string>): string {
  if (chars.size === 0) return text;
  let out = '';
  for (const ch of text) out += chars.has(ch) ? (UNICODE_MAP.get(ch) ?? ch) : ch;
  return out;
}
