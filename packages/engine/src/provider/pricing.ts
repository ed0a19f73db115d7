import type { Usage } from '@aura/protocol';
import type { ModelPrice } from '../config/index.ts';

/**
 * USD per million tokens for common models (list prices, late 2026). Config `pricing` overrides
 * or extends it. Keys are `provider/model`; a bare model name also matches any provider that
 * serves it under that name (e.g. openrouter, azure deployments named after the model).
 */
export const defaultPrices: Record<string, ModelPrice> = {
  'anthropic/claude-opus-4-5': { input: 5, output: 25, cachedInput: 0.5 },
  'anthropic/claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3 },
  'anthropic/claude-haiku-4-5': { input: 1, output: 5, cachedInput: 0.1 },
  'anthropic/claude-sonnet-4': { input: 3, output: 15, cachedInput: 0.3 },
  'anthropic/claude-3-5-haiku-latest': { input: 0.8, output: 4, cachedInput: 0.08 },
  'openai/gpt-5': { input: 1.25, output: 10, cachedInput: 0.125 },
  'openai/gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025 },
  'openai/gpt-5-nano': { input: 0.05, output: 0.4, cachedInput: 0.005 },
  'openai/gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
  'openai/gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
  'openai/gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
  'openai/gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  'openai/o3': { input: 2, output: 8, cachedInput: 0.5 },
  'openai/o4-mini': { input: 1.1, output: 4.4, cachedInput: 0.275 },
  'google/gemini-2.5-pro': { input: 1.25, output: 10, cachedInput: 0.31 },
  'google/gemini-2.5-flash': { input: 0.3, output: 2.5, cachedInput: 0.075 },
  'google/gemini-2.5-flash-lite': { input: 0.1, output: 0.4, cachedInput: 0.025 },
};

/** Local runtimes cost nothing per token. */
const freeProviders = new Set(['ollama', 'lmstudio']);

export function findPrice(
  modelId: string,
  overrides: Record<string, ModelPrice> = {},
): ModelPrice | undefined {
  const table = { ...defaultPrices, ...overrides };
  const exact = table[modelId];
  if (exact) return exact;
  if (modelId.startsWith('script:')) return { input: 0, output: 0 };
  const slash = modelId.indexOf('/');
  const provider = slash === -1 ? modelId : modelId.slice(0, slash);
  if (freeProviders.has(provider)) return { input: 0, output: 0 };
  const bare = modelId.slice(slash + 1);
  const served = table[bare];
  if (served) return served;
  for (const [key, price] of Object.entries(table)) {
    if (key.slice(key.indexOf('/') + 1) === bare || key.endsWith(`/${bare}`)) return price;
  }
  return undefined;
}

export function costOf(
  tokens: Pick<Usage, 'inputTokens' | 'outputTokens' | 'cachedInputTokens'>,
  price: ModelPrice | undefined,
): number | null {
  if (!price) return null;
  const cached = Math.min(tokens.cachedInputTokens, tokens.inputTokens);
  const uncached = tokens.inputTokens - cached;
  const cachedRate = price.cachedInput ?? price.input;
  return (uncached * price.input + cached * cachedRate + tokens.outputTokens * price.output) / 1_000_000;
}
