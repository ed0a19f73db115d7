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
  from: Int32Array;
  to: Int32Array;
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

const UNICODE_BY_CODE: ReadonlyMap<number, string> = new Map(
  [...UNICODE_MAP].map(([from, to]) => [from.charCodeAt(0), to]),
);
const LOOKALIKE = new RegExp(`[${[...UNICODE_MAP.keys()].join('')}]`);

export function hasUnicodeLookalikes(text: string): boolean {
  return LOOKALIKE.test(text);
}

/** Unicode punctuation normalisation of a single string, without an offset map. */
export function normalizeUnicode(text: string): string {
  if (!LOOKALIKE.test(text)) return text;
  let out = '';
  for (const ch of text) out += UNICODE_MAP.get(ch) ?? ch;
  return out;
}

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LF = 10;

function decode(codes: Uint16Array, length: number): string {
  let text = '';
  for (let i = 0; i < length; i += 8192) {
    text += String.fromCharCode(...codes.subarray(i, Math.min(length, i + 8192)));
  }
  return text;
}

export function normalize(src: string, opts: NormalizeOptions): Normalized {
  // Only the ellipsis expands (to three characters); size the buffers for that worst case.
  let capacity = src.length;
  if (opts.unicode)
    for (let i = src.indexOf('\u2026'); i !== -1; i = src.indexOf('\u2026', i + 1)) capacity += 2;
  const codes = new Uint16Array(capacity);
  const from = new Int32Array(capacity);
  const to = new Int32Array(capacity);
  let n = 0;
  // Output index where the current run of spaces/tabs began, or -1 after any other character.
  let blankRun = -1;

  let i = 0;
  while (i < src.length) {
    const code = src.charCodeAt(i);
    let end = i + 1;
    let out: number | string = code;
    if (opts.eol && code === CR && src.charCodeAt(i + 1) === LF) {
      out = LF;
      end = i + 2;
    } else if (opts.unicode && code >= 0xa0) {
      out = UNICODE_BY_CODE.get(code) ?? code;
    }
    if (out === LF && opts.trailing && blankRun !== -1) n = blankRun;
    if (typeof out === 'number') {
      codes[n] = out;
      from[n] = i;
      to[n] = end;
      n++;
      blankRun = out === SPACE || out === TAB ? (blankRun === -1 ? n - 1 : blankRun) : -1;
    } else {
      for (let k = 0; k < out.length; k++) {
        codes[n] = out.charCodeAt(k);
        from[n] = i;
        to[n] = end;
        n++;
      }
      if (out.length > 0) blankRun = out === ' ' ? (blankRun === -1 ? n - 1 : blankRun) : -1;
    }
    i = end;
  }
  const endStripped = opts.trailing && blankRun !== -1;
  if (endStripped) n = blankRun;
  return { text: decode(codes, n), from: from.subarray(0, n), to: to.subarray(0, n), endStripped };
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
