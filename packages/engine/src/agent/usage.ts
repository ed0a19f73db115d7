import type { Usage } from '@aura/protocol';
import type { LanguageModelUsage } from 'ai';
import type { ModelPrice } from '../config/index.ts';
import { costOf } from '../provider/pricing.ts';

export function usageFromSdk(usage: LanguageModelUsage, price: ModelPrice | undefined): Usage {
  const tokens = {
    inputTokens: usage.inputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    reasoningTokens: usage.outputTokenDetails?.reasoningTokens ?? 0,
    cachedInputTokens: usage.inputTokenDetails?.cacheReadTokens ?? 0,
  };
  return { ...tokens, costUsd: costOf(tokens, price) };
}

export function addUsage(a: Usage | null, b: Usage): Usage {
  if (!a) return b;
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    costUsd: a.costUsd === null && b.costUsd === null ? null : (a.costUsd ?? 0) + (b.costUsd ?? 0),
  };
}
