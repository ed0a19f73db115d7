import { describe, expect, it } from 'vitest';
import { providerSpec } from './provider-catalog.ts';
import { type ProviderDraft, planSave, planTest } from './provider-draft.ts';
import type { StoredProviderKey } from './providers-api.ts';

const draft = (fields: Partial<ProviderDraft>): ProviderDraft => ({
  apiKey: '',
  baseUrl: '',
  model: '',
  makeDefault: false,
  ...fields,
});

const stored = (hint: string, baseUrl: string | null): StoredProviderKey => ({
  provider: 'x',
  hint,
  baseUrl,
  createdAt: 1,
  updatedAt: 1,
});

const anthropic = providerSpec('anthropic');
const ollama = providerSpec('ollama');
const endpoint = providerSpec('openai-compatible');

describe('saving a provider', () => {
  it('sends a hosted key, trimmed', () => {
    expect(planSave(anthropic, null, draft({ apiKey: ' sk-ant-123 ' }))).toEqual({
      ok: true,
      value: { input: { apiKey: 'sk-ant-123' }, defaultModel: null },
    });
  });

  it('asks for a missing key', () => {
    expect(planSave(anthropic, null, draft({}))).toEqual({
      ok: false,
      errors: { apiKey: 'Enter the API key.', baseUrl: undefined, model: undefined },
    });
  });

  it('sends an Ollama address with /v1 and can make its model the default', () => {
    const plan = planSave(
      ollama,
      null,
      draft({ baseUrl: 'http://127.0.0.1:11434', model: 'qwen2.5-coder', makeDefault: true }),
    );
    expect(plan).toEqual({
      ok: true,
      value: { input: { baseUrl: 'http://127.0.0.1:11434/v1' }, defaultModel: 'ollama/qwen2.5-coder' },
    });
  });

  it('needs the model it is asked to make the default', () => {
    const plan = planSave(ollama, null, draft({ baseUrl: 'http://127.0.0.1:11434', makeDefault: true }));
    expect(plan.ok ? null : plan.errors.model).toMatch(/name of a model/);
  });

  it('sends an endpoint without a key', () => {
    expect(planSave(endpoint, null, draft({ baseUrl: 'http://10.1.1.1:8000/v1' }))).toEqual({
      ok: true,
      value: { input: { baseUrl: 'http://10.1.1.1:8000/v1' }, defaultModel: null },
    });
  });

  it('asks for the key again rather than dropping it with a new URL', () => {
    const plan = planSave(
      endpoint,
      stored('…abcd', 'http://a:8000/v1'),
      draft({ baseUrl: 'http://b:8000/v1' }),
    );
    expect(plan.ok ? null : plan.errors.apiKey).toMatch(/Enter the key again/);
    const withKey = planSave(
      endpoint,
      stored('…abcd', 'http://a:8000/v1'),
      draft({ baseUrl: 'http://b:8000/v1', apiKey: 'new-key' }),
    );
    expect(withKey.ok).toBe(true);
  });

  it('says when nothing changed', () => {
    const plan = planSave(anthropic, stored('…abcd', null), draft({}));
    expect(plan.ok ? null : plan.errors.form).toMatch(/Nothing to save/);
  });

  it('replaces a saved key and keeps the URL in the form', () => {
    const plan = planSave(
      anthropic,
      stored('…abcd', 'https://proxy.example'),
      draft({ apiKey: 'sk-ant-new', baseUrl: 'https://proxy.example' }),
    );
    expect(plan).toEqual({
      ok: true,
      value: { input: { apiKey: 'sk-ant-new', baseUrl: 'https://proxy.example' }, defaultModel: null },
    });
  });
});

describe('testing a provider', () => {
  it('tests a typed key against the server default model', () => {
    expect(planTest(anthropic, false, draft({ apiKey: 'sk-ant-1' }))).toEqual({
      ok: true,
      value: { apiKey: 'sk-ant-1' },
    });
  });

  it('tests saved settings without a typed key', () => {
    expect(planTest(anthropic, true, draft({}))).toEqual({ ok: true, value: {} });
    expect(planTest(anthropic, false, draft({})).ok).toBe(false);
  });

  it('names a model for providers without a default', () => {
    expect(planTest(endpoint, false, draft({ baseUrl: 'http://h:8000' })).ok).toBe(false);
    expect(planTest(endpoint, false, draft({ baseUrl: 'http://h:8000', model: 'llama-3.1-8b' }))).toEqual({
      ok: true,
      value: { baseUrl: 'http://h:8000/v1', model: 'llama-3.1-8b' },
    });
  });
});
