import type { ProviderSpec } from './provider-catalog.ts';
import type { ProviderInput, StoredProviderKey } from './providers-api.ts';
import { normaliseBaseUrl, validateApiKey, validateBaseUrl, validateModelName } from './validate.ts';

/** What the person typed into a provider's form. */
export interface ProviderDraft {
  apiKey: string;
  baseUrl: string;
  /** The model a test calls, and the default model when `makeDefault`. */
  model: string;
  makeDefault: boolean;
}

export type DraftErrors = Partial<Record<'apiKey' | 'baseUrl' | 'model' | 'form', string>>;

export type Planned<T> = { ok: true; value: T } | { ok: false; errors: DraftErrors };

export interface SavePlan {
  input: ProviderInput;
  /** `provider/model` to make the default model, or null to leave it. */
  defaultModel: string | null;
}

function finish<T>(errors: DraftErrors, value: () => T): Planned<T> {
  return Object.values(errors).some(Boolean) ? { ok: false, errors } : { ok: true, value: value() };
}

function checkUrl(spec: ProviderSpec, url: string): string | undefined {
  return spec.baseUrl === 'none' ? undefined : validateBaseUrl(url, spec.baseUrl === 'required');
}

/**
 * The PUT for a provider's form. The server replaces the key and the base URL together, so a new
 * URL without the key again would drop a saved key: that asks for the key instead.
 */
export function planSave(
  spec: ProviderSpec,
  stored: StoredProviderKey | null,
  draft: ProviderDraft,
): Planned<SavePlan> {
  const key = draft.apiKey.trim();
  const url = draft.baseUrl.trim();
  const errors: DraftErrors = {
    baseUrl: checkUrl(spec, url),
    apiKey: spec.key === 'none' ? undefined : validateApiKey(key, spec.key === 'required' && !stored?.hint),
    model: draft.makeDefault && spec.testNeedsModel ? validateModelName(draft.model) : undefined,
  };
  const baseUrl = url && !errors.baseUrl ? normaliseBaseUrl(url, spec.versionPath) : undefined;
  if (!errors.apiKey && !errors.baseUrl && !key && stored) {
    const urlChanged = (baseUrl ?? null) !== stored.baseUrl;
    if (urlChanged && stored.hint) {
      errors.apiKey = 'Enter the key again: saving replaces the saved key and base URL together.';
    } else if (!urlChanged) {
      errors.form = 'Nothing to save: enter a new key or a different URL.';
    }
  }
  return finish(errors, () => ({
    input: { ...(key ? { apiKey: key } : {}), ...(baseUrl ? { baseUrl } : {}) },
    defaultModel: draft.makeDefault && spec.testNeedsModel ? `${spec.id}/${draft.model.trim()}` : null,
  }));
}

/**
 * The test call for a provider's form: what is typed, over what is saved. `canUseSaved` says
 * whether the saved settings (or the server's) could answer without a typed key.
 */
export function planTest(
  spec: ProviderSpec,
  canUseSaved: boolean,
  draft: ProviderDraft,
): Planned<ProviderInput & { model?: string }> {
  const key = draft.apiKey.trim();
  const url = draft.baseUrl.trim();
  const errors: DraftErrors = {
    apiKey: spec.key === 'none' ? undefined : validateApiKey(key, spec.key === 'required' && !canUseSaved),
    baseUrl: checkUrl(spec, url),
    model: spec.testNeedsModel ? validateModelName(draft.model) : undefined,
  };
  return finish(errors, () => ({
    ...(key ? { apiKey: key } : {}),
    ...(url ? { baseUrl: normaliseBaseUrl(url, spec.versionPath) } : {}),
    ...(spec.testNeedsModel ? { model: draft.model.trim() } : {}),
  }));
}
