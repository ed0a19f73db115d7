/**
 * Models sometimes copy old_string from a numbered file listing ("  12\tcode", "12→code"). Such a
 * block is recognised only when every line carries a prefix and the numbers run consecutively; the
 * caller then also requires the stripped text to sit at exactly those lines.
 */
import { blockLines } from './text.ts';

const PREFIX = /^ *(\d+)(?:\t|→|│| ?\| ?|: )/;

export interface Numbered {
  /** The block without its line-number prefixes. */
  text: string;
  /** 1-based number on the first line. */
  firstLine: number;
}

function strip(text: string, consecutive: boolean): Numbered | undefined {
  const { lines, endsWithNewline } = blockLines(text);
  const stripped: string[] = [];
  let first = -1;
  for (const [i, line] of lines.entries()) {
    const m = PREFIX.exec(line);
    if (!m) return undefined;
    const n = Number(m[1]);
    if (i === 0) first = n;
    else if (consecutive && n !== first + i) return undefined;
    stripped.push(line.slice(m[0].length));
  }
  return { text: stripped.join('\n') + (endsWithNewline ? '\n' : ''), firstLine: first };
}

export function stripLineNumbers(text: string): Numbered | undefined {
  return strip(text, true);
}

/** new_string loses its prefixes only when every line has one (the model may have renumbered). */
export function stripReplacementNumbers(text: string): string {
  return strip(text, false)?.text ?? text;
}
