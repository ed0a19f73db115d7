import type { Message, ToolPart } from '@aura/protocol';
import type { AssistantModelMessage, ModelMessage, ToolModelMessage, UserModelMessage } from 'ai';
import { parseDataUrl } from './attachments.ts';

type AssistantContent = Exclude<AssistantModelMessage['content'], string>;
type UserContent = Exclude<UserModelMessage['content'], string>;
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
      out.push({ role: 'user', content: userContent(message) });
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

/**
 * A user message: its text, then its attachments (stored as data: URLs, see attachments.ts):
 * images as image parts, text files inlined as fenced text. Older messages that still name a
 * workspace path are sent as text only.
 */
function userContent(message: Message): UserModelMessage['content'] {
  const text = message.parts
    .filter((p) => p.type === 'text')
    .map((p) => p.text)
    .join('\n');
  const content: UserContent = [];
  for (const part of message.parts) {
    if (part.type !== 'file') continue;
    const data = parseDataUrl(part.url);
    if (!data) continue;
    if (data.mediaType.startsWith('image/')) {
      content.push({ type: 'image', image: data.base64, mediaType: data.mediaType });
    } else {
      const body = Buffer.from(data.base64, 'base64').toString('utf8');
      content.push({
        type: 'text',
        text: `Attached file ${part.filename ?? '(unnamed)'}:\n\`\`\`\n${body}\n\`\`\``,
      });
    }
  }
  return content.length === 0 ? text : [{ type: 'text', text }, ...content];
}
