/**
 * Bounded capture of process output. Commands can print gigabytes; we keep a head and a tail so the
 * model sees both how a command started and how it ended (test summaries, stack traces are at the end).
 */

/** Keeps the last `capacity` bytes written to it. */
export class RingBuffer {
  readonly #capacity: number;
  #chunks: Buffer[] = [];
  #size = 0;
  #dropped = 0;

  constructor(capacity: number) {
    this.#capacity = Math.max(0, capacity);
  }

  get droppedBytes(): number {
    return this.#dropped;
  }

  /** What is kept, as text, after a note of how much was dropped before it (if anything was). */
  text(): string {
    const text = decodeTail(this.bytes());
    if (this.#dropped === 0) return text;
    return `[… ${this.#dropped} earlier bytes dropped …]\n${text}`;
  }

  get size(): number {
    return this.#size;
  }

  push(chunk: Buffer): void {
    if (this.#capacity === 0) {
      this.#dropped += chunk.length;
      return;
    }
    let data = chunk;
    if (data.length > this.#capacity) {
      this.#dropped += data.length - this.#capacity;
      data = data.subarray(data.length - this.#capacity);
    }
    this.#chunks.push(data);
    this.#size += data.length;
    while (this.#size > this.#capacity) {
      const first = this.#chunks[0]!;
      const excess = this.#size - this.#capacity;
      if (first.length <= excess) {
        this.#chunks.shift();
        this.#size -= first.length;
        this.#dropped += first.length;
      } else {
        this.#chunks[0] = first.subarray(excess);
        this.#size -= excess;
        this.#dropped += excess;
      }
    }
  }

  bytes(): Buffer {
    return Buffer.concat(this.#chunks, this.#size);
  }
}

/** Decodes UTF-8 that may start in the middle of a character (a tail cut at an arbitrary byte). */
export function decodeTail(bytes: Buffer): string {
  let start = 0;
  while (start < bytes.length && start < 4 && (bytes[start]! & 0xc0) === 0x80) start += 1;
  return bytes.subarray(start).toString('utf8');
}

export function omittedNote(bytes: number): string {
  return `\n[… ${bytes} bytes of output omitted …]\n`;
}

/**
 * Captures stdout and stderr under one byte budget: the first half of the budget keeps the head of
 * the output (shared by both streams, in arrival order), the rest keeps each stream's tail.
 */
export class CappedCapture {
  readonly #headBudget: number;
  #headUsed = 0;
  readonly #streams: Record<'stdout' | 'stderr', { head: Buffer[]; tail: RingBuffer }>;

  constructor(maxBytes: number) {
    const budget = Math.max(0, Math.floor(maxBytes));
    this.#headBudget = Math.floor(budget / 2);
    const tailEach = Math.floor((budget - this.#headBudget) / 2);
    this.#streams = {
      stdout: { head: [], tail: new RingBuffer(tailEach) },
      stderr: { head: [], tail: new RingBuffer(tailEach) },
    };
  }

  push(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    const target = this.#streams[stream];
    const room = this.#headBudget - this.#headUsed;
    if (room > 0) {
      const head = chunk.subarray(0, room);
      target.head.push(head);
      this.#headUsed += head.length;
      if (head.length === chunk.length) return;
      target.tail.push(chunk.subarray(head.length));
      return;
    }
    target.tail.push(chunk);
  }

  get truncated(): boolean {
    return this.#streams.stdout.tail.droppedBytes > 0 || this.#streams.stderr.tail.droppedBytes > 0;
  }

  text(stream: 'stdout' | 'stderr'): string {
    const { head, tail } = this.#streams[stream];
    const headText = Buffer.concat(head).toString('utf8');
    if (tail.droppedBytes === 0) return Buffer.concat([...head, tail.bytes()]).toString('utf8');
    return headText + omittedNote(tail.droppedBytes) + decodeTail(tail.bytes());
  }
}
