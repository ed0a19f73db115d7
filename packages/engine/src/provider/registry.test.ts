import { describe, expect, it } from 'vitest';
import { parseModelId } from './model-id.ts';
import { costOf, findPrice } from './pricing.ts';
import { configuredProviders, createProviderModel, defaultModelId, ProviderConfigError } from './registry.ts';

describe('model ids', () => {
  it('splits provider/model at the first slash and keeps the rest', () => {
    expect(parseModelId('openrouter/anthropic/claude-sonnet-4.5')).toMatchObject({
      provider: 'openrouter',
      model: 'anthropic/claude-sonnet-4.5',
    });
    expect(parseModelId('script:demo/x.json')).toEqual({
      kind: 'script',
      path: 'demo/x.json',
      id: 'script:demo/x.json',
    });
  });

  it('rejects ids without a provider or model, saying what a good one looks like', () => {
    for (const bad of ['gpt-5', '/gpt-5', 'openai/', 'script:']) {
      expect(() => parseModelId(bad)).toThrow(/provider\/model|needs a path/);
    }
  });
});

describe('provider registry', () => {
  it('refuses an unknown provider and lists the known ones', async () => {
    await expect(createProviderModel('nosuch/model', {}, {})).rejects.toThrow(
      /Unknown provider "nosuch".*anthropic/s,
    );
  });

  it('names the env var and config key when a key is missing', async () => {
    const error = await createProviderModel('anthropic/claude-sonnet-4-5', {}, {}).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(ProviderConfigError);
    expect(error?.message).toContain('ANTHROPIC_API_KEY');
    expect(error?.message).toContain('providers.anthropic.apiKey');
  });

  it('needs OPENAI_COMPATIBLE_BASE_URL for openai-compatible models', async () => {
    await expect(createProviderModel('openai-compatible/qwen', {}, {})).rejects.toThrow(
      /OPENAI_COMPATIBLE_BASE_URL/,
    );
    const model = await createProviderModel(
      'openai-compatible/qwen',
      {},
      { OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1' },
    );
    expect(model.modelId).toBe('qwen');
  });

  it('builds named endpoints from config and reads keys from apiKeyEnv', async () => {
    const config = {
      providers: {
        myvllm: {
          type: 'openai-compatible' as const,
          baseURL: 'http://127.0.0.1:9/v1',
          apiKeyEnv: 'VLLM_KEY',
        },
      },
    };
    expect((await createProviderModel('myvllm/qwen3', config, { VLLM_KEY: 'k' })).modelId).toBe('qwen3');
    expect(configuredProviders(config, {})).toContain('myvllm');
  });

  it('picks a default model from config, then from whichever key is set', () => {
    expect(defaultModelId({ model: 'openai/gpt-5-mini' }, {})).toBe('openai/gpt-5-mini');
    expect(defaultModelId({}, { OPENAI_API_KEY: 'sk-test' })).toBe('openai/gpt-5');
    expect(defaultModelId({}, { GOOGLE_GENERATIVE_AI_API_KEY: 'g' })).toBe('google/gemini-2.5-pro');
  });

  it('explains how to configure a provider when none is', () => {
    const message = (() => {
      try {
        defaultModelId({}, {});
      } catch (e) {
        return (e as Error).message;
      }
    })();
    for (const name of [
      'ANTHROPIC_API_KEY',
      'OPENAI_API_KEY',
      'OPENAI_COMPATIBLE_BASE_URL',
      'config.yaml',
      'script:',
    ]) {
      expect(message).toContain(name);
    }
  });
});

describe('pricing', () => {
  it('prices known models per million tokens, with cached input cheaper', () => {
    const price = findPrice('anthropic/claude-sonnet-4-5');
    expect(
      costOf({ inputTokens: 1_000_000, outputTokens: 1_000_000, cachedInputTokens: 0 }, price),
    ).toBeCloseTo(18);
    expect(
      costOf({ inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 1_000_000 }, price),
    ).toBeCloseTo(0.3);
  });

  it('lets config override the table and treats local runtimes as free', () => {
    expect(findPrice('openai/gpt-5', { 'openai/gpt-5': { input: 9, output: 9 } })).toEqual({
      input: 9,
      output: 9,
    });
    expect(findPrice('ollama/llama3.1')).toEqual({ input: 0, output: 0 });
    expect(findPrice('script:demo/hello-page.json')).toEqual({ input: 0, output: 0 });
    expect(
      costOf({ inputTokens: 10, outputTokens: 10, cachedInputTokens: 0 }, findPrice('nobody/knows')),
    ).toBeNull();
  });

  it('matches a bare model name served by another provider', () => {
    expect(findPrice('openrouter/openai/gpt-5')).toEqual(findPrice('openai/gpt-5'));
  });
});

describe('named endpoints and credentials', () => {
  it('never sends the environment key of a built-in provider to a named endpoint', async () => {
    const requests: Record<string, string | undefined>[] = [];
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      requests.push({
        authorization: req.headers.authorization,
        apiKey: req.headers['x-api-key'] as string | undefined,
      });
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"no"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const realKey = 'sk-real-operator-key-0000';
    process.env.OPENAI_API_KEY = realKey;
    process.env.ANTHROPIC_API_KEY = realKey;
    try {
      const { generateText } = await import('ai');
      for (const type of ['openai', 'anthropic'] as const) {
        const config = { providers: { p: { type, baseURL: `http://127.0.0.1:${port}/v1` } } };
        const model = await createProviderModel('p/m', config, {});
        await generateText({ model, prompt: 'hi', maxRetries: 0 }).catch(() => undefined);
      }
    } finally {
      delete process.env.OPENAI_API_KEY;
      delete process.env.ANTHROPIC_API_KEY;
      server.close();
    }
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests)).not.toContain(realKey);
  });

  it('counts local runtimes as available without a key', () => {
    expect(configuredProviders({}, {})).toEqual(expect.arrayContaining(['ollama', 'lmstudio']));
    expect(configuredProviders({}, {})).not.toContain('anthropic');
  });
});
