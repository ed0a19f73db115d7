import { describe, expect, it } from 'vitest';
import type { CatalogModel } from './models-api.ts';
import { hasUsableProvider, providerStatus, usableModels } from './provider-status.ts';
import type { ProviderItem, StoredProviderKey } from './providers-api.ts';

const envVarsOf: Record<string, string[]> = {
  anthropic: ['ANTHROPIC_API_KEY'],
  azure: ['AZURE_API_KEY'],
  ollama: [],
  'openai-compatible': ['OPENAI_COMPATIBLE_API_KEY'],
};

function item(provider: string, extra: Partial<ProviderItem> = {}): ProviderItem {
  return {
    provider,
    envVars: envVarsOf[provider] ?? ['SOME_KEY'],
    configuredByServer: envVarsOf[provider]?.length === 0,
    key: null,
    ...extra,
  };
}

function stored(provider: string, hint: string, baseUrl: string | null = null): StoredProviderKey {
  return { provider, hint, baseUrl, createdAt: 1, updatedAt: 1 };
}

const model = (id: string, available: boolean): CatalogModel => ({
  id,
  provider: id.split('/')[0]!,
  available,
  price: null,
});

/** What a fresh server answers: Ollama's models are "available" though nothing runs. */
const freshModels = [model('anthropic/claude-sonnet-4-5', false), model('ollama/qwen2.5-coder', true)];

describe('provider status', () => {
  it('does not count a local runtime the server merely assumes is running', () => {
    const items = [item('anthropic'), item('ollama'), item('openai-compatible')];
    expect(hasUsableProvider(items, freshModels)).toBe(false);
    expect(providerStatus(item('ollama'), freshModels)).toEqual({
      state: 'unchecked',
      usable: false,
      detail: 'default address http://127.0.0.1:11434',
    });
  });

  it('counts a saved Ollama address', () => {
    const ollama = item('ollama', { key: stored('ollama', '', 'http://10.0.0.5:11434/v1') });
    expect(providerStatus(ollama, freshModels)).toEqual({
      state: 'connected',
      usable: true,
      detail: 'http://10.0.0.5:11434/v1',
    });
  });

  it('shows a saved key by its hint only', () => {
    const status = providerStatus(item('anthropic', { key: stored('anthropic', '…abcd') }), freshModels);
    expect(status).toEqual({ state: 'connected', usable: true, detail: 'key …abcd' });
  });

  it('counts credentials the server brings, from its environment or its config file', () => {
    expect(providerStatus(item('anthropic', { configuredByServer: true }), freshModels).state).toBe('server');
    const viaConfig = [model('anthropic/claude-sonnet-4-5', true)];
    expect(hasUsableProvider([item('anthropic')], viaConfig)).toBe(true);
  });

  it('calls a provider incomplete when a required part is missing', () => {
    const endpoint = item('openai-compatible', { key: stored('openai-compatible', '…wxyz') });
    expect(providerStatus(endpoint, freshModels)).toEqual({
      state: 'incomplete',
      usable: false,
      detail: 'no base URL saved',
    });
    const azure = item('azure', { key: stored('azure', '', 'https://r.openai.azure.com/openai') });
    expect(providerStatus(azure, freshModels).detail).toBe('no API key saved');
  });

  it('accepts an OpenAI-compatible endpoint without a key', () => {
    const endpoint = item('openai-compatible', { key: stored('openai-compatible', '', 'http://h:8000/v1') });
    expect(hasUsableProvider([endpoint], freshModels)).toBe(true);
  });

  it('keeps a saved part that is not enough when the server covers the rest', () => {
    const anthropic = item('anthropic', {
      configuredByServer: true,
      key: stored('anthropic', '', 'https://proxy.example/anthropic'),
    });
    expect(providerStatus(anthropic, freshModels)).toEqual({
      state: 'server',
      usable: true,
      detail: 'https://proxy.example/anthropic',
    });
  });

  it('lists the models of usable providers only', () => {
    const items = [item('anthropic', { key: stored('anthropic', '…abcd') }), item('ollama')];
    expect(usableModels(items, freshModels).map((m) => m.id)).toEqual(['anthropic/claude-sonnet-4-5']);
  });
});
