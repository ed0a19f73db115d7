import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixtureServer } from '../../engine/src/mcp/fixtures/spawn-fixture.ts';
import { type CliEnv, cleanEnv, runAura } from './cli-helpers.ts';

const configFile = (ctx: CliEnv) => join(ctx.home, 'config', 'aura', 'config.yaml');
const mcp = (ctx: CliEnv, ...args: string[]) => runAura(['mcp', ...args], { env: ctx.env, cwd: ctx.home });
const readConfig = async (ctx: CliEnv) => parse(await readFile(configFile(ctx), 'utf8'));

async function withConfig(text: string): Promise<CliEnv> {
  const ctx = await cleanEnv();
  await mkdir(join(ctx.home, 'config', 'aura'), { recursive: true });
  await writeFile(configFile(ctx), text);
  return ctx;
}

describe('aura mcp add, list, get and remove', () => {
  it('adds a stdio server to the user config, keeping its comments, private to the user', async () => {
    const ctx = await withConfig('# my settings\nmodel: openai/gpt-5 # the usual\n');
    const added = await mcp(
      ctx,
      'add',
      'files',
      '--env',
      'ROOT=/srv/data',
      '--env',
      'API_KEY=s3cret-value',
      '--timeout',
      '5000',
      '--',
      'npx',
      '-y',
      '@example/files-server',
      '--help',
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Added MCP server "files" (npx -y @example/files-server --help)');
    expect(added.stdout).toContain('mcp__files__<tool>');
    expect(added.stdout).not.toContain('s3cret-value');
    const text = await readFile(configFile(ctx), 'utf8');
    expect(text).toContain('# my settings');
    expect(text).toContain('# the usual');
    expect(parse(text).mcp).toEqual({
      files: {
        type: 'stdio',
        command: 'npx',
        args: ['-y', '@example/files-server', '--help'],
        env: { ROOT: '/srv/data', API_KEY: 's3cret-value' },
        timeoutMs: 5000,
      },
    });
    expect((await stat(configFile(ctx))).mode & 0o777).toBe(0o600);
  });

  it('adds an HTTP server by URL, with headers, and lists servers with secrets masked', async () => {
    const ctx = await cleanEnv();
    expect(
      (
        await mcp(
          ctx,
          'add',
          'web',
          'https://mcp.example.com/mcp',
          '--header',
          'Authorization: Bearer tok-123',
        )
      ).code,
    ).toBe(0);
    expect(
      (await mcp(ctx, 'add', 'local', '--transport', 'http', 'http://127.0.0.1:9000/mcp', '-H', 'X-Key:abc'))
        .code,
    ).toBe(0);
    await mcp(ctx, 'add', 'files', '--env', 'TOKEN=ghp_secret', '--', 'files-server');
    expect((await readConfig(ctx)).mcp.web).toEqual({
      type: 'http',
      url: 'https://mcp.example.com/mcp',
      headers: { Authorization: 'Bearer tok-123' },
    });

    const text = await mcp(ctx, 'list');
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')).toEqual([
      'web    http   https://mcp.example.com/mcp',
      'local  http   http://127.0.0.1:9000/mcp',
      'files  stdio  files-server',
      '',
    ]);
    const json = JSON.parse((await mcp(ctx, 'list', '--format', 'json')).stdout);
    expect(json).toEqual([
      {
        name: 'web',
        type: 'http',
        url: 'https://mcp.example.com/mcp',
        headers: { Authorization: '***' },
        timeoutMs: 60000,
        enabled: true,
      },
      {
        name: 'local',
        type: 'http',
        url: 'http://127.0.0.1:9000/mcp',
        headers: { 'X-Key': '***' },
        timeoutMs: 60000,
        enabled: true,
      },
      {
        name: 'files',
        type: 'stdio',
        command: 'files-server',
        args: [],
        env: { TOKEN: '***' },
        timeoutMs: 60000,
        enabled: true,
      },
    ]);
    const detail = await mcp(ctx, 'get', 'files');
    expect(detail.stdout).toContain('env:      TOKEN=***');
    for (const output of [text.stdout, JSON.stringify(json), detail.stdout]) {
      expect(output).not.toMatch(/tok-123|abc|ghp_secret/);
    }
  });

  it('checks that servers start and counts their tools', async () => {
    const ctx = await cleanEnv();
    await mcp(ctx, 'add', 'fixture', '--', process.execPath, fixtureServer, 'stdio');
    await mcp(ctx, 'add', 'broken', '--', '/nonexistent/server');
    const listed = await mcp(ctx, 'list', '--check');
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^fixture .* ok, 8 tools$/);
    expect(lines[1]).toBe(
      'broken   stdio  /nonexistent/server  failed: could not start: command "/nonexistent/server" was not found',
    );
    const json = JSON.parse((await mcp(ctx, 'get', 'fixture', '--check', '--format', 'json')).stdout);
    expect(json.status).toEqual({ ok: true, tools: 8 });
    expect(json.tools.map((tool: { name: string }) => tool.name)).toContain('mcp__fixture__echo');
    const text = await mcp(ctx, 'get', 'fixture', '--check');
    expect(text.stdout).toContain('status:   ok, 8 tools');
    expect(text.stdout).toContain('mcp__fixture__sleep');
  });

  it('refuses a duplicate name unless --force, then replaces it', async () => {
    const ctx = await cleanEnv();
    await mcp(ctx, 'add', 'files', '--', 'first-server');
    const again = await mcp(ctx, 'add', 'files', '--', 'second-server');
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      'aura: an MCP server named "files" already exists (first-server). Remove it first with aura mcp remove files, or pass --force to replace it.\n',
    );
    expect((await readConfig(ctx)).mcp.files.command).toBe('first-server');
    const forced = await mcp(ctx, 'add', 'files', '--force', '--', 'second-server');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('Replaced MCP server "files"');
    expect((await readConfig(ctx)).mcp.files.command).toBe('second-server');
  });

  it('removes a server, and the mcp section with the last one', async () => {
    const ctx = await withConfig('model: openai/gpt-5\n');
    await mcp(ctx, 'add', 'a', '--', 'a-server');
    await mcp(ctx, 'add', 'b', '--', 'b-server');
    const removed = await mcp(ctx, 'remove', 'a');
    expect(removed.code).toBe(0);
    expect(removed.stdout).toBe(`Removed MCP server "a" from ${configFile(ctx)}.\n`);
    expect(Object.keys((await readConfig(ctx)).mcp)).toEqual(['b']);
    const missing = await mcp(ctx, 'remove', 'a');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('aura: no MCP server named "a" (configured: b)\n');
    await mcp(ctx, 'remove', 'b');
    expect(await readConfig(ctx)).toEqual({ model: 'openai/gpt-5' });
  });

  it('says how to add one when none are configured', async () => {
    const ctx = await cleanEnv();
    expect((await mcp(ctx, 'list')).stdout).toBe(
      'No MCP servers configured. Add one with: aura mcp add NAME -- COMMAND [ARGS...]\n',
    );
    expect(JSON.parse((await mcp(ctx, 'list', '--format', 'json')).stdout)).toEqual([]);
  });

  it.each([
    [
      ['add', 'two__underscores', '--', 'x'],
      'bad server name "two__underscores": use letters, digits, - and single _ only',
    ],
    [['add', 'has space', '--', 'x'], 'bad server name "has space"'],
    [['add', 'n'.repeat(33), '--', 'x'], 'use at most 32 characters'],
    [['add', 'nocommand'], 'a command to start the server is required, after --'],
    [['add', 'web', '--transport', 'http', 'not a url'], '"not a url" is not a URL'],
    [['add', 'web', '--transport', 'http', 'file:///etc/passwd'], 'is not an http(s) URL (got file:)'],
    [
      ['add', 'web', '--transport', 'http', 'http://a/mcp', 'http://b/mcp'],
      'an HTTP server takes one URL (got 2)',
    ],
    [['add', 'web', 'http://a/mcp', '--env', 'A=b'], '--env is for stdio servers'],
    [['add', 'files', '--header', 'A: b', '--', 'x'], '--header is for HTTP servers'],
    [['add', 'files', '--env', '1BAD=x', '--', 'x'], '--env expects NAME=VALUE (got "1BAD=…")'],
    [
      ['add', 'files', '--timeout', '50', '--', 'x'],
      '--timeout is in milliseconds, from 100 to 3600000 (got 50)',
    ],
    [['add', 'files', '--timeout', 'soon', '--', 'x'], '--timeout must be a positive whole number'],
    [['add', 'files', '--transport', 'smoke', '--', 'x'], '--transport must be one of stdio, http'],
    [['get', 'nothing'], 'no MCP server named "nothing" (none are configured)'],
    [['frobnicate'], 'unknown mcp command "frobnicate"'],
  ])('refuses bad input: aura mcp %j', async (args, message) => {
    const ctx = await withConfig('model: openai/gpt-5\n');
    const result = await mcp(ctx, ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(await readFile(configFile(ctx), 'utf8')).toBe('model: openai/gpt-5\n');
  });

  it('never repeats a secret from a malformed flag', async () => {
    const ctx = await cleanEnv();
    const result = await mcp(
      ctx,
      'add',
      'web',
      'http://a/mcp',
      '--header',
      'Authorization Bearer sk-live-1234',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--header expects Name: value');
    expect(result.stderr).not.toContain('sk-live-1234');
  });

  it('names the file and the problem when the config it would edit is broken', async () => {
    const ctx = await withConfig('mcp: [not, a, map\n');
    const result = await mcp(ctx, 'add', 'files', '--', 'x');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(configFile(ctx));
    expect(result.stderr).toContain('invalid YAML');
    const wrongType = await withConfig('mcp:\n  files: {type: stdio, command: 42}\n');
    const listed = await mcp(wrongType, 'list');
    expect(listed.code).toBe(2);
    expect(listed.stderr).toContain(`${configFile(wrongType)}: mcp.files.command:`);
  });
});
