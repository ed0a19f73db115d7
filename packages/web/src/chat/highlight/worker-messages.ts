import type { LanguageRegistration } from 'shiki/core';
import type { HighlightedLines } from './tokens.ts';

/** Main thread → highlight worker. Handled strictly in order. */
export type WorkerRequest =
  | { type: 'language'; grammars: LanguageRegistration[] }
  | { type: 'highlight'; id: number; code: string; language: string };

/** Highlight worker → main thread: the lines of one `highlight` request, or why there are none. */
export type WorkerReply = { id: number; lines: HighlightedLines } | { id: number; error: string };
