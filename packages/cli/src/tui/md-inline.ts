import { BOLD, DIM, fg, ITALIC, type Span, STRIKE, UNDERLINE, withStyle } from './md-style.ts';

/** How inline elements look; the code span's backticks stay visible (dim) so plain output keeps them. */
const inlineStyles = {
  code: fg.cyan,
  codeTick: DIM,
  link: UNDERLINE | fg.blue,
  url: DIM,
} as const;

export interface InlineOptions {
  /**
   * The text is the end of a message that may still be streaming: an emphasis, code span or link
   * left open at the end is shown as if it were closed, instead of flashing raw `**` markers.
   */
  tail: boolean;
}

interface Node {
  text: string;
  style: number;
}

interface Delimiter {
  node: number;
  char: string;
  count: number;
  original: number;
  canOpen: boolean;
  canClose: boolean;
  /** Source offset just after the run. */
  end: number;
  prev: number;
  next: number;
  removed: boolean;
}

interface Bracket {
  node: number;
  image: boolean;
  delimiterBottom: number;
}

// Counted, not boolean, because emphasis nests (`*a **b** c*`) and closes independently.
const BOLD_COUNTER = 0;
const ITALIC_COUNTER = 1;
const STRIKE_COUNTER = 2;
const LINK_COUNTER = 3;
const counterStyles = [BOLD, ITALIC, STRIKE, inlineStyles.link];

