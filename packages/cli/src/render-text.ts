import type { EventEnvelope, Usage } from '@aura/protocol';
import type { Style } from './style.ts';

const maxResultLines = 6;

/**
 * Model and tool output is untrusted: escape sequences in it could rewrite the terminal (move the
 * cursor, set the title, hide text), so control characters other than newline and tab are shown
 * as visible placeholders.
 */
export function sanitizeForTerminal(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) =>
    c === '\r' ? '' : `^${String.fromCharCode((c.charCodeAt(0) + 64) % 128)}`,
  );
}

function summariseInput(tool: string, input: unknown): string {
  if (!input || typeof input !== 'object') return '';
  const record = input as Record<string, unknown>;
  const key = ['command', 'path', 'pattern', 'url', 'query', 'from'].find(
    (k) => typeof record[k] === 'string',
  );
  const value = key ? String(record[key]) : tool === 'apply_patch' ? 'patch' : JSON.stringify(input);
  const oneLine = sanitizeForTerminal(value.replace(/\s+/g, ' '));
  return oneLine.length > 100 ? `${oneLine.slice(0, 97)}…` : oneLine;
}

function summariseOutput(output: string): string {
  const lines = sanitizeForTerminal(output.trimEnd()).split('\n');
  const shown = lines.slice(0, maxResultLines).map((l) => (l.length > 160 ? `${l.slice(0, 157)}…` : l));
  if (lines.length > maxResultLines) shown.push(`… ${lines.length - maxResultLines} more lines`);
  return shown.map((l) => `  │ ${l}`).join('\n');
}

export function formatUsage(usage: Usage & { steps?: number }): string {
  const cost = usage.costUsd === null ? 'cost unknown' : `$${usage.costUsd.toFixed(4)}`;
  return `tokens: ${usage.inputTokens} in · ${usage.outputTokens} out · ${cost}`;
}

/** Turns events into the human-readable transcript `aura run` prints. */
export class TextRenderer {
  readonly #out: NodeJS.WritableStream;
  readonly #style: Style;
  #midLine = false;

  constructor(out: NodeJS.WritableStream, style: Style) {
    this.#out = out;
    this.#style = style;
  }

  #line(text: string): void {
    if (this.#midLine) this.#out.write('\n');
    this.#out.write(`${text}\n`);
    this.#midLine = false;
  }

  render(event: EventEnvelope): void {
    const s = this.#style;
    switch (event.type) {
      case 'message_start':
        if (event.data.scripted)
          this.#line(s.dim(`[scripted model ${event.data.model} — replaying a script, not a real model]`));
        break;
      case 'text_delta':
        this.#out.write(sanitizeForTerminal(event.data.delta));
        this.#midLine = !event.data.delta.endsWith('\n');
        break;
      case 'tool_call':
        this.#line(s.cyan(`● ${event.data.tool} ${summariseInput(event.data.tool, event.data.input)}`));
        break;
      case 'tool_result': {
        const mark = event.data.ok ? s.green('  ✓') : s.red('  ✗');
        this.#line(`${mark} ${s.dim(event.data.tool)}`);
        if (event.data.output.trim()) this.#line(s.dim(summariseOutput(event.data.output)));
        break;
      }
      case 'permission_request':
        this.#line(s.yellow(`? permission needed: ${event.data.description}`));
        break;
      case 'permission_resolved':
        this.#line(s.dim(`  → ${event.data.reply}${event.data.message ? `: ${event.data.message}` : ''}`));
        break;
      case 'provider_retry':
        this.#line(
          s.yellow(
            `… ${event.data.reason}; retrying in ${(event.data.delayMs / 1000).toFixed(1)}s (attempt ${event.data.attempt})`,
          ),
        );
        break;
      case 'context_compacted':
        this.#line(s.dim(`… compacted context: pruned ${event.data.prunedToolOutputs} old tool outputs`));
        break;
      case 'error':
        if (event.data.kind === 'verification') this.#line(s.yellow(`! ${event.data.message}`));
        else this.#line(s.red(`error: ${event.data.message}`));
        break;
      case 'state_change':
        if (
          event.data.state !== 'RUNNING' &&
          event.data.state !== 'IDLE' &&
          event.data.state !== 'WAITING_PERMISSION'
        ) {
          this.#line(s.bold(`▸ ${event.data.state.toLowerCase().replace(/_/g, ' ')}`));
        }
        break;
      case 'phase_designed':
        this.#line(
          s.cyan(`phase ${event.data.phase + 1}: ${event.data.name}`) +
            s.dim(` — ${event.data.files.map((f) => f.path).join(', ') || 'no files listed'}`),
        );
        break;
      case 'files_written':
        if (event.data.files.length > 0) this.#line(s.dim(`  wrote ${event.data.files.join(', ')}`));
        break;
      case 'deps_installed':
        this.#line(
          s.dim(`  dependencies: ${event.data.command} (${(event.data.durationMs / 1000).toFixed(1)} s)`),
        );
        break;
      case 'server_started':
        this.#line(s.green(`  dev server at ${event.data.url}`));
        break;
      case 'generation_complete':
        this.#line(s.green(`✓ built ${event.data.files.length} files in ${event.data.phases} phase(s)`));
        break;
      case 'run_finished':
        if (event.data.status === 'cancelled')
          this.#line(s.yellow('cancelled — what was done so far is saved.'));
        break;
      default:
        break;
    }
  }

  finish(usage: (Usage & { steps: number }) | null, sessionId: string): void {
    if (usage) this.#line(this.#style.dim(formatUsage(usage)));
    this.#line(this.#style.dim(`session ${sessionId}`));
  }
}
