import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv, readConfigFile } from './index.ts';

/** Each invalid file and the exact lines a person gets back (FILE stands for the file's path). */
const invalidFiles: [what: string, yaml: string, message: string][] = [
  ['typo at the top', 'modle: openai/gpt-5\n', 'FILE: modle: unknown key "modle" (did you mean "model"?)'],
  ['snake_case key', 'max_steps: 3\n', 'FILE: max_steps: unknown key "max_steps" (did you mean "maxSteps"?)'],
  [
    'nested typo',
    'providers:\n  openai:\n    baseUrl: http://127.0.0.1:9/v1\n',
    'FILE: providers.openai.baseUrl: unknown key "baseUrl" (did you mean "baseURL"?)',
  ],
  [
    'key with no near match',
    'colour: blue\n',
    'FILE: colour: unknown key "colour": the keys are model, maxSteps, providers, permissions, pricing, contextWindows, mcp, webFetch, webSearch, server, retry',
  ],
  ['text for a number', 'maxSteps: lots\n', 'FILE: maxSteps: expected a number, got "lots"'],
  ['fraction for a whole number', 'maxSteps: 2.5\n', 'FILE: maxSteps: expected a whole number, got 2.5'],
  ['number out of range', 'maxSteps: 900\n', 'FILE: maxSteps: must be at most 500, got 900'],
  ['zero steps', 'maxSteps: 0\n', 'FILE: maxSteps: must be at least 1, got 0'],
  ['empty model', 'model: ""\n', 'FILE: model: must not be empty'],
  [
    'a list for a map',
    'providers: [openai]\n',
    'FILE: providers: expected a mapping (key: value), got a list',
  ],
  [
    'a string for a list',
    'permissions: allow everything\n',
    'FILE: permissions: expected a list, got "allow everything"',
  ],
  [
    'bad permission action',
    'permissions:\n  - { tool: exec, action: maybe }\n',
    'FILE: permissions.0.action: expected allow, ask or deny, got "maybe"',
  ],
  [
    'rule without a tool',
    'permissions:\n  - { action: deny }\n',
    'FILE: permissions.0.tool: missing: expected text',
  ],
  [
    'yes/no word for a boolean',
    'webFetch:\n  allowPrivateNetwork: "yes"\n',
    'FILE: webFetch.allowPrivateNetwork: expected true or false, got "yes"',
  ],
  [
    'not a URL',
    'providers:\n  openai: { baseURL: "127.0.0.1:11434/v1" }\n',
    'FILE: providers.openai.baseURL: expected a URL such as https://host/path, got "127.0.0.1:11434/v1"',
  ],
  [
    'a secret of the wrong type is not echoed',
    'providers:\n  openai: { apiKey: 12345678 }\n',
    'FILE: providers.openai.apiKey: expected text, got number',
  ],
  [
    'a secret in an invalid place is masked',
    'providers:\n  openai: { headers: { Authorization: [sk-live-abcdefghijklmnop] } }\n',
    'FILE: providers.openai.headers.Authorization: expected text, got a list',
  ],
  [
    'unknown MCP transport',
    'mcp:\n  files: { type: ftp, command: x }\n',
    'FILE: mcp.files.type: expected stdio or http, got "ftp"',
  ],
  [
    'MCP server without a type',
    'mcp:\n  files: { command: x }\n',
    'FILE: mcp.files.type: missing: expected stdio or http',
  ],
  [
    'MCP server name with a space',
    'mcp:\n  "my files": { type: stdio, command: x }\n',
    'FILE: mcp.my files: invalid name "my files": use letters, digits, - and single _ only',
  ],
  [
    'web search without provider',
    'webSearch:\n  apiKeyEnv: BRAVE_KEY\n',
    'FILE: webSearch.provider: missing: expected brave or tavily',
  ],
  [
    'a list instead of a mapping',
    '- model\n- maxSteps\n',
    'FILE: (top level): expected a mapping (key: value), got a list',
  ],
  [
    'unclosed flow list',
    'model: [unclosed\n',
    'FILE:2:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
  ],
  ['duplicate key', 'model: a/b\nmodel: c/d\n', 'FILE:2:1: invalid YAML: Map keys must be unique'],
  [
    'tab indentation',
    'providers:\n\topenai: {}\n',
    'FILE:2:1: invalid YAML: Tabs are not allowed as indentation',
  ],
  [
    'two problems, two lines',
    'maxSteps: "9"\nretry: { maxRetries: 99 }\n',
    'FILE: maxSteps: expected a number, got "9"\nFILE: retry.maxRetries: must be at most 20, got 99',
  ],
];

