import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { McpServerConfig } from '../config/index.ts';
import { createSandbox } from '../sandbox/index.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { runTool } from '../tool/run.ts';
import type { ToolDefinition } from '../tool/types.ts';
import { connectMcpServers, type McpConnections } from './connect.ts';
import {
  everythingServer,
  fixtureServer,
  type HttpFixture,
  startHttpFixture,
} from './fixtures/spawn-fixture.ts';

type StdioConfig = Extract<McpServerConfig, { type: 'stdio' }>;

const stdio = (...flags: string[]): StdioConfig => ({
  type: 'stdio',
  command: process.execPath,
  args: [fixtureServer, 'stdio', ...flags],
});

/** A `${NAME}` reference as written in a config file. */
const variable = (name: string) => `${'$'}{${name}}`;

let sandbox: Sandbox;
let workspace: string;
const open: McpConnections[] = [];
const fixtures: HttpFixture[] = [];

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'aura-mcp-'));
  sandbox = createSandbox({ workspace, driver: 'local' });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((connections) => connections.close()));
  await Promise.all(fixtures.splice(0).map((fixture) => fixture.kill()));
});

async function connect(
  servers: Record<string, McpServerConfig>,
  opts: Parameters<typeof connectMcpServers>[1] = {},
): Promise<McpConnections & { notices: string[] }> {
  const notices: string[] = [];
  const connections = await connectMcpServers(servers, {
    onNotice: (message) => notices.push(message),
    ...opts,
  });
  open.push(connections);
  return { ...connections, notices };
}

