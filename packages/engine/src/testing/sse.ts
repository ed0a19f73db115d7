import type { AnthropicEvent, OpenAIChunk } from './wire-types.ts';

export function openAIFrame(chunk: OpenAIChunk): string {
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

export const OPENAI_DONE_FRAME = 'data: [DONE]\n\n';

export function anthropicFrame(event: AnthropicEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
