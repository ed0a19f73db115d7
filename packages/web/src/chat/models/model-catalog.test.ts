import { describe, expect, it } from 'vitest';
import { type ModelCatalog, modelGroups, scriptedLabel } from './model-catalog.ts';

const catalog: ModelCatalog = {
  items: [
    { id: 'anthropic/claude-sonnet-4-5', provider: 'anthropic', available: true },
    { id: 'anthropic/claude-haiku-4-5', provider: 'anthropic', available: true },
    { id: 'openai/gpt-5', provider: 'openai', available: false },
    { id: 'ollama/llama3.1', provider: 'ollama', available: true },
  ],
  scriptedAllowed: true,
  demo: {
    model: 'script:/srv/aura/demo/build-todo.json',
    prompt: 'Build a todo list app',
    mode: 'build',
    label: 'Scripted demo: a recorded session, not a model',
  },
};

const shape = (groups: ReturnType<typeof modelGroups>) =>
  groups.map((g) => [g.label, g.options.map((o) => (o.disabled ? `(${o.label})` : o.label))]);

describe('modelGroups', () => {
  it('groups configured models by provider, labels scripted ones, and disables those without a key', () => {
    expect(shape(modelGroups(catalog, []))).toEqual([
      ['anthropic', ['anthropic/claude-sonnet-4-5', 'anthropic/claude-haiku-4-5']],
      ['ollama', ['ollama/llama3.1']],
      ['Scripted (recordings, not models)', ['Scripted demo: a recorded session, not a model']],
      ['Needs a key (Settings)', ['(openai/gpt-5)']],
    ]);
  });

  it('offers no scripted demo unless the server allows scripted models', () => {
    const groups = modelGroups({ ...catalog, scriptedAllowed: false, demo: null }, []);
    expect(groups.some((g) => g.label.startsWith('Scripted'))).toBe(false);
  });

  it('adds models in use that the catalog does not list, once each', () => {
    const groups = modelGroups(catalog, [
      'openai-compatible/qwen',
      'script:/tmp/chat-demo.json',
      'anthropic/claude-sonnet-4-5',
      'openai-compatible/qwen',
    ]);
    expect(shape(groups).slice(2, 4)).toEqual([
      ['Other', ['openai-compatible/qwen']],
      [
        'Scripted (recordings, not models)',
        ['Scripted demo: a recorded session, not a model', 'Scripted demo · chat-demo.json'],
      ],
    ]);
  });

  it('lists nothing before the catalog has loaded but what is in use', () => {
    expect(shape(modelGroups(undefined, ['ollama/x']))).toEqual([['Other', ['ollama/x']]]);
  });
});

describe('scriptedLabel', () => {
  it('names the script file, not its path on the server', () => {
    expect(scriptedLabel('script:/srv/demo/hello-page.json')).toBe('Scripted demo · hello-page.json');
  });
});
