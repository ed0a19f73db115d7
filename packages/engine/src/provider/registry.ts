import type { LanguageModelV4 } from '@ai-sdk/provider';
import type { AuraConfig, ProviderSettings } from '../config/index.ts';
import { parseModelId } from './model-id.ts';

export class ProviderConfigError extends Error {
  override name = 'ProviderConfigError';
}

type Env = Record<string, string | undefined>;

interface BuiltinProvider {
  /** Env vars that carry its credentials, for messages and detection. */
  keyEnv: string[];
  /** A sensible model when only the key is known. */
  defaultModel?: string;
  /** Popular models listed by `aura models`. */
  models: string[];
  /** A runtime on this machine (no key): usable whenever it is running. */
  local?: true;
  /** Provider packages load on first use, so start-up only pays for the one in use. */
  create(model: string, settings: ResolvedSettings): Promise<LanguageModelV4>;
}

interface ResolvedSettings extends ProviderSettings {
  apiKey?: string;
}

/** `https://host` → `https://host/v1`, so both base-URL conventions (with and without /v1) work. */
function withApiVersion(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const parsed = new URL(url);
  if (parsed.pathname === '/' || parsed.pathname === '') return `${url.replace(/\/$/, '')}/v1`;
  return url.replace(/\/$/, '');
}

function requireKey(provider: string, settings: ResolvedSettings, envNames: string[]): string {
  if (settings.apiKey) return settings.apiKey;
  throw new ProviderConfigError(
    `No API key for provider "${provider}". Set ${envNames.join(' or ')} in the environment, or providers.${provider}.apiKey (or apiKeyEnv) in ~/.config/aura/config.yaml.`,
  );
}

async function compatible(
  name: string,
  baseURL: string,
  settings: ResolvedSettings,
  model: string,
): Promise<LanguageModelV4> {
  const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
  return createOpenAICompatible({
    name,
    baseURL,
    apiKey: settings.apiKey,
    headers: settings.headers,
    includeUsage: true,
  }).chatModel(model);
}

