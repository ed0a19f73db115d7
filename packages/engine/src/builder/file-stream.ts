import type { EventInput } from '@aura/protocol';
import type { ToolInputEvent } from '../agent/turn.ts';

/**
 * Turns the streamed JSON arguments of `write` calls into file_start / file_chunk / file_end
 * events while the model is still typing them, so a UI can show files being written live.
 * Only the `path` and `content` string values are decoded; everything else is ignored.
 */
export class FileStreamer {
  readonly #emit: (event: EventInput) => unknown;
  readonly #calls = new Map<string, { raw: string; path?: string; sent: number; bytes: number }>();

  constructor(emit: (event: EventInput) => unknown) {
    this.#emit = emit;
  }

  handle(event: ToolInputEvent): void {
    if (event.phase === 'start') {
      if (event.toolName === 'write') this.#calls.set(event.toolCallId, { raw: '', sent: 0, bytes: 0 });
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

  #progress(call: { raw: string; path?: string; sent: number; bytes: number }): void {
    if (call.path === undefined) {
      const path = stringValue(call.raw, 'path');
      if (!path?.complete) return;
      call.path = path.value;
      this.#emit({ type: 'file_start', data: { path: call.path } });
    }
    const content = stringValue(call.raw, 'content');
    if (!content || content.value.length <= call.sent) return;
    const chunk = content.value.slice(call.sent);
    call.sent = content.value.length;
    call.bytes += Buffer.byteLength(chunk);
    this.#emit({ type: 'file_chunk', data: { path: call.path, chunk } });
  }
}

/** Decodes the (possibly unfinished) JSON string value of `key` in a partial JSON object text. */
export function stringValue(raw: string, key: string): { value: string; complete: boolean } | undefined {
  const match = new RegExp(`"${key}"\\s*:\\s*"`).exec(raw);
  if (!match) return undefined;
  let value = '';
  for (let i = match.index + match[0].length; i < raw.length; i++) {
    const char = raw[i]!;
    if (char === '"') return { value, complete: true };
    if (char !== '\\') {
      value += char;
      continue;
    }
    const next = raw[i + 1];
    if (next === undefined) break; // escape cut mid-stream: wait for more
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
  return { value, complete: false };
}