const special = /[\\`*_~[\]!<\n]|(?<![\w/])https?:\/\//g;
const asciiPunctuation = /^[!-/:-@[-`{-~]$/;
const unicodeWhitespace = /\s/;
const unicodePunctuation = /[\p{P}\p{S}]/u;
const letterOrDigit = /[\p{L}\p{N}`]/u;
const inlineLinkTail =
  /\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\)/y;
const autolink = /<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>/y;
const bareUrl = /https?:\/\/[^\s<>[\]()`"']*[^\s<>[\]()`"'?!.,:;*_~]/y;

const none: readonly number[] = [];
const isSpace = (c: string | undefined) => c === undefined || unicodeWhitespace.test(c);
const isPunct = (c: string | undefined) => c !== undefined && unicodePunctuation.test(c);

/** Parses CommonMark + GFM inline syntax into styled spans (`\n` in the result is a hard break). */
export function parseInline(text: string, options: InlineOptions): Span[] {
  return new InlineParser(text, options.tail).parse();
}

class InlineParser {
  readonly text: string;
  readonly tail: boolean;
  readonly nodes: Node[] = [];
  readonly delimiters: Delimiter[] = [];
  readonly brackets: Bracket[] = [];
  readonly opensAfter = new Map<number, number[]>();
  readonly closesBefore = new Map<number, number[]>();
  /** Per backtick-run length, a position after which no closing run exists (avoids rescans). */
  readonly noCloserAfter = new Map<number, number>();
  lastDelimiter = -1;
  /** `[` openers (not `![`) below this stack index are inactive. */
  inactiveBelow = 0;

  constructor(text: string, tail: boolean) {
    this.text = text;
    this.tail = tail;
  }

  parse(): Span[] {
    const text = this.text;
    let plainStart = 0;
    let i = 0;
    while (i < text.length) {
      special.lastIndex = i;
      const match = special.exec(text);
      if (!match) break;
      const at = match.index;
      this.pushText(text.slice(plainStart, at));
      const consumed = this.special(at, match[0]);
      // Not a construct after all: the character stays in the next run of plain text.
      plainStart = consumed > 0 ? at + consumed : at;
      i = consumed > 0 ? at + consumed : at + 1;
    }
    this.pushText(text.slice(plainStart));
    this.processEmphasis(0);
    if (this.tail) this.closeDanglingOpeners();
    return this.toSpans();
  }

  pushText(text: string, style = 0): number {
    if (text) this.nodes.push({ text, style });
    return this.nodes.length - 1;
  }

  /** Handles the construct at `at`; returns how many characters it consumed (0: it is plain text). */
  special(at: number, found: string): number {
    const text = this.text;
    switch (found) {
      case '\\': {
        const next = text[at + 1];
        if (next === '\n') return this.lineBreak(at + 1, true) + 1;
        if (next !== undefined && asciiPunctuation.test(next)) {
          this.pushText(next);
          return 2;
        }
        return 0;
      }
      case '`':
        return this.codeSpan(at);
      case '*':
      case '_':
      case '~':
        return this.delimiterRun(at, found);
      case '[':
        this.openBracket(this.pushText('['), false);
        return 1;
      case '!':
        if (text[at + 1] !== '[') return 0;
        this.openBracket(this.pushText('!['), true);
        return 2;
      case ']':
        return this.closeBracket(at);
      case '<':
        return this.autolink(at);
      case '\n':
        return this.lineBreak(at, false);
      default:
        return this.bareUrl(at);
    }
  }

  lineBreak(at: number, backslash: boolean): number {
    const last = this.nodes.at(-1);
    let hard = backslash;
    if (last && last.style === 0) {
      hard ||= last.text.endsWith('  ');
      last.text = last.text.trimEnd();
    }
    this.pushText(hard ? '\n' : ' ');
    let end = at + 1;
    while (this.text[end] === ' ') end++;
    return end - at;
  }

  codeSpan(at: number): number {
    const text = this.text;
    let run = 1;
    while (text[at + run] === '`') run++;
    const fence = '`'.repeat(run);
    let close = -1;
    const searchedFrom = this.noCloserAfter.get(run);
    if (searchedFrom === undefined || at < searchedFrom) {
      for (let from = text.indexOf(fence, at + run); from >= 0; from = text.indexOf(fence, from)) {
        let end = from + run;
        while (text[end] === '`') end++;
        if (end - from === run) {
          close = from;
          break;
        }
        from = end;
      }
      if (close < 0) this.noCloserAfter.set(run, at);
    }
    if (close < 0 && !this.tail) {
      this.pushText(fence);
      return run;
    }
    const end = close < 0 ? text.length : close;
    let content = text.slice(at + run, end).replace(/\n/g, ' ');
    if (content.length > 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim()) {
      content = content.slice(1, -1);
    }
    this.pushText('`', inlineStyles.codeTick);
    this.pushText(content, inlineStyles.code);
    if (close >= 0) this.pushText('`', inlineStyles.codeTick);
    return end - at + (close < 0 ? 0 : run);
  }

  delimiterRun(at: number, char: string): number {
    const text = this.text;
    let run = 1;
    while (text[at + run] === char) run++;
    const node = this.pushText(char.repeat(run));
    if (char === '~' && run !== 2) return run;
    const before = text[at - 1];
    const after = text[at + run];
    const leftFlanking = !isSpace(after) && (!isPunct(after) || isSpace(before) || isPunct(before));
    const rightFlanking = !isSpace(before) && (!isPunct(before) || isSpace(after) || isPunct(after));
    const canOpen = char === '_' ? leftFlanking && (!rightFlanking || isPunct(before)) : leftFlanking;
    const canClose = char === '_' ? rightFlanking && (!leftFlanking || isPunct(after)) : rightFlanking;
    if (!canOpen && !canClose) return run;
    const index = this.delimiters.length;
    this.delimiters.push({
      node,
      char,
      count: run,
      original: run,
      canOpen,
      canClose,
      end: at + run,
      prev: this.lastDelimiter,
      next: -1,
      removed: false,
    });
    if (this.lastDelimiter >= 0) this.delimiters[this.lastDelimiter]!.next = index;
    this.lastDelimiter = index;
    return run;
  }

  openBracket(node: number, image: boolean): void {
    this.brackets.push({ node, image, delimiterBottom: this.delimiters.length });
  }

  closeBracket(at: number): number {
    const bracket = this.brackets.pop();
    if (!bracket) return 0;
    const index = this.brackets.length;
    const inactive = !bracket.image && index < this.inactiveBelow;
    this.inactiveBelow = Math.min(this.inactiveBelow, index);
    if (inactive) return 0;
    let url: string | undefined;
    let consumed = 1;
    inlineLinkTail.lastIndex = at + 1;
    const link = inlineLinkTail.exec(this.text);
    if (link) {
      url = (link[1] ?? '').replace(/^<|>$/g, '');
      consumed += link[0].length;
    } else if (this.tail && this.text[at + 1] === '(' && !/[\s)]/.test(this.text.slice(at + 2))) {
      url = this.text.slice(at + 2);
      consumed = this.text.length - at;
    }
    if (url === undefined) return 0;

    const opener = this.nodes[bracket.node]!;
    let label = '';
    for (let n = bracket.node + 1; n < this.nodes.length; n++) label += this.nodes[n]!.text;
    opener.text = bracket.image ? 'image: ' : '';
    opener.style = bracket.image ? DIM : 0;
    this.processEmphasis(bracket.delimiterBottom);
    this.addStyleEvent(this.opensAfter, bracket.node, LINK_COUNTER);
    this.nodes.push({ text: '', style: 0 });
    const closer = this.nodes.length - 1;
    this.addStyleEvent(this.closesBefore, closer, LINK_COUNTER);
    if (url && url !== label) this.pushText(` (${url})`, inlineStyles.url);
    // CommonMark: no links inside links, so a link deactivates the `[` openers before it.
    if (!bracket.image) this.inactiveBelow = this.brackets.length;
    return consumed;
  }

  autolink(at: number): number {
    autolink.lastIndex = at;
    const match = autolink.exec(this.text);
    if (!match) return 0;
    this.pushText(match[1]!, inlineStyles.link);
    return match[0].length;
  }

  bareUrl(at: number): number {
    bareUrl.lastIndex = at;
    const match = bareUrl.exec(this.text);
    if (!match) return 0;
    this.pushText(match[0], inlineStyles.link);
    return match[0].length;
  }

  addStyleEvent(events: Map<number, number[]>, node: number, counter: number): void {
    const list = events.get(node);
    if (list) list.push(counter);
    else events.set(node, [counter]);
  }

  removeDelimiter(index: number): void {
    const d = this.delimiters[index]!;
    d.removed = true;
    if (d.prev >= 0) this.delimiters[d.prev]!.next = d.next;
    if (d.next >= 0) this.delimiters[d.next]!.prev = d.prev;
    if (this.lastDelimiter === index) this.lastDelimiter = d.prev;
  }

  /** CommonMark's "process emphasis" over the delimiters from index `bottom` on. */
  processEmphasis(bottom: number): void {
    const delimiters = this.delimiters;
    const openersBottom = new Map<string, number>();
    let current = bottom;
    while (current < delimiters.length && delimiters[current]!.removed) current++;
    if (current >= delimiters.length) current = -1;
    while (current >= 0) {
      const closer = delimiters[current]!;
      if (!closer.canClose) {
        current = closer.next;
        continue;
      }
      const key = `${closer.char}${closer.canOpen ? 1 : 0}${closer.original % 3}`;
      const floor = Math.max(openersBottom.get(key) ?? bottom - 1, bottom - 1);
      let openerIndex = closer.prev;
      while (openerIndex > floor) {
        const opener = delimiters[openerIndex]!;
        if (opener.char === closer.char && opener.canOpen && !this.ruleOfThree(opener, closer)) break;
        openerIndex = opener.prev;
      }
      if (openerIndex <= floor) {
        openersBottom.set(key, closer.prev);
        const next = closer.next;
        if (!closer.canOpen) this.removeDelimiter(current);
        current = next;
        continue;
      }
      const opener = delimiters[openerIndex]!;
      const use = closer.char === '~' ? 2 : opener.count >= 2 && closer.count >= 2 ? 2 : 1;
      const counter = closer.char === '~' ? STRIKE_COUNTER : use === 2 ? BOLD_COUNTER : ITALIC_COUNTER;
      this.addStyleEvent(this.opensAfter, opener.node, counter);
      this.addStyleEvent(this.closesBefore, closer.node, counter);
      opener.count -= use;
      closer.count -= use;
      this.nodes[opener.node]!.text = opener.char.repeat(opener.count);
      this.nodes[closer.node]!.text = closer.char.repeat(closer.count);
      for (let between = opener.next; between !== current; between = delimiters[between]!.next) {
        this.removeDelimiter(between);
      }
      if (opener.count === 0) this.removeDelimiter(openerIndex);
      if (closer.count === 0) {
        const next = closer.next;
        this.removeDelimiter(current);
        current = next;
      }
    }
    // Inside a link the leftovers become literal; at the top level they stay for the tail check.
    if (bottom > 0) {
      for (let i = bottom; i < delimiters.length; i++) if (!delimiters[i]!.removed) this.removeDelimiter(i);
    }
  }

  /** CommonMark's rule of three: in `*foo**bar*` the `**` must not close the first `*`. */
  ruleOfThree(opener: Delimiter, closer: Delimiter): boolean {
    if (closer.char === '~') return false;
    return (
      (opener.canClose || closer.canOpen) &&
      (opener.original + closer.original) % 3 === 0 &&
      !(opener.original % 3 === 0 && closer.original % 3 === 0)
    );
  }

  /**
   * At the streaming tail, a run that can only open (`**bo`) starts its style now; a lone
   * marker at the very end (`text **`) is hidden, since its next character has not arrived yet.
   */
  closeDanglingOpeners(): void {
    const text = this.text;
    for (let i = this.lastDelimiter; i >= 0; i = this.delimiters[i]!.prev) {
      const d = this.delimiters[i]!;
      if (!d.canOpen || d.canClose || d.count === 0) continue;
      if (!letterOrDigit.test(text[d.end] ?? '')) continue;
      const counters =
        d.char === '~'
          ? [STRIKE_COUNTER]
          : d.count >= 3
            ? [BOLD_COUNTER, ITALIC_COUNTER]
            : [d.count === 2 ? BOLD_COUNTER : ITALIC_COUNTER];
      for (const counter of counters) this.addStyleEvent(this.opensAfter, d.node, counter);
      this.nodes[d.node]!.text = '';
    }
    const last = this.nodes.at(-1);
    if (last && /^[*_~]+$/.test(last.text) && text.endsWith(last.text)) {
      const before = text[text.length - last.text.length - 1];
      if (isSpace(before)) last.text = '';
    }
  }

  toSpans(): Span[] {
    const counts = [0, 0, 0, 0];
    const spans: Span[] = [];
    const styleNow = (base: number) => {
      let style = base;
      for (let c = 0; c < counts.length; c++) if (counts[c]! > 0) style = withStyle(style, counterStyles[c]!);
      return style;
    };
    for (let n = 0; n < this.nodes.length; n++) {
      for (const c of this.closesBefore.get(n) ?? none) counts[c] = Math.max(0, counts[c]! - 1);
      const node = this.nodes[n]!;
      if (node.text) {
        const style = styleNow(node.style);
        const last = spans.at(-1);
        if (last && last.style === style) last.text += node.text;
        else spans.push({ text: node.text, style });
      }
      for (const c of this.opensAfter.get(n) ?? none) counts[c]!++;
    }
    return spans;
  }
}
