/** Context window sizes in tokens; unknown models get a conservative default. */
const windows: [RegExp, number][] = [
  [/claude/, 200_000],
  [/gpt-5|gpt-4\.1/, 400_000],
  [/gpt-4o|o3|o4/, 128_000],
  [/gemini/, 1_000_000],
  [/qwen|llama|deepseek|mistral/, 32_000],
];

export const defaultContextWindow = 128_000;

export function contextWindowFor(modelId: string, overrides: Record<string, number> = {}): number {
  const exact = overrides[modelId];
  if (exact) return exact;
  if (modelId.startsWith('script:')) return 1_000_000;
  return windows.find(([pattern]) => pattern.test(modelId))?.[1] ?? defaultContextWindow;
}
