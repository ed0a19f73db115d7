import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfigFile, setConfigValue, unsetConfigValue } from './index.ts';

async function configFile(text?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aura-set-'));
  const file = join(dir, 'aura', 'config.yaml');
  if (text !== undefined) {
    await mkdir(join(dir, 'aura'));
    await writeFile(file, text);
  }
  return file;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as Error;
}

describe('setConfigValue', () => {
  it('reads the value as YAML: numbers, booleans, lists and maps', async () => {
    const file = await configFile();
    await setConfigValue(file, 'maxSteps', '30');
    await setConfigValue(file, 'webFetch.allowPrivateNetwork', 'true');
    await setConfigValue(file, 'providers.ollama.models', '[qwen2.5-coder, llama3.2]');
    await setConfigValue(file, 'permissions', '[{tool: exec, pattern: "npm *", action: allow}]');
    await setConfigValue(file, 'pricing.openai/gpt-4.1', '{input: 3, output: 8}');
    await setConfigValue(file, 'pricing.openai/gpt-4.1.input', '2');
    expect(await readConfigFile(file)).toEqual({
      maxSteps: 30,
      webFetch: { allowPrivateNetwork: true },
      providers: { ollama: { models: ['qwen2.5-coder', 'llama3.2'] } },
      permissions: [{ tool: 'exec', pattern: 'npm *', action: 'allow' }],
      pricing: { 'openai/gpt-4.1': { input: 2, output: 8 } },
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('keeps text as typed where the key holds text', async () => {
    const file = await configFile();
    await setConfigValue(file, 'providers.custom.apiKey', '0123456789');
    await setConfigValue(file, 'model', 'true');
    expect(await readConfigFile(file)).toEqual({
      model: 'true',
      providers: { custom: { apiKey: '0123456789' } },
    });
  });

  it('keeps the comments and layout of the file', async () => {
    const file = await configFile('# my settings\nmodel: openai/gpt-5 # the usual\n\nmaxSteps: 10\n');
    await setConfigValue(file, 'maxSteps', '12');
    expect(await readFile(file, 'utf8')).toBe(
      '# my settings\nmodel: openai/gpt-5 # the usual\n\nmaxSteps: 12\n',
    );
  });

  it('leaves the file untouched when the value is invalid, and says why', async () => {
    const original = 'maxSteps: 10\n';
    const file = await configFile(original);
    const error = await failure(setConfigValue(file, 'maxSteps', 'lots'));
    expect(error.message).toBe(`${file}: maxSteps: expected a number, got "lots"`);
    await failure(setConfigValue(file, 'maxSteps', '9999'));
    await failure(setConfigValue(file, 'permissions', '[{tool: exec, action: sometimes}]'));
    await failure(setConfigValue(file, 'permissions', '[unclosed'));
    expect(await readFile(file, 'utf8')).toBe(original);
  });

  it('rejects unknown keys with the nearest valid one, before touching the file', async () => {
    const file = await configFile();
    expect((await failure(setConfigValue(file, 'modle', 'x/y'))).message).toBe(
      'unknown key "modle" (did you mean "model"?)',
    );
    expect((await failure(setConfigValue(file, 'providers.openai.baseUrl', 'http://h/v1'))).message).toBe(
      'unknown key "providers.openai.baseUrl" (did you mean "providers.openai.baseURL"?)',
    );
    expect((await failure(setConfigValue(file, 'model.name', 'x'))).message).toBe(
      'model is a single value: it has no key "name"',
    );
    expect((await failure(setConfigValue(file, 'permissions.first', 'x'))).message).toMatch(
      /^permissions is a list: name an item by its position/,
    );
    expect((await failure(setConfigValue(file, 'providers..apiKey', 'x'))).message).toMatch(/is not a key/);
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it('appends to a list or replaces an item by position, but not past the end', async () => {
    const file = await configFile('permissions:\n  - { tool: exec, pattern: "git *", action: allow }\n');
    await setConfigValue(file, 'permissions.1', '{tool: exec, pattern: "rm *", action: deny}');
    await setConfigValue(file, 'permissions.0.action', 'ask');
    expect((await readConfigFile(file)).permissions).toEqual([
      { tool: 'exec', pattern: 'git *', action: 'ask' },
      { tool: 'exec', pattern: 'rm *', action: 'deny' },
    ]);
    expect((await failure(setConfigValue(file, 'permissions.5', '{tool: x, action: deny}'))).message).toBe(
      `${file}: permissions.5: cannot set item 5: permissions has 2 item(s), so use a position from 0 to 2 (2 adds one)`,
    );
  });

  it('refuses what a project config may not hold, with the reason', async () => {
    const file = await configFile();
    const allow = await failure(
      setConfigValue(file, 'permissions', '[{tool: exec, pattern: "*", action: allow}]', { project: true }),
    );
    expect(allow.message).toMatch(/permissions\.0\.action: a project's config can only add ask\/deny rules/);
    const server = await failure(
      setConfigValue(file, 'mcp.files', '{type: stdio, command: npx, args: [server]}', { project: true }),
    );
    expect(server.message).toBe(
      `${file}: mcp: a project's config cannot start programs; add MCP servers with aura mcp add`,
    );
    await setConfigValue(file, 'permissions', '[{tool: exec, pattern: "curl *", action: deny}]', {
      project: true,
    });
    expect((await readConfigFile(file)).permissions).toEqual([
      { tool: 'exec', pattern: 'curl *', action: 'deny' },
    ]);
  });

  it('reports a broken file with its line and column instead of overwriting it', async () => {
    const file = await configFile('model: [oops\n');
    expect((await failure(setConfigValue(file, 'maxSteps', '3'))).message).toMatch(
      new RegExp(`^${file.replaceAll('/', '\\/')}:2:1: invalid YAML:`),
    );
    expect(await readFile(file, 'utf8')).toBe('model: [oops\n');
  });
});

describe('unsetConfigValue', () => {
  it('removes the key and the maps it leaves empty, keeping the rest', async () => {
    const file = await configFile('# keep me\nmodel: a/b\nproviders:\n  openai:\n    apiKey: sk-x\n');
    expect(await unsetConfigValue(file, 'providers.openai.apiKey')).toBe(true);
    expect(await readFile(file, 'utf8')).toBe('# keep me\nmodel: a/b\n');
  });

  it('says when there was nothing to remove, and creates no file', async () => {
    const file = await configFile();
    expect(await unsetConfigValue(file, 'model')).toBe(false);
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it('refuses a removal that would leave the file invalid', async () => {
    const file = await configFile('webSearch:\n  provider: brave\n  apiKeyEnv: BRAVE_KEY\n');
    expect((await failure(unsetConfigValue(file, 'webSearch.provider'))).message).toBe(
      `${file}: webSearch.provider: missing: expected brave or tavily`,
    );
    expect(await readConfigFile(file)).toEqual({ webSearch: { provider: 'brave', apiKeyEnv: 'BRAVE_KEY' } });
  });
});
