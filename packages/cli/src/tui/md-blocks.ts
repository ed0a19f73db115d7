/**
 * Block structure of CommonMark + GFM (the parts chat output uses: headings, paragraphs, lists,
 * quotes, fenced and indented code, tables, rules). Line based and forgiving: an unclosed fence
 * runs to the end, a table whose delimiter row is still arriving is already a table, and nested
 * list items need only be indented past their parent's marker.
 */

export type Align = 'left' | 'center' | 'right' | undefined;

export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'code'; lang: string | undefined; code: string; closed: boolean }
  | { kind: 'quote'; children: Block[] }
  | { kind: 'list'; ordered: boolean; start: number; tight: boolean; items: ListItem[] }
  | { kind: 'table'; header: string[]; align: Align[]; rows: string[][] }
  | { kind: 'rule' };

export interface ListItem {
  task: 'open' | 'done' | undefined;
  children: Block[];
}

/** Deeper quotes and lists are read as plain paragraphs, which bounds recursion on hostile input. */
const maxNesting = 10;

const blank = /^[ \t]*$/;
const fenceOpen = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const atxHeading = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/;
const thematicBreak = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const quoteMarker = /^ {0,3}> ?/;
const listMarker = /^( {0,3})([-+*]|\d{1,9}[.)])( +|$)(.*)$/;
const setextUnderline = /^ {0,3}(=+|-+)[ \t]*$/;
const delimiterChars = /^[|:\- \t]+$/;
const delimiterCell = /^:?-+:?$/;
const partialDelimiterCell = /^:?-*:?$/;
const taskMarker = /^\[([ xX])\][ \t]+/;

const indentOf = (line: string) => line.length - line.trimStart().length;
const isBlank = (line: string) => blank.test(line);

/** Parses lines whose tabs are already expanded. */
export function parseBlocks(lines: readonly string[], depth = 0): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
    } else if (indentOf(line) >= 4) {
      i = readIndentedCode(lines, i, blocks);
    } else if (fenceOpener(line)) {
      i = readFence(lines, i, blocks);
    } else if (atxHeading.test(line)) {
      blocks.push(heading(line));
      i++;
    } else if (thematicBreak.test(line)) {
      blocks.push({ kind: 'rule' });
      i++;
    } else if (depth < maxNesting && quoteMarker.test(line)) {
      i = readQuote(lines, i, blocks, depth);
    } else if (depth < maxNesting && listMarker.test(line)) {
      i = readList(lines, i, blocks, depth);
    } else if (tableStartsAt(lines, i)) {
      i = readTable(lines, i, blocks);
    } else {
      i = readParagraph(lines, i, blocks);
    }
  }
  return blocks;
}

function fenceOpener(line: string): RegExpExecArray | undefined {
  const match = fenceOpen.exec(line);
  if (!match) return undefined;
  if (match[2]!.startsWith('`') && match[3]!.includes('`')) return undefined;
  return match;
}

function heading(line: string): Block {
  const match = atxHeading.exec(line)!;
  let text = (match[2] ?? '').trim();
  // An optional closing sequence (`## Title ##`) is not part of the text.
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  const unclosed = text.slice(0, end);
  if (unclosed === '' || unclosed.endsWith(' ') || unclosed.endsWith('\t')) text = unclosed.trimEnd();
  return { kind: 'heading', level: match[1]!.length, text };
}

/** Whether `line` ends a paragraph (CommonMark's "can interrupt a paragraph"). */
function interruptsParagraph(lines: readonly string[], index: number): boolean {
  const line = lines[index]!;
  if (isBlank(line) || fenceOpener(line) || atxHeading.test(line) || thematicBreak.test(line)) return true;
  if (quoteMarker.test(line) || tableStartsAt(lines, index)) return true;
  const item = listMarker.exec(line);
  if (!item || item[4] === '') return false;
  return !/^\d/.test(item[2]!) || /^1[.)]$/.test(item[2]!);
}

function readParagraph(lines: readonly string[], start: number, blocks: Block[]): number {
  const text: string[] = [lines[start]!.trimStart()];
  let i = start + 1;
  while (i < lines.length) {
    const underline = setextUnderline.exec(lines[i]!);
    // A lone `-` on the last line is more likely a list item being typed than an underline.
    const maybeListItem = underline?.[1] === '-' && i === lines.length - 1;
    if (underline && !maybeListItem) {
      blocks.push({
        kind: 'heading',
        level: underline[1]!.startsWith('=') ? 1 : 2,
        text: text.join('\n').trim(),
      });
      return i + 1;
    }
    if (interruptsParagraph(lines, i)) break;
    text.push(lines[i]!.trimStart());
    i++;
  }
  blocks.push({ kind: 'paragraph', text: text.join('\n').trimEnd() });
  return i;
}

function readIndentedCode(lines: readonly string[], start: number, blocks: Block[]): number {
  const code: string[] = [];
  let i = start;
  while (i < lines.length && (isBlank(lines[i]!) || indentOf(lines[i]!) >= 4)) {
    code.push(lines[i]!.slice(4));
    i++;
  }
  while (code.length > 0 && isBlank(code.at(-1)!)) code.pop();
  blocks.push({ kind: 'code', lang: undefined, code: code.join('\n'), closed: true });
  return i;
}

