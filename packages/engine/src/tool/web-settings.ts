import type { AuraConfig } from '../config/index.ts';
import type { ToolContext } from './types.ts';

export type WebToolContext = Pick<ToolContext, 'allowPrivateNetwork' | 'webSearch'>;

/**
 * What the web tools take from the config: whether web_fetch may reach private addresses, and the
 * search provider with its key resolved now (from the file or the variable it names). Without a
 * key there is no `webSearch`, and `web_search` is not offered.
 */
export function webToolContext(config: AuraConfig, env: NodeJS.ProcessEnv = process.env): WebToolContext {
  const search = config.webSearch;
  const apiKey = search?.apiKey ?? (search?.apiKeyEnv ? env[search.apiKeyEnv] : undefined);
  return {
    allowPrivateNetwork: config.webFetch?.allowPrivateNetwork ?? false,
    webSearch:
      search && apiKey
        ? { provider: search.provider, apiKey, ...(search.baseUrl ? { baseUrl: search.baseUrl } : {}) }
        : undefined,
  };
}
