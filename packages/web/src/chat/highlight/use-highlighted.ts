import { useEffect, useRef, useState } from 'react';
import { cachedHighlight, highlight, MAX_HIGHLIGHT_CHARS } from './highlighter.ts';
import type { LanguageId } from './languages.ts';
import type { HighlightedLines } from './tokens.ts';

/** While code is still streaming in, it is highlighted at most this often. */
const LIVE_INTERVAL_MS = 250;

export interface Highlighted {
  /** The code these lines are for; while streaming, a prefix of the code on screen. */
  code: string;
  lines: HighlightedLines;
}

/**
 * The highlighted lines of `code`, or null until (or unless) they exist. Finished code is
 * highlighted once and cached. Live code is re-highlighted at most every LIVE_INTERVAL_MS; in
 * between, the last result still covers most of it and the caller shows the new tail as plain text.
 */
export function useHighlighted(code: string, language: LanguageId | null, live: boolean): Highlighted | null {
  const highlightable = language !== null && code.length <= MAX_HIGHLIGHT_CHARS;
  const [result, setResult] = useState<Highlighted | null>(() => {
    const lines = highlightable ? cachedHighlight(code, language) : undefined;
    return lines ? { code, lines } : null;
  });
  const lastStart = useRef(0);
  const newestApplied = useRef(0);
  const requests = useRef(0);

  useEffect(() => {
    if (!highlightable) return;
    const cached = cachedHighlight(code, language);
    if (cached) {
      setResult({ code, lines: cached });
      return;
    }
    const wait = live ? Math.max(0, lastStart.current + LIVE_INTERVAL_MS - performance.now()) : 0;
    const timer = setTimeout(() => {
      lastStart.current = performance.now();
      const request = ++requests.current;
      highlight(code, language, !live).then(
        (lines) => {
          // An older request finishing late must not replace a newer result.
          if (request < newestApplied.current) return;
          newestApplied.current = request;
          setResult({ code, lines });
        },
        // Highlighting is decoration: when shiki cannot load, the code stays plain and readable.
        () => undefined,
      );
    }, wait);
    return () => clearTimeout(timer);
  }, [code, language, live, highlightable]);

  return highlightable ? result : null;
}