/** Whether a process runs (a zombie waiting for init to reap it does not count). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

function toolNamed(connections: McpConnections, name: string): ToolDefinition {
  const tool = connections.tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name} in ${connections.tools.map((t) => t.name).join(', ')}`);
  return tool;
}

function call(connections: McpConnections, name: string, input: unknown = {}, signal?: AbortSignal) {
  return runTool(toolNamed(connections, name), input, {
    workspace,
    sandbox,
    signal: signal ?? new AbortController().signal,
    allowPrivateNetwork: false,
  });
}

describe('connectMcpServers with a stdio server', () => {
  it('offers its tools as mcp__<server>__<tool> with the server schema, description and hint', async () => {
    const connections = await connect({ fixture: stdio() });
    expect(connections.status).toEqual([{ server: 'fixture', ok: true, tools: 8 }]);
    expect(connections.tools.map((tool) => tool.name).sort()).toEqual(
      ['add', 'echo', 'env', 'exit', 'fail', 'picture', 'pid', 'sleep'].map((t) => `mcp__fixture__${t}`),
    );
    const echo = toolNamed(connections, 'mcp__fixture__echo');
    expect(echo.description).toBe('(MCP server "fixture") Echoes the text back.');
    expect(echo.jsonSchema).toMatchObject({ type: 'object', properties: { text: { type: 'string' } } });
    expect(echo.readOnly).toBe(true);
    expect(toolNamed(connections, 'mcp__fixture__add').readOnly).toBe(false);
    expect(echo.subject({ text: 'hi there' })).toBe('echo {"text":"hi there"}');
  });

  it('calls tools and turns their results into text for the model', async () => {
    const connections = await connect({ fixture: stdio() });
    expect(await call(connections, 'mcp__fixture__echo', { text: 'hi' })).toMatchObject({
      ok: true,
      output: 'echo: hi',
      metadata: { mcpServer: 'fixture', mcpTool: 'echo' },
    });
    expect((await call(connections, 'mcp__fixture__add', { a: 2, b: 40 })).output).toBe('42');
    expect(await call(connections, 'mcp__fixture__fail', { message: 'no such issue' })).toMatchObject({
      ok: false,
      output: 'no such issue',
    });
    expect((await call(connections, 'mcp__fixture__picture')).output).toBe(
      [
        'Here it is.',
        '[image: image/png, 70 B]',
        '[resource: file:///tmp/picture.png (image/png)]',
        '[resource: memo://note]\na note',
      ].join('\n'),
    );
  });

  it('passes the server its own env and the variables it references, but not the rest of Aura’s environment', async () => {
    const env = { PATH: process.env.PATH, OPENAI_API_KEY: 'sk-secret', GH_TOKEN: 'ghp_fromenv' };
    const connections = await connect(
      { fixture: { ...stdio(), env: { GREETING: 'hello', TOKEN: `Bearer ${variable('GH_TOKEN')}` } } },
      { env },
    );
    expect((await call(connections, 'mcp__fixture__env', { name: 'GREETING' })).output).toBe('hello');
    expect((await call(connections, 'mcp__fixture__env', { name: 'TOKEN' })).output).toBe(
      'Bearer ghp_fromenv',
    );
    expect((await call(connections, 'mcp__fixture__env', { name: 'OPENAI_API_KEY' })).output).toBe('(unset)');
  });

  it('rejects arguments the server’s schema refuses, with the server’s explanation', async () => {
    const connections = await connect({ fixture: stdio() });
    const result = await call(connections, 'mcp__fixture__add', { a: 'two', b: 1 });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('expected number, received string at a');
    expect(await call(connections, 'mcp__fixture__add', 'not an object')).toMatchObject({
      ok: false,
      output: expect.stringContaining(
        'Invalid input for mcp__fixture__add: input must be object, got string',
      ),
    });
  });

  it('fails a call that exceeds the server timeout and keeps the server usable', async () => {
    const connections = await connect({ fixture: { ...stdio(), timeoutMs: 2_000 } });
    const slow = await call(connections, 'mcp__fixture__sleep', { ms: 10_000 });
    expect(slow).toEqual({
      ok: false,
      output: 'MCP server "fixture" did not answer sleep within 2 s (its timeoutMs); the call was cancelled.',
    });
    expect((await call(connections, 'mcp__fixture__echo', { text: 'still here' })).output).toBe(
      'echo: still here',
    );
  });

  it('cancels a call when the run is cancelled', async () => {
    const connections = await connect({ fixture: stdio() });
    const controller = new AbortController();
    const pending = call(connections, 'mcp__fixture__sleep', { ms: 10_000 }, controller.signal);
    setTimeout(() => controller.abort(), 100);
    expect(await pending).toEqual({ ok: false, output: 'cancelled' });
    expect((await call(connections, 'mcp__fixture__echo', { text: 'after' })).output).toBe('echo: after');
  });

  it('explains a server that dies mid-call, tells the user, and restarts it on the next call', async () => {
    const connections = await connect({ fixture: stdio() });
    const before = (await call(connections, 'mcp__fixture__pid')).output;
    const dead = await call(connections, 'mcp__fixture__exit', { code: 1 });
    expect(dead).toEqual({
      ok: false,
      output:
        'MCP server "fixture" is not running (exited with code 1: fixture: exiting with code 1 as asked).',
    });
    expect(connections.notices).toEqual([
      'MCP server "fixture" is not running (exited with code 1: fixture: exiting with code 1 as asked); its tools will try to restart it on their next call.',
    ]);
    const after = await call(connections, 'mcp__fixture__pid');
    expect(after.ok).toBe(true);
    expect(after.output).not.toBe(before);
    expect(connections.notices.at(-1)).toBe('MCP server "fixture" was restarted.');
  });

  it('notices an exit even when a child the server left behind keeps its pipes open, and stops that child on close', async () => {
    const connections = await connect({ fixture: { ...stdio(), timeoutMs: 15_000 } });
    const dead = await call(connections, 'mcp__fixture__exit', { code: 4, orphan: true });
    expect(dead.output).toMatch(
      /^MCP server "fixture" is not running \(exited with code 4: fixture: exiting with code 4 as asked \(left process (\d+) running\)\)\.$/,
    );
    const orphan = Number(/left process (\d+)/.exec(dead.output)?.[1]);
    expect(alive(orphan)).toBe(true);
    await connections.close();
    await expect.poll(() => alive(orphan)).toBe(false);
  });

  it('says so when the restart fails too, and tries again on the call after', async () => {
    const marker = join(workspace, `crash-${Date.now()}`);
    const connections = await connect({ fixture: stdio('--crash-on-start-if', marker) });
    await writeFile(marker, '');
    await call(connections, 'mcp__fixture__exit', { code: 2 });
    const failed = await call(connections, 'mcp__fixture__echo', { text: 'x' });
    expect(failed).toEqual({
      ok: false,
      output:
        'MCP server "fixture" is not running (exited with code 2: fixture: exiting with code 2 as asked); restarting it failed: could not start: it exited with code 3: fixture: cannot open the database.',
    });
    const { rm } = await import('node:fs/promises');
    await rm(marker);
    expect((await call(connections, 'mcp__fixture__echo', { text: 'back' })).output).toBe('echo: back');
  });

  it('stops the server process on close', async () => {
    const connections = await connect({ fixture: stdio() });
    const pid = Number((await call(connections, 'mcp__fixture__pid')).output);
    expect(alive(pid)).toBe(true);
    await connections.close();
    expect(alive(pid)).toBe(false);
    expect(await call(connections, 'mcp__fixture__echo', { text: 'x' })).toEqual({
      ok: false,
      output: 'MCP server "fixture" was shut down.',
    });
  });
});

describe('connectMcpServers when servers cannot start', () => {
  it('reports each failure, skips that server, and keeps the others', async () => {
    const connections = await connect({
      missing: { type: 'stdio', command: '/nonexistent/mcp-server' },
      crashing: stdio('--crash-on-start'),
      unset: { ...stdio(), env: { KEY: variable('AURA_TEST_UNSET_VARIABLE') } },
      off: { ...stdio(), enabled: false },
      fixture: stdio(),
    });
    expect(connections.status).toEqual([
      {
        server: 'missing',
        ok: false,
        tools: 0,
        error: 'MCP server "missing" could not start: command "/nonexistent/mcp-server" was not found',
      },
      {
        server: 'crashing',
        ok: false,
        tools: 0,
        error:
          'MCP server "crashing" could not start: it exited with code 3: fixture: cannot open the database',
      },
      {
        server: 'unset',
        ok: false,
        tools: 0,
        error: `MCP server "unset" is misconfigured: env KEY refers to ${variable('AURA_TEST_UNSET_VARIABLE')}, which is not set in the environment`,
      },
      { server: 'fixture', ok: true, tools: 8 },
    ]);
    expect(connections.notices).toHaveLength(3);
    expect(connections.notices[0]).toBe(
      'MCP server "missing" could not start: command "/nonexistent/mcp-server" was not found; continuing without it.',
    );
    expect(connections.tools.every((tool) => tool.name.startsWith('mcp__fixture__'))).toBe(true);
  });

  it('gives up on a server that does not answer in time', async () => {
    const connections = await connect(
      { hanging: { type: 'stdio', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] } },
      { connectTimeoutMs: 500 },
    );
    expect(connections.status).toEqual([
      {
        server: 'hanging',
        ok: false,
        tools: 0,
        error: 'MCP server "hanging" did not finish starting within 0.5 s',
      },
    ]);
  });

  it('stops connecting when its signal aborts, quietly', async () => {
    const controller = new AbortController();
    const pending = connect(
      { hanging: { type: 'stdio', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] } },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 200);
    const connections = await pending;
    expect(connections.status).toEqual([
      { server: 'hanging', ok: false, tools: 0, error: 'MCP server "hanging" was not started: cancelled' },
    ]);
    expect(connections.notices).toEqual([]);
  });

  it('does nothing at all without enabled servers', async () => {
    const connections = await connect({ off: { ...stdio(), enabled: false } });
    expect(connections).toMatchObject({ tools: [], status: [], notices: [] });
  });
});

describe('connectMcpServers with a Streamable HTTP server', () => {
  async function httpFixture(flags: string[] = []): Promise<HttpFixture> {
    const fixture = await startHttpFixture(flags);
    fixtures.push(fixture);
    return fixture;
  }

  it('lists and calls its tools, sending the configured headers', async () => {
    const fixture = await httpFixture(['--require-header', 'Authorization=Bearer t0ken']);
    const connections = await connect(
      {
        web: {
          type: 'http',
          url: fixture.url,
          headers: { Authorization: `Bearer ${variable('WEB_TOKEN')}` },
        },
      },
      { env: { WEB_TOKEN: 't0ken' } },
    );
    expect(connections.status).toEqual([{ server: 'web', ok: true, tools: 8 }]);
    expect((await call(connections, 'mcp__web__echo', { text: 'over http' })).output).toBe('echo: over http');
    expect(await call(connections, 'mcp__web__fail', { message: 'nope' })).toMatchObject({
      ok: false,
      output: 'nope',
    });
  });

  it('reports a refused login, a closed port and a timeout', async () => {
    const fixture = await httpFixture(['--require-header', 'Authorization=Bearer t0ken']);
    const closed = await httpFixture();
    await closed.kill();
    const connections = await connect({
      nologin: { type: 'http', url: `${fixture.url}?token=do-not-show` },
      gone: { type: 'http', url: closed.url },
    });
    expect(connections.status.map((status) => status.error)).toEqual([
      `MCP server "nologin" answered HTTP 401 at ${fixture.url} (check its headers)`,
      `MCP server "gone" is not reachable at ${closed.url} (connection refused)`,
    ]);
    const slow = await httpFixture();
    const timed = await connect({ slow: { type: 'http', url: slow.url, timeoutMs: 2_000 } });
    expect((await call(timed, 'mcp__slow__sleep', { ms: 10_000 })).output).toBe(
      'MCP server "slow" did not answer sleep within 2 s (its timeoutMs); the call was cancelled.',
    );
  });

  it('explains a server that dies mid-call and reconnects once it is back', async () => {
    const fixture = await httpFixture();
    const connections = await connect({ web: { type: 'http', url: fixture.url } });
    const dead = await call(connections, 'mcp__web__exit', { code: 1 });
    expect(dead.ok).toBe(false);
    expect(dead.output).toMatch(
      new RegExp(`^MCP server "web" is not reachable at ${fixture.url} \\(connection (lost|reset)\\)\\.$`),
    );
    const stillDown = await call(connections, 'mcp__web__echo', { text: 'x' });
    expect(stillDown.output).toMatch(
      /; reconnecting it failed: is not reachable at .* \(connection refused\)\.$/,
    );
    fixtures.push(await startHttpFixture(['--port', String(fixture.port)]));
    expect((await call(connections, 'mcp__web__echo', { text: 'back' })).output).toBe('echo: back');
    expect(connections.notices.at(-1)).toBe('MCP server "web" was reconnected.');
  });
});

describe('connectMcpServers with @modelcontextprotocol/server-everything', () => {
  it('lists its tools and calls echo and an image tool', async () => {
    const connections = await connect({
      everything: { type: 'stdio', command: process.execPath, args: [everythingServer, 'stdio'] },
    });
    expect(connections.status[0]).toMatchObject({ server: 'everything', ok: true });
    const names = connections.tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['mcp__everything__echo', 'mcp__everything__get-sum']));
    expect(await call(connections, 'mcp__everything__echo', { message: 'hello' })).toMatchObject({
      ok: true,
      output: 'Echo: hello',
    });
    expect((await call(connections, 'mcp__everything__get-sum', { a: 2, b: 3 })).output).toMatch(/5/);
    expect((await call(connections, 'mcp__everything__get-tiny-image')).output).toMatch(
      /\[image: image\/png, [\d.]+ KB\]/,
    );
  });
});
