import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runAura } from './cli-helpers.ts';

const secret = 'sk-test-0123456789abcdefghij';

async function setup() {
  const ctx = await cleanEnv();
  const project = join(ctx.home, 'project');
  await mkdir(project);
  const userFile = join(ctx.home, 'config', 'aura', 'config.yaml');
  const projectFile = join(project, '.aura', 'config.yaml');
  const aura = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runAura(['config', ...args], { env: { ...ctx.env, ...env }, cwd: project });
  return { ...ctx, project, userFile, projectFile, aura };
}

describe('aura config', () => {
  it('sets, gets and unsets values in the user file', async () => {
    const { aura, userFile } = await setup();
    const set = await aura(['set', 'maxSteps', '25']);
    expect(set).toMatchObject({ code: 0, stdout: `maxSteps = 25  (${userFile})\n` });
    expect(await readFile(userFile, 'utf8')).toBe('maxSteps: 25\n');
    expect(await aura(['get', 'maxSteps'])).toMatchObject({ code: 0, stdout: '25\n' });

    await aura(['set', 'permissions', '[{tool: exec, pattern: "npm *", action: allow}]']);
    // The effective list: the built-in rules, then the configured ones (which win).
    const rules = (await aura(['get', 'permissions'])).stdout;
    expect(rules).toMatch(/^\[ \{ tool: "\*", pattern: "\*", action: ask \}, /);
    expect(rules).toMatch(/, \{ tool: exec, pattern: npm \*, action: allow \} \]\n$/);

    expect(await aura(['unset', 'maxSteps'])).toMatchObject({
      code: 0,
      stdout: `removed maxSteps from ${userFile}\n`,
    });
    expect((await aura(['get', 'maxSteps'])).stdout).toBe('15\n');
    const again = await aura(['unset', 'maxSteps']);
    expect(again).toMatchObject({
      code: 0,
      stderr: `aura: maxSteps is not set in ${userFile}: nothing to remove\n`,
    });
  });

  it('refuses an invalid value with file, key and reason, and leaves the file as it was', async () => {
    const { aura, userFile } = await setup();
    await aura(['set', 'maxSteps', '25']);
    const result = await aura(['set', 'maxSteps', 'lots']);
    expect(result).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `aura: ${userFile}: maxSteps: expected a number, got "lots"\n`,
    });
    expect(await readFile(userFile, 'utf8')).toBe('maxSteps: 25\n');
  });

  it('suggests the nearest key for a typo, and names unknown actions and missing operands', async () => {
    const { aura } = await setup();
    expect(await aura(['set', 'modle', 'openai/gpt-5'])).toMatchObject({
      code: 2,
      stderr: 'aura: unknown key "modle" (did you mean "model"?)\n',
    });
    expect(await aura(['get', 'providers.openai.baseUrl'])).toMatchObject({
      code: 2,
      stderr: 'aura: unknown key "providers.openai.baseUrl" (did you mean "providers.openai.baseURL"?)\n',
    });
    expect(await aura(['set', 'model'])).toMatchObject({
      code: 2,
      stderr: 'aura: usage: aura config set KEY VALUE\n',
    });
    const unknown = await aura(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^aura: unknown config action "frobnicate": use get, set, unset, list or path/,
    );
  });

  it('never prints a secret, in get, set or list', async () => {
    const { aura, userFile } = await setup();
    const set = await aura(['set', 'providers.openai.apiKey', secret]);
    expect(set.stdout).toBe(`providers.openai.apiKey = ••••ghij  (${userFile})\n`);
    expect(await readFile(userFile, 'utf8')).toContain(secret);
    await aura(['set', 'providers.openai.headers', '{X-Team-Token: team-secret-value-42}']);
    const outputs = [
      await aura(['get', 'providers.openai.apiKey']),
      await aura(['get', 'providers']),
      await aura(['list']),
      await aura(['list', '--format', 'json']),
    ];
    for (const output of outputs) {
      expect(output.code).toBe(0);
      expect(output.stdout + output.stderr).not.toContain(secret);
      expect(output.stdout + output.stderr).not.toContain('team-secret-value');
    }
    expect(outputs[0]?.stdout).toBe('••••ghij\n');
  });

  it('lists every effective value with the layer it came from', async () => {
    const { aura, userFile, projectFile } = await setup();
    await aura(['set', 'model', 'user/model']);
    await aura(['set', 'retry.maxRetries', '2']);
    await aura(['set', 'maxSteps', '30', '--project']);
    await aura(['set', 'permissions', '[{tool: exec, pattern: "curl *", action: deny}]', '--project']);
    const result = await aura(['list', '--format', 'json', '--model', 'flag/model'], {
      AURA_MAX_RETRIES: '5',
    });
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as {
      key: string;
      value: unknown;
      origin: string;
      source?: string;
    }[];
    const row = (key: string) => rows.find((r) => r.key === key);
    expect(row('model')).toEqual({ key: 'model', value: 'flag/model', origin: 'flag', source: '--model' });
    expect(row('maxSteps')).toEqual({ key: 'maxSteps', value: 30, origin: 'project', source: projectFile });
    expect(row('retry.maxRetries')).toEqual({
      key: 'retry.maxRetries',
      value: 5,
      origin: 'env',
      source: 'AURA_MAX_RETRIES',
    });
    expect(row('webFetch.allowPrivateNetwork')).toEqual({
      key: 'webFetch.allowPrivateNetwork',
      value: false,
      origin: 'default',
    });
    const lastRule = rows.filter((r) => r.key.startsWith('permissions.')).at(-1);
    expect(lastRule).toMatchObject({
      value: { tool: 'exec', pattern: 'curl *', action: 'deny' },
      origin: 'project',
    });

    const text = await aura(['list']);
    expect(text.stdout).toMatch(new RegExp(`^model +user/model +user \\(${userFile}\\)$`, 'm'));
    expect(text.stdout).toMatch(/^maxSteps +30 +project \(.*\/project\/\.aura\/config\.yaml\)$/m);
  });

  it('warns when a value it wrote is overridden by a higher layer', async () => {
    const { aura } = await setup();
    const result = await aura(['set', 'maxSteps', '40'], { AURA_MAX_STEPS: '8' });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('aura: note: maxSteps is overridden by env (AURA_MAX_STEPS)\n');
    expect((await aura(['get', 'maxSteps'], { AURA_MAX_STEPS: '8' })).stdout).toBe('8\n');
  });

  it('keeps allow rules and MCP servers out of a project config', async () => {
    const { aura, projectFile, project } = await setup();
    const allow = await aura([
      'set',
      'permissions',
      '[{tool: exec, pattern: "*", action: allow}]',
      '--project',
    ]);
    expect(allow.code).toBe(2);
    expect(allow.stderr).toContain(
      `aura: ${projectFile}: permissions.0.action: a project's config can only add ask/deny rules`,
    );
    const mcp = await aura(['set', 'mcp.evil', '{type: stdio, command: sh}', '--project', '--dir', project]);
    expect(mcp).toMatchObject({
      code: 2,
      stderr: `aura: ${projectFile}: mcp: a project's config cannot start programs; add MCP servers with aura mcp add\n`,
    });
    await expect(readFile(projectFile)).rejects.toThrow(/ENOENT/);
  });

  it('shows where the files are and whether they exist', async () => {
    const { aura, userFile, projectFile } = await setup();
    expect((await aura(['path'])).stdout).toBe(
      `user     ${userFile}  (not created yet)\nproject  ${projectFile}  (not created yet)\n`,
    );
    await aura(['set', 'model', 'a/b']);
    expect((await aura(['path'])).stdout).toContain(`user     ${userFile}  (exists)\n`);
  });

  it('reports an unset key, a broken file and a bad variable with their exit codes', async () => {
    const { aura, userFile, env, home } = await setup();
    expect(await aura(['get', 'webSearch.provider'])).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'aura: webSearch.provider is not set\n',
    });
    expect(await aura(['get', 'maxSteps'], { AURA_MAX_STEPS: 'many' })).toMatchObject({
      code: 2,
      stderr: 'aura: AURA_MAX_STEPS: expected a whole number, got "many"\n',
    });
    // The server reads the same variables, and refuses to start on one it cannot read.
    const serve = await runAura(['serve', '--port', '0', '--data', join(home, 'data')], {
      env: { ...env, AURA_MAX_STEPS: 'many' },
    });
    expect(serve).toMatchObject({
      code: 2,
      stderr: 'aura: AURA_MAX_STEPS: expected a whole number, got "many"\n',
    });
    await mkdir(join(userFile, '..'), { recursive: true });
    await writeFile(userFile, 'model: openai/gpt-5\n  maxSteps: 3\n');
    const broken = await aura(['list']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(new RegExp(`^aura: ${userFile}:1:\\d+: invalid YAML: `));
  });
});
