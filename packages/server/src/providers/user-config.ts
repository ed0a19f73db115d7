import { type AuraConfig, mergeConfigs, type Store } from '@aura/engine';
import { readUserSettings } from '../routes/settings.ts';
import type { SecretBox } from '../security/secret-box.ts';

/**
 * The engine config for one user's runs: the operator's config file first, then the user's own
 * provider keys (decrypted only here, on the way into the provider SDK) and default model.
 */
export async function providerConfigFor(
  store: Store,
  secrets: SecretBox,
  userId: string,
  base: AuraConfig = {},
): Promise<AuraConfig> {
  const providers: NonNullable<AuraConfig['providers']> = {};
  for (const stored of await store.listProviderKeyCiphertexts(userId)) {
    const apiKey = secrets.open(stored.ciphertext);
    providers[stored.provider] = {
      ...(apiKey ? { apiKey } : {}),
      ...(stored.baseUrl ? { baseURL: stored.baseUrl } : {}),
    };
  }
  const { defaultModel } = await readUserSettings(store, userId);
  return mergeConfigs(base, { providers, ...(defaultModel ? { model: defaultModel } : {}) });
}

/** `sk-ant-…abcd` → `…abcd`: enough to recognise a key, never enough to use it. */
export function keyHint(apiKey: string): string {
  return apiKey.length <= 8 ? '…' : `…${apiKey.slice(-4)}`;
}
