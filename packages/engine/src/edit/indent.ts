/**
 * Indentation shifts: detecting that a model's block is the file's block with a uniform indentation
 * difference (possibly tabs rendered as spaces), and re-indenting the model's replacement to match.
 */

export function leadingWhitespace(line: string): string {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return line.slice(0, i);
}

export function indentWidth(indent: string, tabWidth: number): number {
  let width = 0;
  for (const ch of indent) width += ch === '\t' ? tabWidth : 1;
  return width;
}

export interface IndentShift {
  tabWidth: number;
  /** File indentation width minus the model's indentation width, in columns. */
  delta: number;
  useTabs: boolean;
  /** Model indentation string → the file's indentation string, for indents seen in the match. */
  table: Map<string, string>;
}

/** [file indentation, model indentation] of one matched non-blank line. */
export type IndentPair = readonly [file: string, model: string];

/** Tab widths a model plausibly expanded a tab to; 4 first because it is the common default. */
const TAB_WIDTHS = [4, 2, 8];

/**
 * Finds a tab width under which every pair differs by the same number of columns. Among workable tab
 * widths the smallest shift wins: it best explains "the model wrote each tab as N spaces".
 */
export function detectShift(pairs: readonly IndentPair[], preferTabs: boolean): IndentShift | undefined {
  const tabsInvolved = pairs.some(([f, m]) => f.includes('\t') || m.includes('\t'));
  let best: { tabWidth: number; delta: number } | undefined;
  for (const tabWidth of tabsInvolved ? TAB_WIDTHS : [4]) {
    let delta: number | undefined;
    let consistent = true;
    for (const [f, m] of pairs) {
      const d = indentWidth(f, tabWidth) - indentWidth(m, tabWidth);
      if (delta === undefined) delta = d;
      else if (d !== delta) {
        consistent = false;
        break;
      }
    }
    if (!consistent) continue;
    const d = delta ?? 0;
    if (best === undefined || Math.abs(d) < Math.abs(best.delta)) best = { tabWidth, delta: d };
  }
  if (best === undefined) return undefined;

  const table = new Map<string, string>();
  for (const [f, m] of pairs) if (!table.has(m)) table.set(m, f);
  const firstIndented = pairs.find(([f]) => f !== '');
  const useTabs = firstIndented ? firstIndented[0].startsWith('\t') : preferTabs;
  return { ...best, useTabs, table };
}

function renderIndent(width: number, shift: IndentShift): string {
  const w = Math.max(0, width);
  if (!shift.useTabs) return ' '.repeat(w);
  return '\t'.repeat(Math.floor(w / shift.tabWidth)) + ' '.repeat(w % shift.tabWidth);
}

/** Re-indents one line of the model's replacement text into the file's indentation. */
export function reindentLine(line: string, shift: IndentShift): string {
  if (line.trim() === '') return '';
  const indent = leadingWhitespace(line);
  const rest = line.slice(indent.length);
  const mapped = shift.table.get(indent);
  if (mapped !== undefined) return mapped + rest;
  return renderIndent(indentWidth(indent, shift.tabWidth) + shift.delta, shift) + rest;
}

/** True when most indented lines of the text start with a tab. */
export function prefersTabs(lines: readonly string[]): boolean {
  let tabs = 0;
  let spaces = 0;
  for (const line of lines) {
    if (line.startsWith('\t')) tabs++;
    else if (line.startsWith(' ') && line.trim() !== '') spaces++;
  }
  return tabs > spaces;
}
