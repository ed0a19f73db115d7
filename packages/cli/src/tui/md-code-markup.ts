import { specs } from './md-code-langs.ts';
import { readAt, scanWithSpec, type TokenList } from './md-code-scan.ts';

const htmlText = /[^<&]+/y;
const entity = /&(?:#\d+|#[xX][\da-fA-F]+|[A-Za-z]\w*);/y;
const tagOpen = /<\/?[A-Za-z][\w.:-]*/y;
const attributeName = /[^\s"'<>/=]+/y;
const unquotedValue = /[^\s>]+/y;
const spaces = /\s+/y;

/** HTML, XML, SVG: tags, attributes, entities; `<script>` and `<style>` bodies as JS and CSS. */
export function scanHtml(code: string, out: TokenList): void {
  let pos = 0;
  while (pos < code.length) {
    if (code.startsWith('<!--', pos)) {
      pos = pushUntil(code, pos, '-->', 'comment', out);
      continue;
    }
    if (code.startsWith('<![CDATA[', pos)) {
      pos = pushUntil(code, pos, ']]>', 'string', out);
      continue;
    }
    if (code.startsWith('<!', pos) || code.startsWith('<?', pos)) {
      pos = pushUntil(code, pos, '>', 'meta', out);
      continue;
    }
    const tag = readAt(tagOpen, code, pos);
    if (tag) {
      out.push(tag, 'tag');
      pos = scanAttributes(code, pos + tag.length, out);
      const name = tag.slice(1).toLowerCase();
      if (name === 'script' || name === 'style') pos = scanEmbedded(code, pos, name, out);
      continue;
    }
    const text = readAt(entity, code, pos) ?? readAt(htmlText, code, pos) ?? code[pos]!;
    out.push(text, text.startsWith('&') && text.length > 1 ? 'constant' : 'plain');
    pos += text.length;
  }
}

function pushUntil(
  code: string,
  pos: number,
  close: string,
  kind: 'comment' | 'string' | 'meta',
  out: TokenList,
) {
  const at = code.indexOf(close, pos + 2);
  const end = at < 0 ? code.length : at + close.length;
  out.push(code.slice(pos, end), kind);
  return end;
}

function scanAttributes(code: string, start: number, out: TokenList): number {
  let pos = start;
  while (pos < code.length) {
    const gap = readAt(spaces, code, pos);
    if (gap) {
      out.push(gap, 'plain');
      pos += gap.length;
      continue;
    }
    const c = code[pos]!;
    if (c === '>' || code.startsWith('/>', pos)) {
      const close = c === '>' ? '>' : '/>';
      out.push(close, 'tag');
      return pos + close.length;
    }
    if (c === '"' || c === "'") {
      const end = code.indexOf(c, pos + 1);
      const stop = end < 0 ? code.length : end + 1;
      out.push(code.slice(pos, stop), 'string');
      pos = stop;
      continue;
    }
    if (c === '=') {
      out.push('=', 'plain');
      pos++;
      const value = code[pos] === '"' || code[pos] === "'" ? undefined : readAt(unquotedValue, code, pos);
      if (value) {
        out.push(value, 'string');
        pos += value.length;
      }
      continue;
    }
    if (c === '<') return pos;
    const name = readAt(attributeName, code, pos) ?? c;
    out.push(name, 'attribute');
    pos += name.length;
  }
  return pos;
}

function scanEmbedded(code: string, start: number, name: string, out: TokenList): number {
  const close = code.toLowerCase().indexOf(`</${name}`, start);
  const end = close < 0 ? code.length : close;
  if (name === 'script') scanWithSpec(code, specs.javascript!, out, start, end);
  else scanCss(code.slice(start, end), out);
  return end;
}

const cssWord = /-?[A-Za-z_][\w-]*/y;
const cssNumber = /-?(?:\d+\.?\d*|\.\d+)(?:%|[A-Za-z]+)?/y;
const hexColor = /#[\da-fA-F]{3,8}\b/y;
const selectorPart = /[.#][\w-]+|::?[\w-]+(?:\([^)\n]*\))?/y;
const atRule = /@[\w-]+/y;
const customProperty = /--[\w-]+/y;
const declarationAhead = /^\s*:(?!:)[^;{}]*(?:[;}]|$)/;

/** CSS (and near enough SCSS/Less): selectors, properties, values, at-rules, comments. */
export function scanCss(code: string, out: TokenList): void {
  let pos = 0;
  let depth = 0;
  let inValue = false;
  while (pos < code.length) {
    const c = code[pos]!;
    const gap = readAt(spaces, code, pos);
    if (gap) {
      out.push(gap, 'plain');
      pos += gap.length;
      continue;
    }
    if (code.startsWith('/*', pos)) {
      const end = code.indexOf('*/', pos + 2);
      const stop = end < 0 ? code.length : end + 2;
      out.push(code.slice(pos, stop), 'comment');
      pos = stop;
      continue;
    }
    if (code.startsWith('//', pos) && !inValue) {
      const end = code.indexOf('\n', pos);
      const stop = end < 0 ? code.length : end;
      out.push(code.slice(pos, stop), 'comment');
      pos = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = code.indexOf(c, pos + 1);
      const stop = end < 0 ? code.length : end + 1;
      out.push(code.slice(pos, stop), 'string');
      pos = stop;
      continue;
    }
    if (c === '{' || c === '}' || c === ';') {
      depth = Math.max(0, depth + (c === '{' ? 1 : c === '}' ? -1 : 0));
      inValue = false;
      out.push(c, 'plain');
      pos++;
      continue;
    }
    const token = cssToken(code, pos, depth > 0, inValue);
    if (token.text === ':' && depth > 0) inValue = true;
    out.push(token.text, token.kind);
    pos += token.text.length;
  }
}

function cssToken(code: string, pos: number, inBlock: boolean, inValue: boolean) {
  const at = readAt(atRule, code, pos);
  if (at) return { text: at, kind: 'keyword' } as const;
  const variable = readAt(customProperty, code, pos);
  if (variable) return { text: variable, kind: 'variable' } as const;
  if (inValue) {
    const color = readAt(hexColor, code, pos);
    if (color) return { text: color, kind: 'number' } as const;
    const num = readAt(cssNumber, code, pos);
    if (num) return { text: num, kind: 'number' } as const;
    if (code.startsWith('!important', pos)) return { text: '!important', kind: 'keyword' } as const;
    const word = readAt(cssWord, code, pos);
    if (word) return { text: word, kind: code[pos + word.length] === '(' ? 'function' : 'plain' } as const;
    return { text: code[pos]!, kind: 'plain' } as const;
  }
  const word = readAt(cssWord, code, pos);
  // In a block, `color: red;` is a declaration but `a:hover {` a nested selector.
  if (word && inBlock && declarationAhead.test(code.slice(pos + word.length, pos + word.length + 200))) {
    return { text: word, kind: 'property' } as const;
  }
  if (word) return { text: word, kind: 'tag' } as const;
  const part = readAt(selectorPart, code, pos);
  if (part) return { text: part, kind: 'attribute' } as const;
  return { text: code[pos]!, kind: 'plain' } as const;
}

const fenceLine = /^ {0,3}(`{3,}|~{3,})/;
const headingLine = /^ {0,3}#{1,6}(?:\s|$)/;
const listMarkerLine = /^(\s*)([-+*]|\d{1,9}[.)])(\s)/;
const quoteLine = /^ {0,3}>/;
const markdownInline = /`[^`\n]+`|\*\*[^*\n]+\*\*|__[^_\n]+__|\[[^\]\n]*\]\([^)\n]*\)|[^`*_[]+|[\s\S]/gy;

/** Markdown source: headings, list markers, quotes, fences, code spans, emphasis, links. */
export function scanMarkdown(code: string, out: TokenList): void {
  let fence: string | undefined;
  code.split('\n').forEach((line, index) => {
    if (index > 0) out.push('\n', 'plain');
    const fenceMatch = fenceLine.exec(line);
    if (fence !== undefined || fenceMatch) {
      out.push(line, fenceMatch ? 'meta' : 'string');
      if (fenceMatch && fence === undefined) fence = fenceMatch[1]![0]!.repeat(fenceMatch[1]!.length);
      else if (fenceMatch && fence !== undefined && line.trim().startsWith(fence)) fence = undefined;
      return;
    }
    if (headingLine.test(line)) {
      out.push(line, 'heading');
      return;
    }
    let rest = line;
    const marker = listMarkerLine.exec(line) ?? (quoteLine.test(line) ? /^ {0,3}>/.exec(line) : null);
    if (marker) {
      out.push(marker[0], 'keyword');
      rest = line.slice(marker[0].length);
    }
    for (const [piece] of rest.matchAll(markdownInline)) {
      const kind = piece.startsWith('`')
        ? 'string'
        : piece.startsWith('**') || piece.startsWith('__')
          ? 'heading'
          : piece.startsWith('[') && piece.length > 1
            ? 'tag'
            : 'plain';
      out.push(piece, kind);
    }
  });
}
