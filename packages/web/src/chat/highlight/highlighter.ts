import { type LanguageId, loadGrammar } from './languages.ts';
import { LruCache } from './lru-cache.ts';
import type { HighlightedLines } from './tokens.ts';
import type { WorkerReply, WorkerRequest } from './worker-messages.ts';

/** Longer code stays plain: its tokens would cost more to send and draw than they are worth. */
export const MAX_HIGHLIGHT_CHARS = 60_000;

/** After the worker fails (its chunk did not load), highlighting rests this long before trying again. */
const RETRY_AFTER_MS = 30_000;

const cache = new LruCache<string, HighlightedLines>(200);
const pending = new Map<
  number,
  { resolve: (lines: HighlightedLines) => void; reject: (error: Error) => void }
>();
const languagesSent = new Map<LanguageId, Promise<void>>();
let worker: Worker | null = null;
let nextId = 0;
let restingUntil = 0;

const cacheKey = (code: string, language: LanguageId) => `${language}\u0000${code}`;

/** Tokens already computed for exactly this code, so a remounted block paints highlighted at once. */
export function cachedHighlight(code: string, language: LanguageId): HighlightedLines | undefined {
  return cache.get(cacheKey(code, language));
}

/**
 * Highlights `code` in the highlight worker. The grammar is imported here (its own lazy chunk)
 * and handed to the worker the first time its language appears. `remember: false` is for code
 * still streaming, whose passing states would only push finished blocks out of the cache.
 */
export async function highlight(
  code: string,
  language: LanguageId,
  remember: boolean,
): Promise<HighlightedLines> {
  const key = cacheKey(code, language);
  const cached = cache.get(key);
  if (cached) return cached;
  if (Date.now() < restingUntil) throw new Error('Highlighting is unavailable for now.');
  await sendLanguage(language);
  const lines = await new Promise<HighlightedLines>((resolve, reject) => {
    const id = ++nextId;
    pending.set(id, { resolve, reject });
    post({ type: 'highlight', id, code, language });
  });
  if (remember) cache.set(key, lines);
  return lines;
}

function sendLanguage(language: LanguageId): Promise<void> {
  let sent = languagesSent.get(language);
  if (!sent) {
    sent = loadGrammar(language).then((grammar) => post({ type: 'language', grammars: grammar.default }));
    sent.catch(() => languagesSent.delete(language));
    languagesSent.set(language, sent);
  }
  return sent;
}

function post(request: WorkerRequest): void {
  if (!worker) {
    try {
      worker = new Worker(new URL('./highlight-worker.ts', import.meta.url), { type: 'module' });
    } catch (error) {
      // A content security policy may forbid workers: then code simply stays plain.
      restingUntil = Number.POSITIVE_INFINITY;
      throw error;
    }
    worker.onmessage = ({ data }: MessageEvent<WorkerReply>) => {
      const waiting = pending.get(data.id);
      pending.delete(data.id);
      if ('error' in data) waiting?.reject(new Error(data.error));
      else waiting?.resolve(data.lines);
    };
    worker.onerror = () => {
      restingUntil = Date.now() + RETRY_AFTER_MS;
      worker?.terminate();
      worker = null;
      // A new worker starts without grammars: each is sent again when next needed.
      languagesSent.clear();
      for (const waiting of pending.values()) waiting.reject(new Error('The highlight worker failed.'));
      pending.clear();
    };
  }
  worker.postMessage(request);
}
