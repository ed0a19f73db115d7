import type { ModelMessage } from 'ai';

/** Rough token estimate (four characters a token) — good enough to act before the hard limit. */
export function estimateTokens(messages: ModelMessage[], system = ''): number {
  return Math.ceil((JSON.stringify(messages).length + system.length) / 4);
}

export interface CompactionResult {
  messages: ModelMessage[];
  prunedToolOutputs: number;
  estimatedTokensBefore: number;
}

const keepRecentToolMessages = 2;
/** Tool outputs this short cost less than the note that would replace them: never pruned. */
export const MIN_PRUNED_CHARS = 200;
const prunedNote = (chars: number) =>
  `[older tool output removed to save context (${chars} characters); run the tool again if you need it]`;

/**
 * When the conversation nears the model's context window, replaces the output of older tool
 * results with a short note. Recent tool results and all text stay intact. Returns undefined when
 * nothing needs to change.
 */
export function compactToolOutputs(
  messages: ModelMessage[],
  opts: { contextWindow: number; system?: string; threshold?: number },
): CompactionResult | undefined {
  const before = estimateTokens(messages, opts.system);
  if (before < opts.contextWindow * (opts.threshold ?? 0.7)) return undefined;
  const toolIndexes = messages.flatMap((m, i) => (m.role === 'tool' ? [i] : []));
  const prunable = new Set(toolIndexes.slice(0, Math.max(0, toolIndexes.length - keepRecentToolMessages)));
  let pruned = 0;
  const compacted = messages.map((message, index) => {
    if (message.role !== 'tool' || !prunable.has(index)) return message;
    return {
      ...message,
      content: message.content.map((part) => {
        if (part.type !== 'tool-result') return part;
        const output = part.output;
        if (
          (output.type !== 'text' && output.type !== 'error-text') ||
          output.value.startsWith('[older tool output')
        ) {
          return part;
        }
        if (output.value.length < MIN_PRUNED_CHARS) return part;
        pruned += 1;
        return { ...part, output: { type: output.type, value: prunedNote(output.value.length) } };
      }),
    } as ModelMessage;
  });
  if (pruned === 0) return undefined;
  return { messages: compacted, prunedToolOutputs: pruned, estimatedTokensBefore: before };
}
