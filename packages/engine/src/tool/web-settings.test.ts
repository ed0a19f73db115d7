import { describe, expect, it } from 'vitest';
import { builtinTools } from './registry.ts';
import { webToolContext } from './web-settings.ts';

const offered = (web: ReturnType<typeof webToolContext>) =>
  builtinTools({ webSearch: Boolean(web.webSearch) }).some((tool) => tool.name === 'web_search');

describe('webToolContext', () => {
  it('hands web_search the key named by apiKeyEnv, read from the environment', () => {
    const web = webToolContext(
      { webSearch: { provider: 'brave', apiKeyEnv: 'MY_BRAVE_KEY', baseUrl: 'http://127.0.0.1:9/search' } },
      { MY_BRAVE_KEY: 'k-123' },
    );
    expect(web.webSearch).toEqual({
      provider: 'brave',
      apiKey: 'k-123',
      baseUrl: 'http://127.0.0.1:9/search',
    });
    expect(offered(web)).toBe(true);
  });

  it('does not offer web_search when the named variable is unset', () => {
    const web = webToolContext({ webSearch: { provider: 'tavily', apiKeyEnv: 'MISSING_KEY' } }, {});
    expect(web.webSearch).toBeUndefined();
    expect(offered(web)).toBe(false);
  });

  it('keeps web_fetch off private addresses unless the config allows them', () => {
    expect(webToolContext({}, {}).allowPrivateNetwork).toBe(false);
    expect(webToolContext({ webFetch: { allowPrivateNetwork: true } }, {}).allowPrivateNetwork).toBe(true);
  });
});