export const builtinProviders: Record<string, BuiltinProvider> = {
  anthropic: {
    keyEnv: ['ANTHROPIC_API_KEY'],
    defaultModel: 'claude-sonnet-4-5',
    models: ['claude-opus-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5'],
    create: async (model, s) => {
      const apiKey = requireKey('anthropic', s, ['ANTHROPIC_API_KEY']);
      const { createAnthropic } = await import('@ai-sdk/anthropic');
      return createAnthropic({
        apiKey,
        baseURL: withApiVersion(s.baseURL),
        headers: s.headers,
      })(model);
    },
  },
  openai: {
    keyEnv: ['OPENAI_API_KEY'],
    defaultModel: 'gpt-5',
    models: ['gpt-5', 'gpt-5-mini', 'gpt-4.1', 'o3', 'o4-mini'],
    create: async (model, s) => {
      const apiKey = requireKey('openai', s, ['OPENAI_API_KEY']);
      const { createOpenAI } = await import('@ai-sdk/openai');
      const openai = createOpenAI({
        apiKey,
        baseURL: withApiVersion(s.baseURL),
        headers: s.headers,
      });
      return s.api === 'chat' ? openai.chat(model) : openai.responses(model);
    },
  },
  google: {
    keyEnv: ['GOOGLE_GENERATIVE_AI_API_KEY'],
    defaultModel: 'gemini-2.5-pro',
    models: ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite'],
    create: async (model, s) => {
      const apiKey = requireKey('google', s, ['GOOGLE_GENERATIVE_AI_API_KEY']);
      const { createGoogle } = await import('@ai-sdk/google');
      return createGoogle({ apiKey, baseURL: s.baseURL, headers: s.headers })(model);
    },
  },
  openrouter: {
    keyEnv: ['OPENROUTER_API_KEY'],
    defaultModel: 'anthropic/claude-sonnet-4.5',
    models: ['anthropic/claude-sonnet-4.5', 'openai/gpt-5', 'google/gemini-2.5-pro', 'qwen/qwen3-coder'],
    create: async (model, s) => {
      const apiKey = requireKey('openrouter', s, ['OPENROUTER_API_KEY']);
      const { createOpenRouter } = await import('@openrouter/ai-sdk-provider');
      return createOpenRouter({ apiKey, baseURL: s.baseURL, headers: s.headers }).chat(model);
    },
  },
  azure: {
    keyEnv: ['AZURE_API_KEY'],
    models: [],
    create: async (model, s) => {
      if (!s.resourceName && !s.baseURL) {
        throw new ProviderConfigError(
          'Azure needs a resource: set AZURE_RESOURCE_NAME (or providers.azure.resourceName / baseURL in the config file).',
        );
      }
      const apiKey = requireKey('azure', s, ['AZURE_API_KEY']);
      const { createAzure } = await import('@ai-sdk/azure');
      return createAzure({
        apiKey,
        resourceName: s.resourceName,
        baseURL: s.baseURL,
        headers: s.headers,
      })(model);
    },
  },
  bedrock: {
    keyEnv: ['AWS_ACCESS_KEY_ID'],
    models: ['anthropic.claude-sonnet-4-5-20250929-v1:0'],
    create: async (model, s) => {
      const { createAmazonBedrock } = await import('@ai-sdk/amazon-bedrock');
      return createAmazonBedrock({ region: s.region, baseURL: s.baseURL, headers: s.headers })(model);
    },
  },
  ollama: {
    keyEnv: [],
    local: true,
    models: ['qwen2.5-coder', 'llama3.1', 'deepseek-coder-v2'],
    create: (model, s) => compatible('ollama', s.baseURL ?? 'http://127.0.0.1:11434/v1', s, model),
  },
  lmstudio: {
    keyEnv: [],
    local: true,
    models: [],
    create: (model, s) => compatible('lmstudio', s.baseURL ?? 'http://127.0.0.1:1234/v1', s, model),
  },
  'openai-compatible': {
    keyEnv: ['OPENAI_COMPATIBLE_API_KEY'],
    models: [],
    create: async (model, s) => {
      if (!s.baseURL) {
        throw new ProviderConfigError(
          'openai-compatible models need a base URL: set OPENAI_COMPATIBLE_BASE_URL (e.g. http://127.0.0.1:8000/v1) or providers.openai-compatible.baseURL in the config file.',
        );
      }
      return compatible('openai-compatible', s.baseURL, s, model);
    },
  },
};

/** Settings a provider gets from the environment, before the config file is applied on top. */
function envSettings(provider: string, env: Env): ResolvedSettings {
  switch (provider) {
    case 'anthropic':
      return { apiKey: env.ANTHROPIC_API_KEY, baseURL: env.ANTHROPIC_BASE_URL };
    case 'openai':
      return { apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL };
    case 'google':
      return { apiKey: env.GOOGLE_GENERATIVE_AI_API_KEY };
    case 'openrouter':
      return { apiKey: env.OPENROUTER_API_KEY };
    case 'azure':
      return { apiKey: env.AZURE_API_KEY, resourceName: env.AZURE_RESOURCE_NAME };
    case 'bedrock':
      return { region: env.AWS_REGION };
    case 'ollama':
      return { baseURL: env.OLLAMA_HOST ? withApiVersion(normaliseHost(env.OLLAMA_HOST)) : undefined };
    case 'openai-compatible':
      return { apiKey: env.OPENAI_COMPATIBLE_API_KEY, baseURL: env.OPENAI_COMPATIBLE_BASE_URL };
    default:
      return {};
  }
}

