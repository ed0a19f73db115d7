import { sanitizeForTerminal } from '../render-text.ts';
import { aliases, specs } from './md-code-langs.ts';
import { scanDiff, scanDockerfile, scanShell, scanToml, scanYaml } from './md-code-lines.ts';
import { scanCss, scanHtml, scanMarkdown } from './md-code-markup.ts';
import { scanWithSpec, type TokenKind, TokenList } from './md-code-scan.ts';
import { BOLD, DIM, fg, paintSpans, type Span, splitSpanLines } from './md-style.ts';
import { expandTabs } from './md-width.ts';

/**
 * Colours by token kind, in the 16 base colours so the user's terminal theme decides the exact
 * shades (and light and dark backgrounds both work).
 */
const kindStyles: Record<TokenKind, number> = {
  plain: 0,
  keyword: fg.magenta,
  string: fg.green,
  comment: DIM,
  number: fg.yellow,
  constant: fg.yellow,
  type: fg.cyan,
  function: fg.blue,
  property: fg.cyan,
  tag: fg.blue,
  attribute: fg.cyan,
  variable: fg.cyan,
  meta: fg.cyan,
  heading: BOLD,
  inserted: fg.green,
  deleted: fg.red,
};

const scanners: Record<string, (code: string, out: TokenList) => void> = {
  bash: (code, out) => scanShell(code, out),
  dockerfile: scanDockerfile,
  yaml: scanYaml,
  toml: scanToml,
  html: scanHtml,
  css: scanCss,
  markdown: scanMarkdown,
  diff: scanDiff,
};

/**
 * The canonical language for a fence info string or file extension (`ts`, `language-py`,
 * `{.rust}`, `Dockerfile`), or undefined when it is not one we highlight.
 */
export function resolveLanguage(lang: string | undefined): string | undefined {
  if (!lang) return undefined;
  const name = lang
    .trim()
    .toLowerCase()
    .replace(/^\{?\.?(?:language-)?/, '')
    .split(/[\s,{}]/)[0]!;
  return Object.hasOwn(aliases, name) ? aliases[name] : undefined;
}

/** Highlighted spans of already-sanitised code; plain for an unknown language. */
export function highlightSpans(code: string, lang: string | undefined): Span[] {
  const language = resolveLanguage(lang);
  if (!language || code === '') return code ? [{ text: code, style: 0 }] : [];
  const out = new TokenList();
  try {
    const scan = scanners[language];
    if (scan) scan(code, out);
    else scanWithSpec(code, specs[language]!, out);
  } catch {
    // A tokenizer bug must not take the transcript down: fall back to plain text.
    return [{ text: code, style: 0 }];
  }
  return out.tokens.map((t) => ({ text: t.text, style: kindStyles[t.kind] }));
}

/**
 * Syntax-highlights code for the terminal. Control characters in `code` are made visible and tabs
 * expanded to 4-column stops first; with `color: false` the result is that text, unstyled. Never
 * throws.
 */
export function highlightCode(code: string, lang: string | undefined, color: boolean): string {
  // Tabs are expanded because their width on screen depends on a column the caller may not know.
  const clean = sanitizeForTerminal(code)
    .split('\n')
    .map((line) => expandTabs(line))
    .join('\n');
  if (!color) return clean;
  // Styles are closed at each newline, so a UI that lays the text out line by line keeps them.
  return splitSpanLines(highlightSpans(clean, lang))
    .map((line) => paintSpans(line, true))
    .join('\n');
}
