import type { LanguageModelV4 } from '@ai-sdk/provider';
import { generateText } from 'ai';

const maxTitleLength = 60;

/** A title from the request itself: its first line, trimmed to a readable length. */
export function titleFromText(text: string): string {
  const firstLine = text.trim().split('\n')[0]?.trim() ?? '';
  const clean = firstLine.replace(/\s+/g, ' ');
  if (clean.length <= maxTitleLength) return clean || 'Untitled session';
  const cut = clean.slice(0, maxTitleLength);
  const lastSpace = cut.lastIndexOf(' ');
  return `${cut.slice(0, lastSpace > 30 ? lastSpace : maxTitleLength)}…`;
}

/** Asks the model for a short title; falls back to the request text on any failure. */
export async function generateTitle(
  model: LanguageModelV4,
  text: string,
  signal?: AbortSignal,
): Promise<string> {
  try {
    const result = await generateText({
      model,
      maxRetries: 0,
      maxOutputTokens: 30,
      abortSignal: signal
        ? AbortSignal.any([signal, AbortSignal.timeout(15_000)])
        : AbortSignal.timeout(15_000),
      instructions:
        'Write a title of at most six words for the coding request below. Reply with the title only: no quotes, no punctuation at the end.',
      prompt: text.slice(0, 2000),
    });
    const title = result.text.trim().replace(/^["'`]+|["'`.]+$/g, '');
    return title ? titleFromText(title) : titleFromText(text);
  } catch {
    return titleFromText(text);
  }
}
