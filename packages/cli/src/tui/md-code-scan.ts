/**
 * A small table-driven tokenizer for C-like, Python-like and SQL-like languages: comments,
 * strings, numbers and identifiers classified by keyword sets. It never backtracks, so highlighting
 * is linear in the code size and an unterminated string or comment (a block still streaming) just
 * runs to the end.
 */

export type TokenKind =
  | 'plain'
  | 'keyword'
  | 'string'
  | 'comment'
  | 'number'
  | 'constant'
  | 'type'
  | 'function'
  | 'property'
  | 'tag'
  | 'attribute'
  | 'variable'
  | 'meta'
  | 'heading'
  | 'inserted'
  | 'deleted';

export interface Token {
  text: string;
  kind: TokenKind;
}

/** Collects tokens, merging neighbours of one kind so renderers get few spans. */
export class TokenList {
  readonly tokens: Token[] = [];
  /** Last token that is not whitespace or a comment (decides what `<` means in JSX). */
  lastSignificant: Token | undefined;

  push(text: string, kind: TokenKind): void {
    if (!text) return;
    const last = this.tokens.at(-1);
    if (last && last.kind === kind) last.text += text;
    else this.tokens.push({ text, kind });
    if (kind !== 'comment' && text.trim()) this.lastSignificant = { text: text.trim(), kind };
  }
}

export interface DelimitedString {
  open: string;
  close: string;
  /** Backslash escapes the next character. */
  escape: boolean;
  multiline: boolean;
  kind?: TokenKind;
}

interface PatternRule {
  /** Sticky (`y`) regular expression tried where its first character appears. */
  pattern: RegExp;
  first: string;
  kind: TokenKind;
}

export interface LanguageSpec {
  lineComments?: readonly string[];
  blockComments?: readonly (readonly [string, string])[];
  /** Longer openers first (`"""` before `"`). */
  strings: readonly DelimitedString[];
  /** Tried before everything else: raw strings, lifetimes, preprocessor lines, variables. */
  patterns?: readonly PatternRule[];
  keywords: ReadonlySet<string>;
  types?: ReadonlySet<string>;
  constants?: ReadonlySet<string>;
  /** Capitalised identifiers (`HttpClient`) are types, all-caps ones (`MAX_SIZE`) constants. */
  capitalizedTypes?: boolean;
  caseInsensitive?: boolean;
  /** `@name` is an annotation or decorator. */
  annotations?: boolean;
  /** Python-style string prefixes (`f"…"`, `rb'…'`). */
  stringPrefixes?: RegExp;
  /** `<Name` after an operator starts a JSX tag. */
  jsx?: boolean;
  /** A string followed by `:` is a key (JSON). */
  keyStrings?: boolean;
}

