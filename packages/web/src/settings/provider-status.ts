import type { CatalogModel } from './models-api.ts';
import { providerSpec } from './provider-catalog.ts';
import type { ProviderItem } from './providers-api.ts';

/**
 * connected: the person's own settings are complete; server: the server brings credentials;
 * incomplete: something is saved but not enough to call the provider; unchecked: a local runtime
 * that may be listening at its default address; off: nothing.
 */
export type ProviderState = 'connected' | 'server' | 'incomplete' | 'unchecked' | 'off';

export interface ProviderStatus {
  state: ProviderState;
  /** Whether runs can use it without anything more from the person. */
  usable: boolean;
  /** What is known, in a few words, never a secret: "key …abcd · http://…". */
  detail: string;
}

export function providerStatus(item: ProviderItem, models: readonly CatalogModel[]): ProviderStatus {
  const spec = providerSpec(item.provider);
  // The server reports keyless local runtimes (Ollama, LM Studio) as configured whether or not
  // one is running, so only an address the person saved counts for them.
  const local = item.envVars.length === 0;
  const fromServer =
    !local && (item.configuredByServer || models.some((m) => m.provider === item.provider && m.available));
  const { key } = item;
  if (key) {
    const complete =
      (spec.key !== 'required' || key.hint !== '') && (spec.baseUrl !== 'required' || key.baseUrl !== null);
    const detail = [key.hint && `key ${key.hint}`, key.baseUrl].filter(Boolean).join(' · ');
    if (complete) return { state: 'connected', usable: true, detail };
    if (fromServer) return { state: 'server', usable: true, detail };
    return { state: 'incomplete', usable: false, detail: missingPart(spec.key, key.hint) };
  }
  if (fromServer) return { state: 'server', usable: true, detail: 'credentials from the server' };
  if (local && spec.baseUrlDefault) {
    return { state: 'unchecked', usable: false, detail: `default address ${spec.baseUrlDefault}` };
  }
  return { state: 'off', usable: false, detail: '' };
}

function missingPart(keyNeed: string, hint: string): string {
  return keyNeed === 'required' && !hint ? 'no API key saved' : 'no base URL saved';
}

/** Whether any provider can serve a run now: the first-run step shows when none can. */
export function hasUsableProvider(items: readonly ProviderItem[], models: readonly CatalogModel[]): boolean {
  return items.some((item) => providerStatus(item, models).usable);
}

export const stateLabels: Record<ProviderState, string> = {
  connected: 'Connected',
  server: 'Set up by the server',
  incomplete: 'Incomplete',
  unchecked: 'Not set up',
  off: 'Not set up',
};

/** The listed models of providers that can serve a run now. */
export function usableModels(
  items: readonly ProviderItem[],
  models: readonly CatalogModel[],
): CatalogModel[] {
  const usable = new Set(items.filter((item) => providerStatus(item, models).usable).map((i) => i.provider));
  return models.filter((m) => usable.has(m.provider));
}
