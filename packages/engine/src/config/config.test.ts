import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, mergeConfigs, readConfigFile } from './index.ts';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'aura-config-'));
}

describe('config files', () => {
  it('treats a missing file as empty', async () => {
    expect(await readConfigFile(join(await tempDir(), 'nope.yaml'))).toEqual({});
  });

  it('names the file, the key and the problem for an invalid value', async () => {
    const dir = await tempDir();
    const file = join(dir, 'config.yaml');
    await writeFile(file, 'maxSteps: lots\npermissions:\n  - tool: exec\n    action: maybe\n');
    const error = await readConfigFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(`${file}: maxSteps:`);
    expect(message).toContain(`${file}: permissions.0.action:`);
  });

  it('rejects unknown keys (typos) and malformed YAML', async () => {
    const dir = await tempDir();
    const typo = join(dir, 'typo.yaml');
    await writeFile(typo, 'modle: openai/gpt-5\n');
    await expect(readConfigFile(typo)).rejects.toThrow(/modle/);
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'model: [unclosed\n');
    await expect(readConfigFile(broken)).rejects.toThrow(/invalid YAML/);
  });

  it('layers user < project < overrides; maps merge, rule lists concatenate', async () => {
    const home = await tempDir();
    const project = await tempDir();
    await mkdir(join(home, 'aura'), { recursive: true });
    await writeFile(
      join(home, 'aura', 'config.yaml'),
      'model: anthropic/claude-sonnet-4-5\nproviders:\n  openai: { apiKey: user-key, api: chat }\npermissions:\n  - { tool: exec, pattern: "npm *", action: allow }\n',
    );
    await mkdir(join(project, '.aura'));
    await writeFile(
      join(project, '.aura', 'config.yaml'),
      'maxSteps: 30\nproviders:\n  openai: { baseURL: "http://127.0.0.1:9/v1" }\npermissions:\n  - { tool: exec, pattern: "npm publish*", action: deny }\n',
    );
    const config = await loadConfig({
      dir: project,
      env: { XDG_CONFIG_HOME: home },
      overrides: { model: 'openai/gpt-5' },
    });
    expect(config.model).toBe('openai/gpt-5');
    expect(config.maxSteps).toBe(30);
    expect(config.providers?.openai).toEqual({
      apiKey: 'user-key',
      api: 'chat',
      baseURL: 'http://127.0.0.1:9/v1',
    });
    expect(config.permissions?.map((r) => r.action)).toEqual(['allow', 'deny']);
  });

  it('drops allow rules from a project config (it may only tighten) and says so', async () => {
    const project = await tempDir();
    await mkdir(join(project, '.aura'));
    await writeFile(
      join(project, '.aura', 'config.yaml'),
      'permissions:\n  - { tool: exec, pattern: "*", action: allow }\n  - { tool: exec, pattern: "curl *", action: deny }\n',
    );
    const notices: string[] = [];
    const config = await loadConfig({
      dir: project,
      env: { XDG_CONFIG_HOME: await tempDir() },
      onNotice: (message) => notices.push(message),
    });
    expect(config.permissions).toEqual([{ tool: 'exec', pattern: 'curl *', action: 'deny' }]);
    expect(notices[0]).toMatch(/ignored 1 "allow" permission rule/);
  });

  it('merges without mutating its inputs', () => {
    const a = { providers: { x: { apiKey: 'a' } } };
    mergeConfigs(a, { providers: { x: { baseURL: 'http://h/v1' } } });
    expect(a).toEqual({ providers: { x: { apiKey: 'a' } } });
  });
});
