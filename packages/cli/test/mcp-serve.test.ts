import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import enginePackage from '../../engine/package.json' with { type: 'json' };
import { auraBin, cleanEnv } from './cli-helpers.ts';

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

/** `aura mcp serve` as a client would start it, connected with the SDK's own client. */
async function serve(flags: string[] = [], userConfig?: unknown) {
  const ctx = await cleanEnv();
  if (userConfig) {
    await mkdir(join(ctx.home, 'config', 'aura'), { recursive: true });
    await writeFile(join(ctx.home, 'config', 'aura', 'config.yaml'), JSON.stringify(userConfig));
  }
  const workspace = await mkdtemp(join(tmpdir(), 'aura-serve-ws-'));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [auraBin, 'mcp', 'serve', '--dir', workspace, ...flags],
    env: ctx.env as Record<string, string>,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'sdk-test-client', version: '1.0.0' });
  // Anything on the server's stdout that is not protocol would surface here.
  const protocolErrors: Error[] = [];
  client.onerror = (error) => protocolErrors.push(error);
  await client.connect(transport);
  clients.push(client);
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  return { client, call, workspace, protocolErrors };
}

const textOf = (result: CallToolResult) =>
  result.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('\n');

describe('aura mcp serve', () => {
  it('lists the workspace tools to an SDK client, and writes and reads files', async () => {
    const { client, call, workspace, protocolErrors } = await serve();
    expect(client.getServerVersion()).toMatchObject({ name: 'aura', version: enginePackage.version });
    const tools = (await client.listTools()).tools;
    expect(tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['read', 'write', 'edit', 'apply_patch', 'list', 'glob', 'grep', 'exec']),
    );
    expect(tools.find((tool) => tool.name === 'read')?.inputSchema.required).toEqual(['path']);

    const written = await call('write', { path: 'src/hello.txt', content: 'hello from mcp\n' });
    expect(written.isError).toBe(false);
    expect(await readFile(join(workspace, 'src/hello.txt'), 'utf8')).toBe('hello from mcp\n');
    const read = await call('read', { path: 'src/hello.txt' });
    expect(textOf(read)).toContain('hello from mcp');
    const listed = await call('list', {});
    expect(textOf(listed)).toContain('src/');
    expect(protocolErrors).toEqual([]);
  });

  it('refuses a path that escapes the workspace', async () => {
    const { call } = await serve();
    const escaped = await call('read', { path: '../../../../../../etc/hostname' });
    expect(escaped.isError).toBe(true);
    expect(textOf(escaped)).toMatch(/outside the workspace/);
    const absolute = await call('write', { path: '/tmp/aura-mcp-escape.txt', content: 'x' });
    expect(absolute.isError).toBe(true);
  });

  it('refuses a tool whose rule says ask unless started with --yes, and follows allow rules', async () => {
    const asking = await serve();
    const refused = await asking.call('exec', { command: 'echo ran' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain(
      'exec on "echo ran" needs approval, and aura mcp serve has nobody to ask.',
    );

    const approved = await serve(['--yes']);
    const ran = await approved.call('exec', { command: 'echo ran' });
    expect(ran.isError).toBe(false);
    expect(textOf(ran)).toContain('ran');

    const allowed = await serve([], { permissions: [{ tool: 'exec', pattern: 'echo *', action: 'allow' }] });
    expect(textOf(await allowed.call('exec', { command: 'echo allowed' }))).toContain('allowed');
    expect((await allowed.call('exec', { command: 'touch other' })).isError).toBe(true);
  });

  it('offers only read-only tools with --read-only', async () => {
    const { client, call } = await serve(['--read-only']);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('read');
    expect(names).not.toContain('write');
    expect(names).not.toContain('exec');
    await expect(call('write', { path: 'a.txt', content: 'x' })).rejects.toThrow(/Unknown tool "write"/);
  });

  it('answers the calls already made when its input ends, prints nothing but protocol, and exits', async () => {
    const ctx = await cleanEnv();
    const workspace = await mkdtemp(join(tmpdir(), 'aura-serve-ws-'));
    const messages = [
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'pipe', version: '1' },
        },
      },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'exec', arguments: { command: 'sleep 0.3; echo late' } },
      },
    ];
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, [auraBin, 'mcp', 'serve', '--dir', workspace, '--yes'], {
      env: ctx.env,
      input: messages.map((message) => `${JSON.stringify(message)}\n`).join(''),
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.status).toBe(0);
    const replies = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(replies.map((reply) => reply.id)).toEqual([1, 2]);
    expect(replies[1].result.content[0].text).toContain('late');
  });

  it('refuses a directory that does not exist', async () => {
    const ctx = await cleanEnv();
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, [auraBin, 'mcp', 'serve', '--dir', join(ctx.home, 'nope')], {
      env: ctx.env,
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('is not a directory');
  });
});
