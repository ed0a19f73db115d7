/**
 * Notices a model repeating the same failing tool call (same tool, same input) instead of
 * correcting it, so the run can stop rather than burn steps and money.
 */
export class StuckDetector {
  readonly #limit: number;
  #lastSignature: string | undefined;
  #repeats = 0;

  constructor(limit = 3) {
    this.#limit = limit;
  }

  record(tool: string, input: unknown, ok: boolean): void {
    if (ok) {
      this.#lastSignature = undefined;
      this.#repeats = 0;
      return;
    }
    const signature = `${tool}:${stableJson(input)}`;
    this.#repeats = signature === this.#lastSignature ? this.#repeats + 1 : 1;
    this.#lastSignature = signature;
  }

  get stuck(): boolean {
    return this.#repeats >= this.#limit;
  }

  get description(): string {
    return `The agent repeated the same failing call ${this.#repeats} times (${this.#lastSignature?.slice(0, 200)}). Stopping so you can steer it.`;
  }
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
