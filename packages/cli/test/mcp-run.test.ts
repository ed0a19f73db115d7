import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type EventEnvelope, parseEnvelope } from '@aura/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fixtureServer,
  type HttpFixture,
  startHttpFixture,
} from '../../engine/src/mcp/fixtures/spawn-fixture.ts';
import { cleanEnv, runAura, writeScript } from './cli-helpers.ts';

const fixtures: HttpFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((fixture) => fixture.kill()));
});

const stdioFixture = { type: 'stdio', command: process.execPath, args: [fixtureServer, 'stdio'] };

/** Runs one scripted turn with the given user config (JSON is YAML) and returns its events. */
async function runWith(
  config: Record<string, unknown>,
  tools: { name: string; input: unknown }[],
  flags: string[] = [],
) {
  const ctx = await cleanEnv();
  await mkdir(join(ctx.home, 'config', 'aura'), { recursive: true });
  await writeFile(join(ctx.home, 'config', 'aura', 'config.yaml'), JSON.stringify(config));
  const dir = join(ctx.home, 'project');
  await mkdir(dir, { recursive: true });
  const script = await writeScript(ctx.home, [
    ...tools.map((tool) => ({ text: 'Calling.', tools: [tool] })),
    { text: 'Done.' },
  ]);
  const result = await runAura(
    [
      'run',
      'use the tools',
      '--model',
      `script:${script}`,
      '--dir',
      dir,
      '--data',
      ctx.data,
      '--format',
      'json',
      ...flags,
    ],
    { env: ctx.env },
  );
  const events = result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => parseEnvelope(JSON.parse(line)));
  const of = <T extends EventEnvelope['type']>(type: T) =>
    events.filter((event): event is Extract<EventEnvelope, { type: T }> => event.type === type);
  return { ...result, dir, events, of };
}

const echo = { name: 'mcp__fixture__echo', input: { text: 'hi' } };

