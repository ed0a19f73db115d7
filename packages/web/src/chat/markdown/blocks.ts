const fenceOpen = /^ {0,3}(`{3,}|~{3,})/;
const blank = /^\s*$/;
const listItem = /^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)/;
const quote = /^ {0,3}>/;
/** Reference-style link or footnote definitions resolve across the whole document. */
const definition = /^ {0,3}\[[^\]\n]+\]:/m;

interface Fence {
  char: string;
  length: number;
}

/**
 * Splits markdown into top-level blocks (paragraphs, lists, fenced code, tables…) at blank lines
 * outside code fences. A streaming answer then re-parses and re-renders only its last block: the
 * finished ones keep their exact text, so memoized renders of them are reused.
 *
 * A blank line followed by an indented line (a list item's continuation), by another list item after
 * a list, or by more quote after a quote does not split: merging is always safe, splitting is not. Text with link or footnote definitions stays whole, because those
 * resolve across blocks.
 */
export function splitBlocks(source: string): string[] {
  if (definition.test(source)) return source.trim() ? [source] : [];
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: Fence | null = null;
  let afterBlank = false;

  const finish = () => {
    while (current.length > 0 && blank.test(current.at(-1)!)) current.pop();
    if (current.length > 0) blocks.push(current.join('\n'));
    current = [];
  };

  for (const line of source.split('\n')) {
    if (fence) {
      current.push(line);
      if (closesFence(line, fence)) fence = null;
      continue;
    }
    if (blank.test(line)) {
      if (current.length > 0) current.push(line);
      afterBlank = current.length > 0;
      continue;
    }
    if (afterBlank && !continues(current, line)) finish();
    afterBlank = false;
    current.push(line);
    const open = fenceOpen.exec(line);
    if (open) fence = { char: open[1]![0]!, length: open[1]!.length };
  }
  finish();
  return blocks;
}

function closesFence(line: string, fence: Fence): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  return match !== null && match[1]![0] === fence.char && match[1]!.length >= fence.length;
}

function continues(block: string[], line: string): boolean {
  const first = block[0] ?? '';
  if (/^(?: {2,}|\t)/.test(line)) return true;
  if (listItem.test(first) && listItem.test(line)) return true;
  return quote.test(first) && quote.test(line);
}
