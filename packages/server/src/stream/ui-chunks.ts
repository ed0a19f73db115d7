import type { EventDataOf, EventEnvelope } from '@aura/protocol';
import type { FinishReason, UIMessageChunk } from 'ai';

type PermissionData = EventDataOf<'permission_request'> & {
  status: 'pending' | 'once' | 'always' | 'reject';
};

/** Our finish reasons that the AI SDK has no word for become `other` (the run status travels in metadata). */
const finishReasons: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  'content-filter': 'content-filter',
  'tool-calls': 'tool-calls',
  error: 'error',
};

/**
 * Turns the events of one run into AI SDK UI message chunks: text and reasoning parts, dynamic
 * tool parts, one step per model call (closed by its `usage` event), permission requests as a
 * `data-permission` part that updates in place, and `finish` at `run_finished`. Events before
 * the run's own `run_started` belong to earlier activity on the session and are skipped.
 */
export class UiChunkTranslator {
  readonly #sessionId: string;
  readonly #runId: string;
  #armed = false;
  #started = false;
  #stepOpen = false;
  #text: string | undefined;
  #reasoning: string | undefined;
  #parts = 0;
  #finishReason: FinishReason = 'other';
  #permissions = new Map<string, PermissionData>();
  #done = false;

  constructor(sessionId: string, runId: string) {
    this.#sessionId = sessionId;
    this.#runId = runId;
  }

  /** True once the run's `run_finished` has been translated: the stream is complete. */
  get done(): boolean {
    return this.#done;
  }

  translate(event: EventEnvelope): UIMessageChunk[] {
    const out: UIMessageChunk[] = [];
    if (this.#done) return out;
    if (!this.#armed) {
      this.#armed = event.type === 'run_started' && event.data.runId === this.#runId;
      return out;
    }
    switch (event.type) {
      case 'message_start':
        this.#start(out, event.data.messageId, { model: event.data.model, scripted: event.data.scripted });
        break;
      case 'text_delta':
        this.#delta(out, 'text', event.data.delta);
        break;
      case 'reasoning_delta':
        this.#delta(out, 'reasoning', event.data.delta);
        break;
      case 'tool_call':
        this.#openStep(out);
        this.#endParts(out);
        out.push({
          type: 'tool-input-available',
          toolCallId: event.data.toolCallId,
          toolName: event.data.tool,
          input: event.data.input,
          dynamic: true,
        });
        break;
      case 'tool_result':
        out.push(
          event.data.ok
            ? {
                type: 'tool-output-available',
                toolCallId: event.data.toolCallId,
                output: event.data.output,
                dynamic: true,
              }
            : {
                type: 'tool-output-error',
                toolCallId: event.data.toolCallId,
                errorText: event.data.output,
                dynamic: true,
              },
        );
        break;
      case 'permission_request':
        this.#start(out);
        this.#permission(out, { ...event.data, status: 'pending' });
        break;
      case 'permission_resolved': {
        const request = this.#permissions.get(event.data.requestId);
        if (request) this.#permission(out, { ...request, status: event.data.reply });
        break;
      }
      case 'usage':
        this.#closeStep(out);
        break;
      case 'error':
        this.#start(out);
        out.push({ type: 'error', errorText: event.data.message });
        break;
      case 'message_done':
        this.#closeStep(out);
        this.#finishReason = finishReasons[event.data.finishReason] ?? 'other';
        break;
      case 'run_finished':
        if (event.data.runId !== this.#runId) break;
        this.#start(out);
        this.#closeStep(out);
        out.push({
          type: 'finish',
          finishReason: this.#finishReason,
          messageMetadata: { status: event.data.status },
        });
        this.#done = true;
        break;
      default:
        break;
    }
    return out;
  }

  #start(out: UIMessageChunk[], messageId?: string, extra: Record<string, unknown> = {}): void {
    if (this.#started) return;
    this.#started = true;
    out.push({
      type: 'start',
      ...(messageId === undefined ? {} : { messageId }),
      messageMetadata: { sessionId: this.#sessionId, runId: this.#runId, ...extra },
    });
  }

  #delta(out: UIMessageChunk[], kind: 'text' | 'reasoning', delta: string): void {
    this.#openStep(out);
    const other = kind === 'text' ? this.#reasoning : this.#text;
    if (other !== undefined) this.#endPart(out, kind === 'text' ? 'reasoning' : 'text');
    let id = kind === 'text' ? this.#text : this.#reasoning;
    if (id === undefined) {
      id = `${kind}-${++this.#parts}`;
      if (kind === 'text') this.#text = id;
      else this.#reasoning = id;
      out.push({ type: `${kind}-start`, id });
    }
    out.push({ type: `${kind}-delta`, id, delta });
  }

  #openStep(out: UIMessageChunk[]): void {
    this.#start(out);
    if (this.#stepOpen) return;
    this.#stepOpen = true;
    out.push({ type: 'start-step' });
  }

  #closeStep(out: UIMessageChunk[]): void {
    this.#endParts(out);
    if (!this.#stepOpen) return;
    this.#stepOpen = false;
    out.push({ type: 'finish-step' });
  }

  #endParts(out: UIMessageChunk[]): void {
    if (this.#text !== undefined) this.#endPart(out, 'text');
    if (this.#reasoning !== undefined) this.#endPart(out, 'reasoning');
  }

  #endPart(out: UIMessageChunk[], kind: 'text' | 'reasoning'): void {
    const id = kind === 'text' ? this.#text : this.#reasoning;
    if (id === undefined) return;
    out.push({ type: `${kind}-end`, id });
    if (kind === 'text') this.#text = undefined;
    else this.#reasoning = undefined;
  }

  #permission(out: UIMessageChunk[], data: PermissionData): void {
    this.#permissions.set(data.requestId, data);
    out.push({ type: 'data-permission', id: data.requestId, data: { ...data, sessionId: this.#sessionId } });
  }
}
