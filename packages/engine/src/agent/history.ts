import type { Message, ToolPart } from '@aura/protocol';
import type { AssistantModelMessage, ModelMessage, ToolModelMessage } from 'ai';

type AssistantContent = Exclude<AssistantModelMessage['content'], string>;
type ToolResults = ToolModelMessage['content'];

function toolResultOf(part: ToolPart): ToolResults[number] {
  const base = { type: 'tool-result' as const, toolCallId: part.toolCallId, toolName: part.tool };
  switch (part.state) {
    case 'completed':
      return { ...base, output: { type: 'text', value: part.output ?? '' } };
    case 'running':
      return {
        ...base,
        output: { type: 'error-text', value: 'The tool call was interrupted before it finished.' },
      };
    default:
      return { ...base, output: { type: 'error-text', value: part.output ?? 'The tool call failed.' } };
  }
}

/**
 * Rebuilds the model conversation from stored messages. An assistant message can hold several
 * steps (text, tool calls, more text…); providers need each step's tool results right after the
 * assistant turn that made the calls, so the parts are split into turns at every step boundary.
 */
export function toModelMessages(messages: Message[]): ModelMessage[] {
  const out: ModelMessage[] = [];
  for (const message of messages) {
    if (message.role === 'user') {
      const text = message.parts
        .filter((p) => p.type === 'text')
        .map((p) => p.text)
        .join('\n');
      out.push({ role: 'user', content: text });
      continue;
    }
    let content: AssistantContent = [];
    let results: ToolResults = [];
    const flush = () => {
      if (content.length > 0) out.push({ role: 'assistant', content });
      if (results.length > 0) out.push({ role: 'tool', content: results });
      content = [];
      results = [];
    };
    for (const part of message.parts) {
      if (part.type === 'text') {
        if (results.length > 0) flush();
        if (part.text) content.push({ type: 'text', text: part.text });
      } else if (part.type === 'tool') {
        content.push({
          type: 'tool-call',
          toolCallId: part.toolCallId,
          toolName: part.tool,
          input: part.input ?? {},
        });
        results.push(toolResultOf(part));
      }
    }
    flush();
  }
  return out;
}