/** OLLAMA_HOST is often given as `host:port` without a scheme. */
function normaliseHost(host: string): string {
  return /^https?:\/\//.test(host) ? host : `http://${host}`;
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function resolveSettings(provider: string, config: AuraConfig, env: Env): ResolvedSettings {
  const fromConfig = config.providers?.[provider] ?? {};
  const merged: ResolvedSettings = {
    ...dropUndefined(envSettings(provider, env)),
    ...dropUndefined(fromConfig),
  };
  if (!fromConfig.apiKey && fromConfig.apiKeyEnv) merged.apiKey = env[fromConfig.apiKeyEnv];
  return merged;
}

/** Creates the AI SDK model for a `provider/model` id (not scripted models: see scripted.ts). */
export async function createProviderModel(
  id: string,
  config: AuraConfig,
  env: Env,
): Promise<LanguageModelV4> {
  const spec = parseModelId(id);
  if (spec.kind !== 'provider') throw new ProviderConfigError(`"${id}" is not a provider model id.`);
  const settings = resolveSettings(spec.provider, config, env);
  const builtin = builtinProviders[spec.provider];
  if (builtin) return builtin.create(spec.model, settings);
  const named = config.providers?.[spec.provider];
  if (!named) {
    const known = [...Object.keys(builtinProviders), ...Object.keys(config.providers ?? {})];
    throw new ProviderConfigError(
      `Unknown provider "${spec.provider}" in model id "${id}". Known providers: ${[...new Set(known)].join(', ')}. Named endpoints are declared under providers.<name> (with type and baseURL) in ~/.config/aura/config.yaml.`,
    );
  }
  if (!settings.baseURL) {
    throw new ProviderConfigError(`providers.${spec.provider}.baseURL is required for a named endpoint.`);
  }
  // An explicit empty key stops the SDK from falling back to OPENAI_API_KEY / ANTHROPIC_API_KEY:
  // the operator's real key must never be sent to a named third-party endpoint.
  const apiKey = settings.apiKey ?? '';
  switch (named.type ?? 'openai-compatible') {
    case 'anthropic': {
      const { createAnthropic } = await import('@ai-sdk/anthropic');
      return createAnthropic({
        apiKey,
        baseURL: withApiVersion(settings.baseURL),
        headers: settings.headers,
      })(spec.model);
    }
    case 'openai': {
      const { createOpenAI } = await import('@ai-sdk/openai');
      return createOpenAI({
        apiKey,
        baseURL: withApiVersion(settings.baseURL),
        headers: settings.headers,
      }).chat(spec.model);
    }
    default:
      return compatible(spec.provider, settings.baseURL, settings, spec.model);
  }
}

/** The model to use when none was asked for: config first, then whichever key the environment has. */
export function defaultModelId(config: AuraConfig, env: Env): string {
  if (config.model) return config.model;
  for (const [name, provider] of Object.entries(builtinProviders)) {
    if (!provider.defaultModel) continue;
    if (resolveSettings(name, config, env).apiKey) return `${name}/${provider.defaultModel}`;
  }
  throw new ProviderConfigError(
    [
      'No model provider is configured.',
      'Set one of ANTHROPIC_API_KEY, OPENAI_API_KEY, GOOGLE_GENERATIVE_AI_API_KEY or OPENROUTER_API_KEY,',
      'or OPENAI_COMPATIBLE_BASE_URL / OLLAMA_HOST and pass --model openai-compatible/<model> or ollama/<model>,',
      'or set `model:` (and providers.<name>.apiKey) in ~/.config/aura/config.yaml.',
      'To try Aura without a key, run a scripted model: --model script:<path-to-script.json>.',
    ].join('\n'),
  );
}

/** Which providers have credentials, for `aura models`. */
export function configuredProviders(config: AuraConfig, env: Env): string[] {
  const names = new Set([...Object.keys(builtinProviders), ...Object.keys(config.providers ?? {})]);
  return [...names].filter((name) => {
    const provider = builtinProviders[name];
    const s = resolveSettings(name, config, env);
    if (!provider || name === 'openai-compatible') return Boolean(s.baseURL);
    if (provider.local) return true;
    if (name === 'bedrock') return Boolean(env.AWS_ACCESS_KEY_ID || config.providers?.bedrock);
    return Boolean(s.apiKey);
  });
}
