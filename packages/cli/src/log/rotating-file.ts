import { closeSync, fstatSync, openSync, renameSync, statSync, writeSync } from 'node:fs';

export interface RotatingFileOptions {
  /** Size at which the file is rotated. */
  maxBytes: number;
  /** Files kept in all: `aura.log`, `aura.log.1`, … `aura.log.<keep-1>`. */
  keep: number;
}

/**
 * An append-only file that rotates by size: when the next line would pass `maxBytes`, `aura.log`
 * becomes `aura.log.1`, `.1` becomes `.2`, and the oldest is dropped. Writes are synchronous so a
 * line is on disk before a crash or `process.exit`. Several aura processes may share the file: one
 * that finds the file already rotated by another just reopens it.
 */
export class RotatingFile {
  readonly path: string;
  readonly #options: RotatingFileOptions;
  #fd: number;
  #size: number;

  constructor(path: string, options: RotatingFileOptions) {
    this.path = path;
    this.#options = options;
    this.#fd = openSync(path, 'a', 0o600);
    this.#size = fstatSync(this.#fd).size;
  }

  write(line: string): void {
    const bytes = Buffer.byteLength(line);
    if (this.#size > 0 && this.#size + bytes > this.#options.maxBytes) this.#rotate();
    writeSync(this.#fd, line);
    this.#size += bytes;
  }

  close(): void {
    closeSync(this.#fd);
  }

  #rotate(): void {
    const rotatedElsewhere = fileId(this.path) !== fileId(this.#fd);
    closeSync(this.#fd);
    if (!rotatedElsewhere) {
      for (let index = this.#options.keep - 1; index >= 1; index--) {
        const from = index === 1 ? this.path : `${this.path}.${index - 1}`;
        try {
          renameSync(from, `${this.path}.${index}`);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    }
    this.#fd = openSync(this.path, 'a', 0o600);
    this.#size = fstatSync(this.#fd).size;
  }
}

function fileId(target: string | number): string | undefined {
  try {
    const stats = typeof target === 'number' ? fstatSync(target) : statSync(target);
    return `${stats.dev}:${stats.ino}`;
  } catch {
    return undefined;
  }
}