function readFence(lines: readonly string[], start: number, blocks: Block[]): number {
  const open = fenceOpener(lines[start]!)!;
  const indent = open[1]!.length;
  const fence = open[2]!;
  const lang = open[3]!.trim().split(/\s+/)[0] || undefined;
  const code: string[] = [];
  let i = start + 1;
  let closed = false;
  while (i < lines.length) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (
      indentOf(line) <= 3 &&
      trimmed.length >= fence.length &&
      trimmed === fence[0]!.repeat(trimmed.length)
    ) {
      closed = true;
      i++;
      break;
    }
    code.push(line.slice(Math.min(indent, indentOf(line))));
    i++;
  }
  // While streaming, the line after the last newline is still empty; it is not part of the code.
  if (!closed && code.at(-1) === '') code.pop();
  blocks.push({ kind: 'code', lang, code: code.join('\n'), closed });
  return i;
}

function readQuote(lines: readonly string[], start: number, blocks: Block[], depth: number): number {
  const inner: string[] = [];
  let i = start;
  while (i < lines.length) {
    const line = lines[i]!;
    const marker = quoteMarker.exec(line);
    if (marker) inner.push(line.slice(marker[0].length));
    else if (inner.length > 0 && !isBlank(inner.at(-1)!) && !interruptsParagraph(lines, i)) inner.push(line);
    else break;
    i++;
  }
  blocks.push({ kind: 'quote', children: parseBlocks(inner, depth + 1) });
  return i;
}

function listKind(marker: string): string {
  return /^\d/.test(marker) ? `ordered${marker.at(-1)}` : marker;
}

function readList(lines: readonly string[], start: number, blocks: Block[], depth: number): number {
  const first = listMarker.exec(lines[start]!)!;
  const kind = listKind(first[2]!);
  const ordered = kind.startsWith('ordered');
  const items: ListItem[] = [];
  let tight = true;
  let i = start;
  while (i < lines.length) {
    const item = listMarker.exec(lines[i]!);
    if (!item || listKind(item[2]!) !== kind) break;
    if (items.length > 0 && isBlank(lines[i - 1]!)) tight = false;
    const markerIndent = item[1]!.length;
    const spaces = item[3]!.length;
    const contentIndent = markerIndent + item[2]!.length + (spaces === 0 || spaces > 4 ? 1 : spaces);
    const firstLine = spaces > 4 ? ' '.repeat(spaces - 1) + item[4]! : item[4]!;
    const content = [firstLine];
    i++;
    while (i < lines.length) {
      const line = lines[i]!;
      const indent = indentOf(line);
      if (isBlank(line)) content.push('');
      else if (indent > markerIndent) content.push(line.slice(Math.min(indent, contentIndent)));
      else if (!isBlank(content.at(-1)!) && !interruptsParagraph(lines, i) && !listMarker.test(line)) {
        content.push(line.trimStart());
      } else break;
      i++;
    }
    while (content.length > 1 && isBlank(content.at(-1)!)) content.pop();
    if (content.some(isBlank)) tight = false;
    const task = taskMarker.exec(content[0]!);
    if (task) content[0] = content[0]!.slice(task[0].length);
    items.push({
      task: task ? (task[1] === ' ' ? 'open' : 'done') : undefined,
      children: parseBlocks(content, depth + 1),
    });
  }
  blocks.push({ kind: 'list', ordered, start: ordered ? Number.parseInt(first[2]!, 10) : 1, tight, items });
  return i;
}

/**
 * A header row followed by a delimiter row. The delimiter row may still be arriving when it is
 * the last line (`|--`), so a table being streamed does not flash as a paragraph.
 */
function tableStartsAt(lines: readonly string[], index: number): boolean {
  const header = lines[index]!;
  const delimiter = lines[index + 1];
  if (delimiter === undefined || !header.includes('|')) return false;
  // Checked cell by cell: one regular expression for the whole row backtracks badly on long lines.
  const row = delimiter.trim();
  if (indentOf(delimiter) > 3 || !delimiterChars.test(row)) return false;
  const cells = splitRow(row);
  const columns = splitRow(header).length;
  if (cells.length === columns && cells.every((cell) => delimiterCell.test(cell))) return true;
  const last = index + 2 === lines.length;
  return last && cells.length <= columns && cells.every((cell) => partialDelimiterCell.test(cell));
}

function readTable(lines: readonly string[], start: number, blocks: Block[]): number {
  const header = splitRow(lines[start]!);
  const align = splitRow(lines[start + 1]!).map((cell): Align => {
    const left = cell.startsWith(':');
    const right = cell.endsWith(':') && cell.length > 1;
    return left && right ? 'center' : right ? 'right' : left ? 'left' : undefined;
  });
  const rows: string[][] = [];
  let i = start + 2;
  while (i < lines.length && !interruptsParagraph(lines, i)) {
    const cells = splitRow(lines[i]!);
    rows.push(header.map((_, column) => cells[column] ?? ''));
    i++;
  }
  blocks.push({ kind: 'table', header, align: header.map((_, column) => align[column]), rows });
  return i;
}

/** Cells of a table row; `\|` is a literal pipe. */
function splitRow(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < row.length; i++) {
    const c = row[i]!;
    if (c === '\\' && row[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (c === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += c;
    }
  }
  cells.push(cell.trim());
  return cells;
}
