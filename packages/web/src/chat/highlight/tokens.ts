/** One token; `style` sets `--shiki-light` and `--shiki-dark`, and CSS picks by the app's theme. */
export interface Token {
  content: string;
  style: Record<string, string> | undefined;
}

export type HighlightedLines = Token[][];
