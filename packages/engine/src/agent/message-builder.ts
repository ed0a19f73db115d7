import type { MessagePart, ToolPart } from '@aura/protocol';

/** Accumulates an assistant message's parts as the stream arrives. */
export class MessageBuilder {
  readonly parts: MessagePart[] = [];

  appendText(kind: 'text' | 'reasoning', delta: string, newBlock: boolean): void {
    const last = this.parts.at(-1);
    if (!newBlock && last && last.type === kind) last.text += delta;
    else this.parts.push({ type: kind, text: delta });
  }

  addToolCall(toolCallId: string, tool: string, input: unknown): void {
    if (this.tool(toolCallId)) return;
    this.parts.push({ type: 'tool', toolCallId, tool, input, state: 'running' });
  }

  finishTool(toolCallId: string, patch: Pick<ToolPart, 'state' | 'output' | 'metadata'>): void {
    const part = this.tool(toolCallId);
    if (part) Object.assign(part, patch);
  }

  text(): string {
    return this.parts
      .filter((p) => p.type === 'text')
      .map((p) => p.text)
      .join('');
  }

  tool(toolCallId: string): ToolPart | undefined {
    return this.parts.find((p): p is ToolPart => p.type === 'tool' && p.toolCallId === toolCallId);
  }
}
