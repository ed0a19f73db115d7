import { sanitizeForTerminal } from '../render-text.ts';
import { highlightSpans } from './highlight.ts';
import { type Block, type ListItem, parseBlocks } from './md-blocks.ts';
import { parseInline } from './md-inline.ts';
import {
  BOLD,
  DIM,
  fg,
  paint,
  paintSpans,
  type Span,
  splitSpanLines,
  UNDERLINE,
  withStyle,
} from './md-style.ts';
import { renderTable } from './md-table.ts';
import { displayWidth, expandTabs, truncateToWidth } from './md-width.ts';
import { wrapCodeLine, wrapSpans } from './md-wrap.ts';

export interface MarkdownOptions {
  /** Columns available; clamped to 10…1000. */
  width: number;
  /** false: no escape sequences at all (NO_COLOR, dumb terminals, tests). */
  color: boolean;
}

interface Context {
  width: number;
  color: boolean;
  /** This block holds the end of the text, which may still be streaming. */
  tail: boolean;
  listDepth: number;
}

const bullets = ['•', '◦', '▪'];
/** Narrower than this, nested blocks stop indenting so text keeps some room. */
const minIndentedWidth = 16;
const headingStyles = [BOLD | UNDERLINE | fg.magenta, BOLD | fg.magenta, BOLD];
const closingSgr = /\u001b\[[\d;]*m$/;
const codeGutter = { top: '╭─', line: '│ ', wrapped: '↪ ', bottom: '╰─' };

/**
 * Renders markdown for the terminal: lines wrapped to `width`, joined with `\n`. Meant to be
 * called again on every streamed delta with the whole text so far: constructs still open at the
 * end (a fence, `**bold`, a table's delimiter row) render as what they are becoming. The text is
 * untrusted: control characters and escape sequences in it are made visible before any styling.
 */
export function renderMarkdown(text: string, opts: MarkdownOptions): string {
  const width = Math.min(1000, Math.max(10, Math.floor(opts.width) || 80));
  const lines = sanitizeForTerminal(text)
    .split('\n')
    .map((line) => expandTabs(line));
  const blocks = parseBlocks(lines);
  const rendered = renderBlocks(blocks, { width, color: opts.color, tail: true, listDepth: 0 }, true);
  // Prefixes and padding leave trailing spaces (`• ` of an item still empty, a blank quote line).
  return rendered.map(trimTrailingSpaces).join('\n');
}

function renderBlocks(blocks: readonly Block[], ctx: Context, spaced: boolean): string[] {
  const lines: string[] = [];
  blocks.forEach((block, index) => {
    if (index > 0 && spaced) lines.push('');
    const tail = ctx.tail && index === blocks.length - 1;
    lines.push(...renderBlock(block, { ...ctx, tail }));
  });
  return lines;
}

function renderBlock(block: Block, ctx: Context): string[] {
  switch (block.kind) {
    case 'paragraph':
      return renderProse(parseInline(block.text, { tail: ctx.tail }), ctx);
    case 'heading':
      return renderHeading(block.level, block.text, ctx);
    case 'code':
      return renderCode(block.code, block.lang, block.closed, ctx);
    case 'quote':
      return indent(ctx, bar('│ ', DIM, ctx.color), (width) =>
        renderBlocks(block.children, { ...ctx, width }, true),
      );
    case 'list':
      return renderList(block, ctx);
    case 'table':
      return renderTable(block, ctx.width, ctx.color, ctx.tail);
    case 'rule':
      return [paint('─'.repeat(ctx.width), DIM, ctx.color)];
  }
}

function renderProse(spans: Span[], ctx: Context): string[] {
  return wrapSpans(spans, ctx.width).map((line) => paintSpans(line, ctx.color));
}

function renderHeading(level: number, text: string, ctx: Context): string[] {
  const style = headingStyles[Math.min(level, headingStyles.length) - 1]!;
  const spans = parseInline(text, { tail: ctx.tail }).map((s) => ({
    ...s,
    style: withStyle(style, s.style),
  }));
  const marker = `${'#'.repeat(level)} `;
  const prefix = {
    first: paint(marker, DIM, ctx.color),
    rest: ' '.repeat(marker.length),
    width: marker.length,
  };
  return indent(ctx, prefix, (width) => renderProse(spans, { ...ctx, width }));
}

function renderCode(code: string, lang: string | undefined, closed: boolean, ctx: Context): string[] {
  const label = truncateToWidth(lang ? `${codeGutter.top} ${lang}` : codeGutter.top, ctx.width);
  const lines = [paint(label, DIM, ctx.color)];
  if (code !== '' || closed) {
    const gutter = paint(codeGutter.line, DIM, ctx.color);
    const continued = paint(codeGutter.wrapped, DIM, ctx.color);
    const room = ctx.width - displayWidth(codeGutter.line);
    for (const line of splitSpanLines(highlightSpans(code, lang))) {
      wrapCodeLine(line, room).forEach((part, i) => {
        lines.push((i === 0 ? gutter : continued) + paintSpans(part, ctx.color));
      });
    }
  }
  if (closed) lines.push(paint(codeGutter.bottom, DIM, ctx.color));
  return lines;
}

function renderList(list: Extract<Block, { kind: 'list' }>, ctx: Context): string[] {
  const last = list.start + list.items.length - 1;
  const numberWidth = String(last).length;
  const lines: string[] = [];
  list.items.forEach((item, index) => {
    if (index > 0 && !list.tight) lines.push('');
    const marker = list.ordered
      ? `${String(list.start + index).padStart(numberWidth)}.`
      : bullets[ctx.listDepth % bullets.length]!;
    const tail = ctx.tail && index === list.items.length - 1;
    lines.push(...renderItem(item, marker, { ...ctx, tail }, list.tight));
  });
  return lines;
}

function renderItem(item: ListItem, marker: string, ctx: Context, tight: boolean): string[] {
  const box =
    item.task === 'done' ? `[${paint('x', fg.green, ctx.color)}] ` : item.task === 'open' ? '[ ] ' : '';
  const width = displayWidth(marker) + 1 + (item.task ? 4 : 0);
  const inner = { ...ctx, listDepth: ctx.listDepth + 1 };
  return indent(ctx, { first: `${marker} ${box}`, rest: ' '.repeat(width), width }, (room) => {
    const lines = renderBlocks(item.children, { ...inner, width: room }, !tight);
    return lines.length > 0 ? lines : [''];
  });
}

interface Prefix {
  /** Painted text before the first line. */
  first: string;
  /** Painted text before the other lines. */
  rest: string;
  width: number;
}

/**
 * Renders content `width - prefix` wide behind a hanging indent. When that would leave too little
 * room (deep nesting in a narrow terminal), the content is not indented any further.
 */
function indent(ctx: Context, prefix: Prefix, render: (width: number) => string[]): string[] {
  const room = ctx.width - prefix.width;
  if (room < minIndentedWidth && room < ctx.width / 2) return render(ctx.width);
  return render(room).map((line, i) => (i === 0 ? prefix.first : prefix.rest) + line);
}

/** A prefix drawn in one style, the same on every line (a quote bar). */
function bar(text: string, style: number, color: boolean): Prefix {
  const painted = paint(text, style, color);
  return { first: painted, rest: painted, width: displayWidth(text) };
}

/**
 * Drops spaces at the end of a line, also when they sit inside its closing SGR code (a painted
 * quote bar `│ ` on an empty line). Each paint is one flat open/close pair, so there is one such code.
 */
function trimTrailingSpaces(line: string): string {
  const end = closingSgr.exec(line)?.index ?? line.length;
  let cut = end;
  while (cut > 0 && line[cut - 1] === ' ') cut--;
  return cut === end ? line : line.slice(0, cut) + line.slice(end);
}
