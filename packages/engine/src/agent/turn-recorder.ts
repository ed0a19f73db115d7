import type { EventInput, MessagePart, Usage } from '@aura/protocol';
import { MessageBuilder } from './message-builder.ts';
import { StuckDetector } from './stuck.ts';
import type { ToolCallOutcome } from './tool-set.ts';
import { addUsage } from './usage.ts';

type Emit = (event: EventInput) => unknown;

/**
 * The assistant message of one turn as it happens: turns stream parts and tool outcomes into
 * events and message parts, and keeps every tool call's story complete (each `tool_call` gets
 * exactly one `tool_result`, even when the run is cancelled mid-call).
 */
export class TurnRecorder {
  readonly messageId: string;
  readonly stuck = new StuckDetector();
  usage: Usage | null = null;
  steps = 0;
  lastFinishReason: string | undefined;
  readonly #emit: Emit;
  readonly #builder = new MessageBuilder();
  readonly #outcomes = new Map<string, ToolCallOutcome>();
  readonly #announced = new Set<string>();
  readonly #finished = new Set<string>();
  #newBlock = true;

  constructor(messageId: string, emit: Emit) {
    this.messageId = messageId;
    this.#emit = emit;
  }

  get parts(): MessagePart[] {
    return this.#builder.parts;
  }

  text(): string {
    return this.#builder.text();
  }

  startBlock(): void {
    this.#newBlock = true;
  }

  delta(kind: 'text' | 'reasoning', delta: string): void {
    this.#builder.appendText(kind, delta, this.#newBlock);
    this.#newBlock = false;
    this.#emit({
      type: kind === 'text' ? 'text_delta' : 'reasoning_delta',
      data: { messageId: this.messageId, delta },
    });
  }

  /** Idempotent: the stream and the tool's execution may both announce the same call. */
  announce(toolCallId: string, tool: string, input: unknown): void {
    if (this.#announced.has(toolCallId)) return;
    this.#announced.add(toolCallId);
    this.#builder.addToolCall(toolCallId, tool, input);
    this.#emit({ type: 'tool_call', data: { messageId: this.messageId, toolCallId, tool, input } });
  }

  recordOutcome(toolCallId: string, outcome: ToolCallOutcome): void {
    this.#outcomes.set(toolCallId, outcome);
  }

  /** A call finished: `errorText` is the SDK's message when our tool never produced an outcome. */
  finishTool(toolCallId: string, tool: string, input: unknown, ok: boolean, fallbackOutput: string): void {
    if (this.#finished.has(toolCallId)) return;
    this.#finished.add(toolCallId);
    this.announce(toolCallId, tool, input);
    const outcome = this.#outcomes.get(toolCallId);
    const output = outcome?.output ?? fallbackOutput;
    this.stuck.record(tool, input, ok);
    this.#builder.finishTool(toolCallId, {
      state: ok ? 'completed' : outcome?.denied ? 'denied' : 'error',
      output,
      metadata: outcome?.metadata,
    });
    this.#emit({
      type: 'tool_result',
      data: {
        messageId: this.messageId,
        toolCallId,
        tool,
        ok,
        output,
        durationMs: outcome?.durationMs ?? 0,
        ...(outcome?.metadata ? { metadata: outcome.metadata } : {}),
      },
    });
  }

  /** Calls still open when the turn ends (cancel, provider failure) get a failed result. */
  closeOpenTools(reason: string): void {
    for (const part of this.#builder.parts) {
      if (part.type === 'tool' && part.state === 'running') {
        this.finishTool(part.toolCallId, part.tool, part.input, false, reason);
      }
    }
  }

  addStepUsage(stepUsage: Usage): void {
    this.steps += 1;
    this.usage = addUsage(this.usage, stepUsage);
  }
}
