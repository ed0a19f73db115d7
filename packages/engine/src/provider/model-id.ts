/** `provider/model` (the model part may itself contain slashes) or `script:<path>`. */
export type ModelSpec =
  | { kind: 'script'; path: string; id: string }
  | { kind: 'provider'; provider: string; model: string; id: string };

export class ModelIdError extends Error {
  override name = 'ModelIdError';
}

export function parseModelId(id: string): ModelSpec {
  const trimmed = id.trim();
  if (trimmed.startsWith('script:')) {
    const path = trimmed.slice('script:'.length);
    if (!path) throw new ModelIdError('A scripted model needs a path: script:<path-to-script.json>');
    return { kind: 'script', path, id: trimmed };
  }
  const slash = trimmed.indexOf('/');
  if (slash <= 0 || slash === trimmed.length - 1) {
    throw new ModelIdError(
      `Model id "${id}" is not of the form provider/model (for example anthropic/claude-sonnet-4-5, openai/gpt-5, ollama/qwen2.5-coder).`,
    );
  }
  return {
    kind: 'provider',
    provider: trimmed.slice(0, slash),
    model: trimmed.slice(slash + 1),
    id: trimmed,
  };
}
