import type { AnthropicEvent, OpenAIChunk, OpenAIResponsesEvent } from './wire-types.ts';

export function openAIFrame(chunk: OpenAIChunk): string {
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

export const OPENAI_DONE_FRAME = 'data: [DONE]\n\n';

export function anthropicFrame(event: AnthropicEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export function openAIResponsesFrame(event: OpenAIResponsesEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