const whitespace = /\s+/y;
const identifier = /[A-Za-z_$][\w$]*/y;
const number =
  /(?:0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.\d[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)(?:[A-Za-z_]\w*)?/y;
const jsxTag = /<\/?[A-Za-z][\w.:-]*/y;
const keyAfterString = /\s*:/y;
const jsxContext = new Set(['(', ',', '=', ':', '?', '&&', '||', '{', '[', ';', '>', '}', 'return', '=>']);

/** Reads a sticky pattern at `pos`; the match text or undefined. */
export function readAt(pattern: RegExp, code: string, pos: number): string | undefined {
  pattern.lastIndex = pos;
  return pattern.exec(code)?.[0];
}

/** End of a delimited string starting at `pos` (after its opener), or the code's end when open. */
function stringEnd(code: string, from: number, rule: DelimitedString): number {
  let i = from;
  while (i < code.length) {
    const c = code[i]!;
    if (rule.escape && c === '\\') {
      i += 2;
      continue;
    }
    if (!rule.multiline && c === '\n') return i;
    if (code.startsWith(rule.close, i)) return i + rule.close.length;
    i++;
  }
  return code.length;
}

function classify(word: string, spec: LanguageSpec, next: string | undefined): TokenKind {
  const key = spec.caseInsensitive ? word.toLowerCase() : word;
  if (spec.keywords.has(key)) return 'keyword';
  if (spec.constants?.has(key)) return 'constant';
  if (spec.types?.has(key)) return 'type';
  if (next === '(' || next === '!') return 'function';
  if (spec.capitalizedTypes && word.length > 1 && /^[A-Z]/.test(word)) {
    return /[a-z]/.test(word) ? 'type' : 'constant';
  }
  return 'plain';
}

/** Tokenizes `code` by `spec` into `out` from `start` to `end`. */
export function scanWithSpec(
  code: string,
  spec: LanguageSpec,
  out: TokenList,
  start = 0,
  end = code.length,
): void {
  let pos = start;
  scan: while (pos < end) {
    const c = code[pos]!;
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') {
      const run = readAt(whitespace, code, pos)!;
      out.push(run, 'plain');
      pos += run.length;
      continue;
    }
    for (const rule of spec.patterns ?? []) {
      if (!rule.first.includes(c)) continue;
      const match = readAt(rule.pattern, code, pos);
      if (match) {
        out.push(match, rule.kind);
        pos += match.length;
        continue scan;
      }
    }
    for (const [open, close] of spec.blockComments ?? []) {
      if (!code.startsWith(open, pos)) continue;
      const closeAt = code.indexOf(close, pos + open.length);
      const stop = closeAt < 0 ? end : Math.min(end, closeAt + close.length);
      out.push(code.slice(pos, stop), 'comment');
      pos = stop;
      continue scan;
    }
    for (const marker of spec.lineComments ?? []) {
      if (!code.startsWith(marker, pos)) continue;
      const newline = code.indexOf('\n', pos);
      const stop = newline < 0 || newline > end ? end : newline;
      out.push(code.slice(pos, stop), 'comment');
      pos = stop;
      continue scan;
    }
    for (const rule of spec.strings) {
      if (!code.startsWith(rule.open, pos)) continue;
      pos = pushString(code, pos, pos + rule.open.length, rule, spec, out, end);
      continue scan;
    }
    if ((c >= '0' && c <= '9') || (c === '.' && code[pos + 1]! >= '0' && code[pos + 1]! <= '9')) {
      const digits = readAt(number, code, pos) ?? c;
      out.push(digits, 'number');
      pos += digits.length;
      continue;
    }
    const word = readAt(identifier, code, pos);
    if (word) {
      const quote = code[pos + word.length];
      const prefixed =
        spec.stringPrefixes?.test(word) &&
        spec.strings.find((r) => code.startsWith(r.open, pos + word.length));
      if (prefixed && quote) {
        pos = pushString(code, pos, pos + word.length + prefixed.open.length, prefixed, spec, out, end);
        continue;
      }
      out.push(word, classify(word, spec, quote));
      pos += word.length;
      continue;
    }
    if (c === '@' && spec.annotations) {
      const name = readAt(identifier, code, pos + 1);
      if (name) {
        out.push(`@${name}`, 'meta');
        pos += name.length + 1;
        continue;
      }
    }
    if (c === '<' && spec.jsx && (!out.lastSignificant || jsxContext.has(out.lastSignificant.text))) {
      const tag = readAt(jsxTag, code, pos);
      if (tag) {
        out.push(tag, 'tag');
        pos += tag.length;
        continue;
      }
    }
    out.push(c, 'plain');
    pos++;
  }
}

function pushString(
  code: string,
  start: number,
  bodyStart: number,
  rule: DelimitedString,
  spec: LanguageSpec,
  out: TokenList,
  end: number,
): number {
  const stop = Math.min(end, stringEnd(code, bodyStart, rule));
  const isKey = spec.keyStrings && readAt(keyAfterString, code, stop) !== undefined;
  out.push(code.slice(start, stop), isKey ? 'property' : (rule.kind ?? 'string'));
  return stop;
}