describe('aura run with MCP servers', () => {
  it('asks before an MCP tool runs by default, even one the server calls read-only', async () => {
    const run = await runWith({ mcp: { fixture: stdioFixture } }, [echo]);
    expect(run.code).toBe(0);
    const [request] = run.of('permission_request');
    expect(request?.data).toMatchObject({ tool: 'mcp__fixture__echo', subject: 'echo {"text":"hi"}' });
    const [result] = run.of('tool_result');
    expect(result?.data.ok).toBe(false);
    expect(result?.data.output).toMatch(/^The user rejected this mcp__fixture__echo call\./);
  });

  it('runs an MCP tool a rule allows, with the server’s answer going back to the model', async () => {
    const run = await runWith(
      { mcp: { fixture: stdioFixture }, permissions: [{ tool: 'mcp__fixture__*', action: 'allow' }] },
      [echo, { name: 'mcp__fixture__add', input: { a: 1, b: 2 } }],
    );
    expect(run.stderr).toBe('');
    expect(run.of('permission_request')).toEqual([]);
    expect(run.of('tool_call').map((event) => event.data.tool)).toEqual([
      'mcp__fixture__echo',
      'mcp__fixture__add',
    ]);
    expect(run.of('tool_result').map((event) => [event.data.ok, event.data.output])).toEqual([
      [true, 'echo: hi'],
      [true, '3'],
    ]);
  });

  it('refuses an MCP tool a rule denies, without asking', async () => {
    const run = await runWith(
      { mcp: { fixture: stdioFixture }, permissions: [{ tool: 'mcp__fixture__echo', action: 'deny' }] },
      [echo],
    );
    expect(run.of('permission_request')).toEqual([]);
    expect(run.of('tool_result')[0]?.data).toMatchObject({
      ok: false,
      output: 'Permission denied by a rule: mcp__fixture__echo is not allowed on "echo {"text":"hi"}".',
    });
  });

  it('tells the model and the user when a server dies, and restarts it for the next call', async () => {
    const run = await runWith(
      { mcp: { fixture: stdioFixture } },
      [{ name: 'mcp__fixture__exit', input: { code: 1 } }, echo],
      ['--yes'],
    );
    expect(run.code).toBe(0);
    expect(run.of('tool_result').map((event) => [event.data.ok, event.data.output])).toEqual([
      [
        false,
        'MCP server "fixture" is not running (exited with code 1: fixture: exiting with code 1 as asked).',
      ],
      [true, 'echo: hi'],
    ]);
    expect(run.stderr).toBe(
      'aura: MCP server "fixture" is not running (exited with code 1: fixture: exiting with code 1 as asked); its tools will try to restart it on their next call.\n' +
        'aura: MCP server "fixture" was restarted.\n',
    );
  });

  it('goes on without a server that cannot start', async () => {
    const run = await runWith(
      {
        mcp: {
          broken: {
            type: 'stdio',
            command: process.execPath,
            args: [fixtureServer, 'stdio', '--crash-on-start'],
          },
        },
      },
      [{ name: 'write', input: { path: 'a.txt', content: 'x' } }],
      ['--yes'],
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'aura: MCP server "broken" could not start: it exited with code 3: fixture: cannot open the database; continuing without it.\n',
    );
    expect(run.of('tool_result')[0]?.data.ok).toBe(true);
  });

  it('uses a Streamable HTTP server under the same rules, with its timeout', async () => {
    const fixture = await startHttpFixture();
    fixtures.push(fixture);
    const run = await runWith(
      {
        mcp: { web: { type: 'http', url: fixture.url, timeoutMs: 2_000 } },
        permissions: [
          { tool: 'mcp__web__echo', action: 'allow' },
          { tool: 'mcp__web__sleep', action: 'allow' },
          { tool: 'mcp__web__fail', action: 'deny' },
        ],
      },
      [
        { name: 'mcp__web__echo', input: { text: 'over http' } },
        { name: 'mcp__web__sleep', input: { ms: 10_000 } },
        { name: 'mcp__web__fail', input: { message: 'x' } },
        { name: 'mcp__web__add', input: { a: 1, b: 1 } },
      ],
    );
    expect(run.of('tool_result').map((event) => [event.data.ok, event.data.output])).toEqual([
      [true, 'echo: over http'],
      [false, 'MCP server "web" did not answer sleep within 2 s (its timeoutMs); the call was cancelled.'],
      [false, 'Permission denied by a rule: mcp__web__fail is not allowed on "fail {"message":"x"}".'],
      [false, expect.stringMatching(/^The user rejected this mcp__web__add call\./)],
    ]);
    expect(run.of('permission_request').map((event) => event.data.tool)).toEqual(['mcp__web__add']);
  });

  it('ignores servers in a project’s config, and says so', async () => {
    const ctx = await cleanEnv();
    const dir = join(ctx.home, 'project');
    await mkdir(join(dir, '.aura'), { recursive: true });
    await writeFile(join(dir, '.aura', 'config.yaml'), JSON.stringify({ mcp: { fixture: stdioFixture } }));
    const script = await writeScript(ctx.home, [{ text: 'Calling.', tools: [echo] }, { text: 'Done.' }]);
    const run = await runAura(
      [
        'run',
        'x',
        '--model',
        `script:${script}`,
        '--dir',
        dir,
        '--data',
        ctx.data,
        '--format',
        'json',
        '--yes',
      ],
      { env: ctx.env },
    );
    expect(run.stderr).toContain("ignored MCP server(s) fixture: a project's config cannot start programs");
    const results = run.stdout
      .trim()
      .split('\n')
      .map((line) => parseEnvelope(JSON.parse(line)))
      .flatMap((event) => (event.type === 'tool_result' ? [event.data] : []));
    expect(results).toHaveLength(1);
    expect(results[0]?.ok).toBe(false);
    expect(results[0]?.output).toContain("unavailable tool 'mcp__fixture__echo'");
  });
});
