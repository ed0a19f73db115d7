import type { EventDataOf } from '@aura/protocol';
import { z } from 'zod';

export type PreviewErrorData = EventDataOf<'preview_error'>;

/** Largest error report body accepted from a preview page. */
export const MAX_REPORT_BYTES = 16 * 1024;
const MAX_MESSAGE = 2_000;
const MAX_STACK = 4_000;
const MAX_URL = 2_000;

const report = z.object({
  kind: z.enum(['console', 'unhandled_rejection', 'error', 'request_failed']),
  message: z.string(),
  stack: z.string().optional(),
  url: z.string().optional(),
});

/** NUL cannot be stored by PostgreSQL; page text is cut to a size the agent can use. */
function clean(text: string, max: number): string {
  return text.replaceAll('\0', '').slice(0, max);
}

/** A report from the page as `preview_error` data, or undefined when it is not one. */
export function parseErrorReport(raw: unknown): PreviewErrorData | undefined {
  const parsed = report.safeParse(raw);
  if (!parsed.success) return undefined;
  const { kind, message, stack, url } = parsed.data;
  const data: PreviewErrorData = { kind, message: clean(message, MAX_MESSAGE) || '(no message)' };
  if (stack) data.stack = clean(stack, MAX_STACK);
  if (url) data.url = clean(url, MAX_URL);
  return data;
}

/** Reads at most `max` bytes of a request body; undefined when it is larger. */
export async function readCapped(request: Request, max: number): Promise<string | undefined> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > max) return undefined;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Drops a report identical (kind + message) to one accepted in the last `windowMs`: a render
 * loop that logs the same error 60 times a second should reach the agent once.
 */
export class RepeatFilter {
  readonly #windowMs: number;
  readonly #seen = new Map<string, number>();

  constructor(windowMs = 5_000) {
    this.#windowMs = windowMs;
  }

  fresh(scope: string, data: PreviewErrorData, now = Date.now()): boolean {
    const key = `${scope}\n${data.kind}\n${data.message}`;
    const last = this.#seen.get(key);
    if (last !== undefined && now - last < this.#windowMs) return false;
    this.#seen.set(key, now);
    if (this.#seen.size > 5_000) {
      for (const [k, t] of this.#seen) if (now - t >= this.#windowMs) this.#seen.delete(k);
    }
    return true;
  }
}
