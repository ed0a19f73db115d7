import type { Align } from './md-blocks.ts';
import { parseInline } from './md-inline.ts';
import { BOLD, DIM, paint, paintSpans, type Span, withStyle } from './md-style.ts';
import { displayWidth } from './md-width.ts';
import { wrapSpans } from './md-wrap.ts';

const separator = ' │ ';
/**
 * A column is never narrower than its longest word (up to this many columns), so words are not
 * cut; when the columns cannot get that much, rows are listed as `header: value` lines instead.
 */
const maxUnbrokenWord = 16;
const minColumnWidth = 6;

export interface TableInput {
  header: string[];
  align: Align[];
  rows: string[][];
}

const spansWidth = (spans: readonly Span[]) => spans.reduce((sum, s) => sum + displayWidth(s.text), 0);

/**
 * A GFM table fitted to `width`: columns keep their natural width when everything fits, else the
 * widest columns are narrowed (cells wrap) until it does; when even that is too narrow, each row
 * is listed as `header: value` lines.
 */
export function renderTable(table: TableInput, width: number, color: boolean, tail: boolean): string[] {
  const lastRow = table.rows.length - 1;
  const lastColumn = table.header.length - 1;
  // Only the table's very last cell can hold a construct still being streamed.
  const parse = (text: string, row: number, column: number) =>
    parseInline(text, { tail: tail && row === lastRow && column === lastColumn });
  const header = table.header.map((cell, column) =>
    parse(cell, -1, column).map((s) => ({ ...s, style: withStyle(BOLD, s.style) })),
  );
  const rows = table.rows.map((row, r) => row.map((cell, column) => parse(cell, r, column)));
  const widths = fitColumns([header, ...rows], width);
  if (!widths) return renderAsRecords(header, rows, width, color);

  const rule = paint(widths.map((w) => '─'.repeat(w)).join('─┼─'), DIM, color);
  const lines = renderRow(header, widths, table.align, color);
  lines.push(rule);
  for (const row of rows) lines.push(...renderRow(row, widths, table.align, color));
  return lines;
}

/** Column widths that fit `width`, or undefined when the table reads better as records. */
function fitColumns(rows: Span[][][], width: number): number[] | undefined {
  const columns = rows[0]!.length;
  const natural = Array.from({ length: columns }, (_, c) =>
    Math.max(1, ...rows.map((row) => spansWidth(row[c] ?? []))),
  );
  const available = width - separator.length * (columns - 1);
  if (natural.reduce((a, b) => a + b, 0) <= available) return natural;
  const floors = natural.map((w, c) =>
    Math.min(w, Math.max(minColumnWidth, Math.min(maxUnbrokenWord, longestWord(rows, c)))),
  );
  if (floors.reduce((a, b) => a + b, 0) > available) return undefined;
  // The largest cap on column width for which everything fits; no column goes below its floor.
  const total = (cap: number) =>
    natural.reduce((sum, w, c) => sum + Math.max(floors[c]!, Math.min(w, cap)), 0);
  let low = 0;
  let high = Math.max(...natural);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (total(mid) <= available) low = mid;
    else high = mid - 1;
  }
  const widths = natural.map((w, c) => Math.max(floors[c]!, Math.min(w, low)));
  let spare = available - widths.reduce((a, b) => a + b, 0);
  for (let c = 0; c < columns && spare > 0; c++) {
    if (natural[c]! > widths[c]!) {
      widths[c]!++;
      spare--;
    }
  }
  return widths;
}

function longestWord(rows: Span[][][], column: number): number {
  let longest = 0;
  for (const row of rows) {
    const text = (row[column] ?? []).map((s) => s.text).join('');
    for (const word of text.split(' ')) longest = Math.max(longest, displayWidth(word));
  }
  return longest;
}

function renderRow(cells: Span[][], widths: number[], align: Align[], color: boolean): string[] {
  const wrapped = cells.map((cell, c) => wrapSpans(cell, widths[c]!));
  const height = Math.max(...wrapped.map((lines) => lines.length));
  const lines: string[] = [];
  const bar = paint(separator, DIM, color);
  for (let i = 0; i < height; i++) {
    const parts = wrapped.map((cellLines, c) => {
      const spans = cellLines[i] ?? [];
      const last = c === wrapped.length - 1;
      return pad(paintSpans(spans, color), widths[c]! - spansWidth(spans), align[c], last);
    });
    lines.push(parts.join(bar).trimEnd());
  }
  return lines;
}

function pad(text: string, room: number, align: Align, last: boolean): string {
  if (room <= 0) return text;
  if (align === 'right') return ' '.repeat(room) + text;
  if (align === 'center') {
    const left = Math.floor(room / 2);
    return ' '.repeat(left) + text + (last ? '' : ' '.repeat(room - left));
  }
  return last ? text : text + ' '.repeat(room);
}

function renderAsRecords(header: Span[][], rows: Span[][][], width: number, color: boolean): string[] {
  const lines: string[] = [];
  for (const row of rows.length > 0 ? rows : [header.map(() => [])]) {
    if (lines.length > 0) lines.push('');
    row.forEach((cell, c) => {
      const label = header[c] ?? [];
      const wrapped = wrapSpans([...label, { text: ': ', style: 0 }, ...cell], width - 2);
      wrapped.forEach((spans, i) => {
        lines.push((i === 0 ? '' : '  ') + paintSpans(spans, color));
      });
    });
  }
  return lines;
}
