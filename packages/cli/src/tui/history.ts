import { appendFile, chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { logDirectory } from '../log.ts';

export const historyLimit = 500;

/** `history` beside the log: `$XDG_STATE_HOME/aura/history` (`~/.local/state/aura/history` by default). */
export function historyFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(logDirectory(env), 'history');
}

/**
 * Prompts sent from `aura chat`, shared by every session of this user: one JSON string per line
 * (entries can span lines), appended as they are sent so two open chats don't overwrite each
 * other, and rewritten with the newest `historyLimit` once the file holds twice that. The file
 * is private (0600): prompts can contain anything.
 */
export class PromptHistory {
  readonly #file: string;
  #entries: string[];
  #linesInFile: number;

  private constructor(file: string, entries: string[], linesInFile: number) {
    this.#file = file;
    this.#entries = entries;
    this.#linesInFile = linesInFile;
  }

  static async open(file: string): Promise<PromptHistory> {
    const entries = await readEntries(file);
    return new PromptHistory(file, entries.slice(-historyLimit), entries.length);
  }

  get entries(): readonly string[] {
    return this.#entries;
  }

  /** Remembers a sent prompt (not a repeat of the one before it); write failures are not fatal. */
  async add(entry: string): Promise<void> {
    if (!entry.trim() || this.#entries.at(-1) === entry) return;
    this.#entries = [...this.#entries, entry].slice(-historyLimit);
    try {
      await mkdir(dirname(this.#file), { recursive: true, mode: 0o700 });
      await appendFile(this.#file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
      await chmod(this.#file, 0o600);
      this.#linesInFile += 1;
      if (this.#linesInFile >= historyLimit * 2) await this.#compact();
    } catch {
      // History is a convenience: a read-only home must not break the chat.
    }
  }

  async #compact(): Promise<void> {
    const kept = (await readEntries(this.#file)).slice(-historyLimit);
    const temporary = `${this.#file}.${process.pid}.tmp`;
    await writeFile(temporary, kept.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 });
    await rename(temporary, this.#file);
    this.#linesInFile = kept.length;
  }
}

async function readEntries(file: string): Promise<string[]> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  const entries: string[] = [];
  for (const line of raw.split('\n')) {
    if (!line) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'string') entries.push(value);
    } catch {
      // A line cut short by a crash or edited by hand: skip it, keep the rest.
    }
  }
  return entries;
}

/**
 * Up/Down through the history while the prompt is being written. The text being written when the
 * person first pressed Up is kept as the draft and comes back after the newest entry.
 */
export class HistoryCursor {
  readonly #entries: readonly string[];
  #index: number;
  #draft = '';

  constructor(entries: readonly string[]) {
    this.#entries = entries;
    this.#index = entries.length;
  }

  older(current: string): string | null {
    if (this.#index === 0) return null;
    if (this.#index === this.#entries.length) this.#draft = current;
    this.#index -= 1;
    return this.#entries[this.#index]!;
  }

  newer(): string | null {
    if (this.#index >= this.#entries.length) return null;
    this.#index += 1;
    return this.#index === this.#entries.length ? this.#draft : this.#entries[this.#index]!;
  }
}
