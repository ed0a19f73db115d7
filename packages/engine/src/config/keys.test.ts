import { describe, expect, it } from 'vitest';
import {
  configEntries,
  formatValueText,
  maskSecrets,
  mergeConfigs,
  parseValueText,
  resolveKey,
} from './index.ts';
import { closestMatch } from './suggest.ts';

describe('dotted keys', () => {
  it.each([
    ['model', ['model']],
    ['providers.openai.baseURL', ['providers', 'openai', 'baseURL']],
    ['providers.openai.headers.X-Org', ['providers', 'openai', 'headers', 'X-Org']],
    ['permissions.2.action', ['permissions', 2, 'action']],
    ['mcp.files.url', ['mcp', 'files', 'url']],
    ['pricing.openai/gpt-4.1.input', ['pricing', 'openai/gpt-4.1', 'input']],
    ['contextWindows.ollama/qwen2.5-coder', ['contextWindows', 'ollama/qwen2.5-coder']],
  ])('%s', (key, path) => {
    expect(resolveKey(key).path).toEqual(path);
  });

  it.each([
    ['maxstep', 'unknown key "maxstep" (did you mean "maxSteps"?)'],
    [
      'webfetch.allowPrivateNetwork',
      'unknown key "webfetch.allowPrivateNetwork" (did you mean "webFetch.allowPrivateNetwork"?)',
    ],
    ['webFetch.private', 'unknown key "webFetch.private": the keys under webFetch are allowPrivateNetwork'],
    ['retry.0', 'unknown key "retry.0": the keys under retry are maxRetries, stallTimeoutMs'],
    ['maxSteps.value', 'maxSteps is a single value: it has no key "value"'],
    ['', '"" is not a key: use a dotted name such as providers.openai.baseURL'],
    ['model.', '"model." is not a key: use a dotted name such as providers.openai.baseURL'],
    [
      '__proto__',
      'unknown key "__proto__": the keys are model, maxSteps, providers, permissions, pricing, contextWindows, mcp, webFetch, webSearch, server, retry',
    ],
    [
      'toString',
      'unknown key "toString": the keys are model, maxSteps, providers, permissions, pricing, contextWindows, mcp, webFetch, webSearch, server, retry',
    ],
    ['providers.__proto__.apiKey', '"__proto__" cannot be used as a name under providers'],
    ['mcp.constructor', '"constructor" cannot be used as a name under mcp'],
  ])('rejects %j', (key, message) => {
    expect(() => resolveKey(key)).toThrow(message);
  });

  it('suggests only plausible typos', () => {
    expect(closestMatch('baseurl', ['baseURL', 'apiKey'])).toBe('baseURL');
    expect(closestMatch('moddel', ['model', 'maxSteps'])).toBe('model');
    expect(closestMatch('colour', ['model', 'maxSteps'])).toBeUndefined();
  });
});

describe('values on the command line', () => {
  it('parses YAML, keeping text for text keys', () => {
    expect(parseValueText('15', false)).toBe(15);
    expect(parseValueText('[a, b]', false)).toEqual(['a', 'b']);
    expect(parseValueText('{tool: exec, action: deny}', false)).toEqual({ tool: 'exec', action: 'deny' });
    expect(parseValueText('007', true)).toBe('007');
    expect(parseValueText('"quoted"', true)).toBe('quoted');
    expect(parseValueText('[unclosed', true)).toBe('[unclosed');
    expect(() => parseValueText('[unclosed', false)).toThrow(/cannot read the value "\[unclosed"/);
  });

  it('prints values on one line, the way they can be typed back', () => {
    const rules = [{ tool: 'exec', pattern: 'npm *', action: 'allow' }];
    expect(formatValueText(rules)).toBe('[ { tool: exec, pattern: npm *, action: allow } ]');
    expect(parseValueText(formatValueText(rules), false)).toEqual(rules);
    expect(formatValueText(15)).toBe('15');
  });
});

describe('secrets', () => {
  it('masks credentials, header values and MCP server environments, nothing else', () => {
    const providers = {
      openai: {
        apiKey: 'sk-proj-abcdefghijklmnopqrstuvwxyz',
        apiKeyEnv: 'OPENAI_API_KEY',
        baseURL: 'https://api.openai.com/v1',
        headers: { 'X-Org': 'org-1234567890abcdef' },
      },
      short: { apiKey: 'abc' },
    };
    expect(maskSecrets(providers, ['providers'])).toEqual({
      openai: {
        apiKey: '••••wxyz',
        apiKeyEnv: 'OPENAI_API_KEY',
        baseURL: 'https://api.openai.com/v1',
        headers: { 'X-Org': '••••cdef' },
      },
      short: { apiKey: '••••' },
    });
    const server = { type: 'stdio', command: 'npx', env: { GITHUB_TOKEN: 'ghp_0123456789abcdef' } };
    expect(maskSecrets(server, ['mcp', 'github'])).toEqual({
      type: 'stdio',
      command: 'npx',
      env: { GITHUB_TOKEN: '••••cdef' },
    });
    expect(maskSecrets('sk-whole-value-secret', ['webSearch', 'apiKey'])).toBe('••••cret');
  });
});

describe('merging layers', () => {
  it('merges settings key by key but replaces an MCP server or a price whole', () => {
    const merged = mergeConfigs(
      {
        retry: { maxRetries: 1 },
        mcp: { files: { type: 'stdio', command: 'old-server', args: ['--x'] } },
        pricing: { 'a/b': { input: 1, output: 2, cachedInput: 0.5 } },
      },
      {
        retry: { stallTimeoutMs: 5000 },
        mcp: { files: { type: 'http', url: 'http://127.0.0.1:9/mcp' } },
        pricing: { 'a/b': { input: 3, output: 4 } },
      },
    );
    expect(merged).toEqual({
      retry: { maxRetries: 1, stallTimeoutMs: 5000 },
      mcp: { files: { type: 'http', url: 'http://127.0.0.1:9/mcp' } },
      pricing: { 'a/b': { input: 3, output: 4 } },
    });
  });

  it('lists the effective settings the same way', () => {
    const entries = configEntries([
      {
        name: 'user',
        file: '/u.yaml',
        config: { providers: { openai: { apiKey: 'k', baseURL: 'http://a/v1' } } },
      },
      {
        name: 'project',
        file: '/p.yaml',
        config: { providers: { openai: { baseURL: 'http://b/v1' }, mine: {} } },
      },
    ]);
    expect(entries.map(({ key, value, layer }) => [key, value, layer])).toEqual([
      ['providers.openai.apiKey', 'k', 'user'],
      ['providers.openai.baseURL', 'http://b/v1', 'project'],
    ]);
  });
});
