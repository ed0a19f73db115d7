import type { LanguageModelV4 } from '@ai-sdk/provider';
import type { AuraConfig, ModelPrice } from '../config/index.ts';
import { contextWindowFor } from './context-window.ts';
import { parseModelId } from './model-id.ts';
import { findPrice } from './pricing.ts';
import { createProviderModel, resolveSettings } from './registry.ts';
import { withRetry } from './retry.ts';
import { loadScript } from './script-schema.ts';
import { createScriptedModel } from './scripted.ts';
import { withStallWatchdog } from './stall.ts';

export { classifyError, redactSecrets, redactValues } from './errors.ts';
export { ModelIdError, parseModelId } from './model-id.ts';
export { costOf, defaultPrices, findPrice } from './pricing.ts';
export {
  builtinProviders,
  configuredProviders,
  defaultModelId,
  ProviderConfigError,
  resolveSettings,
} from './registry.ts';
export { loadScript, ScriptError } from './script-schema.ts';
export { createScriptedModel } from './scripted.ts';

export interface ResolvedModel {
  id: string;
  /** The bare model; use `reliableModel` to get it with retries and the stall watchdog. */
  base: LanguageModelV4;
  /** True for `script:` models: every UI labels these as scripted, not a real model. */
  scripted: boolean;
  contextWindow: number;
  price: ModelPrice | undefined;
  retry: { maxRetries?: number; stallTimeoutMs?: number };
  /** Credential values this model uses, so messages shown to people can be scrubbed of them. */
  secrets: string[];
}

export interface ResolveModelOptions {
  config: AuraConfig;
  env: Record<string, string | undefined>;
  /** Base for relative script paths. */
  cwd?: string;
}

/** Turns a model id into a model with its credentials, price and context window. */
export async function resolveModel(id: string, opts: ResolveModelOptions): Promise<ResolvedModel> {
  const spec = parseModelId(id);
  const base =
    spec.kind === 'script'
      ? createScriptedModel(await loadScript(spec.path, opts.cwd), spec.id)
      : await createProviderModel(spec.id, opts.config, opts.env);
  return {
    id: spec.id,
    base,
    scripted: spec.kind === 'script',
    contextWindow: contextWindowFor(spec.id, opts.config.contextWindows),
    price: findPrice(spec.id, opts.config.pricing),
    retry: opts.config.retry ?? {},
    secrets:
      spec.kind === 'provider'
        ? [resolveSettings(spec.provider, opts.config, opts.env).apiKey].filter((v): v is string =>
            Boolean(v),
          )
        : [],
  };
}

/** The model as the agent loop uses it: stalls detected, transient failures retried. */
export function reliableModel(
  resolved: ResolvedModel,
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void,
): LanguageModelV4 {
  const { stallTimeoutMs, maxRetries } = resolved.retry;
  const watched = withStallWatchdog(resolved.base, {
    idleTimeoutMs: stallTimeoutMs,
    firstChunkTimeoutMs: stallTimeoutMs ? stallTimeoutMs * 2 : undefined,
  });
  return withRetry(watched, { maxRetries, onRetry });
}
