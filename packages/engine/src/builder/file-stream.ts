import type { EventInput } from '@aura/protocol';
import type { ToolInputEvent } from '../agent/turn.ts';

/**
 * Turns the streamed JSON arguments of `write` calls into file_start / file_chunk / file_end
 * events while the model is still typing them, so a UI can show files being written live.
 * Only the `path` and `content` string values are decoded; everything else is ignored.
 */
interface WriteCall {
  raw: string;
  path?: string;
  /** Index in `raw` where undecoded `content` text starts; undefined until the key is seen. */
  contentAt?: number;
  contentDone: boolean;
  bytes: number;
}

const keyPatterns = { path: /"path"\s*:\s*"/, content: /"content"\s*:\s*"/ };

export class FileStreamer {
  readonly #emit: (event: EventInput) => unknown;
  readonly #calls = new Map<string, WriteCall>();

  constructor(emit: (event: EventInput) => unknown) {
    this.#emit = emit;
  }

  handle(event: ToolInputEvent): void {
    if (event.phase === 'start') {
      if (event.toolName === 'write')
        this.#calls.set(event.toolCallId, { raw: '', contentDone: false, bytes: 0 });
      return;
    }
    const call = this.#calls.get(event.toolCallId);
    if (!call) return;
    if (event.phase === 'delta') {
      call.raw += event.delta;
      this.#progress(call);
      return;
    }
    this.#progress(call);
    if (call.path !== undefined)
      this.#emit({ type: 'file_end', data: { path: call.path, bytes: call.bytes } });
    this.#calls.delete(event.toolCallId);
  }

  /** Decodes only what arrived since the last delta, so a long file streams in linear time. */
  #progress(call: WriteCall): void {
    if (call.path === undefined) {
      const path = stringValue(call.raw, 'path');
      if (!path?.complete) return;
      call.path = path.value;
      this.#emit({ type: 'file_start', data: { path: call.path } });
    }
    if (call.contentDone) return;
    if (call.contentAt === undefined) {
      const match = keyPatterns.content.exec(call.raw);
      if (!match) return;
      call.contentAt = match.index + match[0].length;
    }
    const decoded = decodeString(call.raw, call.contentAt);
    call.contentAt = decoded.next;
    call.contentDone = decoded.complete;
    if (!decoded.value) return;
    call.bytes += Buffer.byteLength(decoded.value);
    this.#emit({ type: 'file_chunk', data: { path: call.path, chunk: decoded.value } });
  }
}

/** Decodes the (possibly unfinished) JSON string value of `key` in a partial JSON object text. */
export function stringValue(
  raw: string,
  key: 'path' | 'content',
): { value: string; complete: boolean } | undefined {
  const match = keyPatterns[key].exec(raw);
  if (!match) return undefined;
  const { value, complete } = decodeString(raw, match.index + match[0].length);
  return { value, complete };
}

/**
 * Decodes JSON string characters from `start` up to the closing quote or the end of the text;
 * `next` is where decoding must resume (an escape cut mid-stream is left for later).
 */
function decodeString(raw: string, start: number): { value: string; complete: boolean; next: number } {
  let value = '';
  let i = start;
  for (; i < raw.length; i++) {
    const char = raw[i]!;
    if (char === '"') return { value, complete: true, next: i + 1 };
    if (char !== '\\') {
      value += char;
      continue;
    }
    const next = raw[i + 1];
    if (next === undefined) break;
    if (next === 'u') {
      const hex = raw.slice(i + 2, i + 6);
      if (hex.length < 4) break;
      value += String.fromCharCode(Number.parseInt(hex, 16));
      i += 5;
      continue;
    }
    value += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[next] ?? next;
    i += 1;
  }
  return { value, complete: false, next: i };
}