describe('config validation messages', () => {
  it.each(invalidFiles)('%s', async (_what, yaml, message) => {
    const file = join(await mkdtemp(join(tmpdir(), 'aura-messages-')), 'config.yaml');
    await writeFile(file, yaml);
    const error = await readConfigFile(file).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.name).toBe('ConfigError');
    expect(error?.message).toBe(message.replaceAll('FILE', file));
  });

  it('never prints a credential it quotes', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'aura-messages-')), 'config.yaml');
    await writeFile(
      file,
      'providers:\n  openai: { apiKey: "", baseURL: "sk-live-abcdefghijklmnop" }\nmcp:\n  x: { type: stdio, command: run, env: { TOKEN: 42 } }\n',
    );
    const message = await readConfigFile(file).catch((e: Error) => e.message);
    expect(message).toContain('providers.openai.apiKey: must not be empty');
    expect(message).toContain('mcp.x.env.TOKEN: expected text, got number');
    // A URL field is not a credential field, so its value may be quoted.
    expect(message).toContain('"sk-live-abcdefghijklmnop"');
  });
});

const invalidEnv: [what: string, env: NodeJS.ProcessEnv, message: string][] = [
  ['words for a number', { AURA_MAX_STEPS: 'lots' }, 'AURA_MAX_STEPS: expected a whole number, got "lots"'],
  ['a fraction', { AURA_MAX_STEPS: '2.5' }, 'AURA_MAX_STEPS: expected a whole number, got "2.5"'],
  ['out of range', { AURA_MAX_STEPS: '900' }, 'AURA_MAX_STEPS: must be at most 500, got 900'],
  ['negative retries', { AURA_MAX_RETRIES: '-1' }, 'AURA_MAX_RETRIES: must be at least 0, got -1'],
  [
    'not a boolean',
    { AURA_WEB_FETCH_ALLOW_PRIVATE: 'maybe' },
    'AURA_WEB_FETCH_ALLOW_PRIVATE: expected 1/0, true/false, yes/no or on/off, got "maybe"',
  ],
  [
    'every bad variable is reported',
    { AURA_MAX_STEPS: 'x', AURA_WEB_FETCH_ALLOW_PRIVATE: '2' },
    'AURA_MAX_STEPS: expected a whole number, got "x"\nAURA_WEB_FETCH_ALLOW_PRIVATE: expected 1/0, true/false, yes/no or on/off, got "2"',
  ],
];

describe('environment variables', () => {
  it.each(invalidEnv)('rejects %s, naming the variable', (_what, env, message) => {
    let thrown: unknown;
    try {
      configFromEnv(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toBe(message);
  });

  it('reads numbers, booleans and text, and treats an empty variable as unset', () => {
    const layer = configFromEnv({
      AURA_MODEL: ' openai/gpt-5 ',
      AURA_MAX_STEPS: '40',
      AURA_WEB_FETCH_ALLOW_PRIVATE: 'Yes',
      AURA_MAX_RETRIES: '',
      OPENAI_API_KEY: 'sk-not-a-config-key',
    });
    expect(layer.config).toEqual({
      model: 'openai/gpt-5',
      maxSteps: 40,
      webFetch: { allowPrivateNetwork: true },
    });
    expect([...layer.variables]).toEqual([
      ['model', 'AURA_MODEL'],
      ['maxSteps', 'AURA_MAX_STEPS'],
      ['webFetch.allowPrivateNetwork', 'AURA_WEB_FETCH_ALLOW_PRIVATE'],
    ]);
  });
});
