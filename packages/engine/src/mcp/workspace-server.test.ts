import { mkdtemp, readFile, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { PermissionRule } from '../config/index.ts';
import { defaultRules } from '../permission/index.ts';
import { createSandbox } from '../sandbox/index.ts';
import { workspaceTools } from './serve.ts';
import { createWorkspaceMcpServer } from './workspace-server.ts';

const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

async function serve(opts: { rules?: PermissionRule[]; approveAsks?: boolean; readOnly?: boolean } = {}) {
  const workspace = await realpath(await mkdtemp(join(tmpdir(), 'aura-mcp-serve-')));
  const { server } = createWorkspaceMcpServer({
    workspace,
    sandbox: createSandbox({ workspace, driver: 'local' }),
    tools: workspaceTools({ readOnly: opts.readOnly ?? false }),
    rules: [...defaultRules, ...(opts.rules ?? [])],
    approveAsks: opts.approveAsks ?? false,
    allowPrivateNetwork: false,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
  clients.push(client);
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  return { workspace, client, call };
}

const textOf = (result: CallToolResult) =>
  result.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('\n');

describe('the workspace MCP server', () => {
  it('lists the workspace tools with JSON Schemas made from their zod schemas', async () => {
    const { client } = await serve();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      'read',
      'write',
      'edit',
      'apply_patch',
      'delete',
      'move',
      'list',
      'glob',
      'grep',
      'exec',
      'web_fetch',
      'codebase_search',
    ]);
    const write = tools.find((tool) => tool.name === 'write');
    expect(write?.inputSchema).toMatchObject({
      type: 'object',
      properties: { path: { type: 'string' }, content: { type: 'string' } },
      required: ['path', 'content'],
    });
    expect(write?.annotations?.readOnlyHint).toBe(false);
  });

  it('offers only read-only tools in read-only mode', async () => {
    const { client, call } = await serve({ readOnly: true });
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(['read', 'list', 'glob', 'grep', 'web_fetch', 'codebase_search']);
    await expect(call('write', { path: 'a.txt', content: 'x' })).rejects.toThrow(/Unknown tool "write"/);
  });

  it('writes, reads and edits files in the workspace', async () => {
    const { workspace, call } = await serve();
    expect((await call('write', { path: 'notes/a.txt', content: 'one\ntwo\n' })).isError).toBe(false);
    expect(await readFile(join(workspace, 'notes/a.txt'), 'utf8')).toBe('one\ntwo\n');
    await call('edit', { path: 'notes/a.txt', old_string: 'two', new_string: 'three' });
    const read = await call('read', { path: 'notes/a.txt' });
    expect(read.isError).toBe(false);
    expect(textOf(read)).toContain('three');
  });

  it('refuses paths outside the workspace', async () => {
    const { call } = await serve();
    const outside = await call('read', { path: '../../../../etc/passwd' });
    expect(outside.isError).toBe(true);
    expect(textOf(outside)).toMatch(/outside the workspace/);
    expect(textOf(outside)).not.toContain('root:');
    expect((await call('write', { path: '/tmp/aura-escape.txt', content: 'x' })).isError).toBe(true);
  });

  it('refuses calls whose rule says ask, explaining how to allow them, unless approved up front', async () => {
    const asked = await serve();
    const refused = await asked.call('exec', { command: 'echo hi' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(
      /^exec on "echo hi" needs approval, and aura mcp serve has nobody to ask\./,
    );
    expect(textOf(refused)).toContain('action: allow');
    expect(textOf(refused)).toContain('--yes');

    const allowed = await serve({ rules: [{ tool: 'exec', pattern: 'echo *', action: 'allow' }] });
    expect(textOf(await allowed.call('exec', { command: 'echo hi' }))).toContain('hi');

    const approved = await serve({ approveAsks: true });
    expect(textOf(await approved.call('exec', { command: 'echo approved' }))).toContain('approved');
  });

  it('keeps the protection of .aura/ and deny rules even when asks are approved', async () => {
    const { workspace, call } = await serve({ rules: [{ tool: 'delete', pattern: '*', action: 'deny' }] });
    await writeFile(join(workspace, 'keep.txt'), 'x');
    const denied = await call('delete', { path: 'keep.txt' });
    expect(textOf(denied)).toBe('Permission denied by a rule: delete is not allowed on "keep.txt".');
    const config = await call('write', { path: '.aura/config.yaml', content: 'permissions: []' });
    expect(textOf(config)).toMatch(/needs approval/);

    const approved = await serve({
      approveAsks: true,
      rules: [{ tool: 'delete', pattern: '*', action: 'deny' }],
    });
    await writeFile(join(approved.workspace, 'keep.txt'), 'x');
    expect((await approved.call('delete', { path: 'keep.txt' })).isError).toBe(true);
    expect(await readFile(join(approved.workspace, 'keep.txt'), 'utf8')).toBe('x');
  });

  it('answers bad input with the same explanation the agent gets', async () => {
    const { call } = await serve();
    const result = await call('read', { path: 42 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Invalid input for read: path must be string, got number/);
  });
});
