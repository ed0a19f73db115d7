import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@aura/engine';
import { parseEnvelope } from '@aura/protocol';
import { describe, expect, it } from 'vitest';
import { auraBin, cleanEnv, runAura, writeScript } from './cli-helpers.ts';

const writeAndFinish = [
  {
    text: 'Creating the file.',
    chunkSize: 5,
    tools: [{ name: 'write', input: { path: 'hello.txt', content: 'hi\n' } }],
  },
  { text: 'Done.' },
];

async function setup(steps: unknown[] = writeAndFinish) {
  const ctx = await cleanEnv();
  const dir = join(ctx.home, 'project');
  const script = await writeScript(ctx.home, steps);
  return { ...ctx, dir, script };
}

describe('aura run', () => {
  it('runs a script through the real loop and prints one valid envelope per line', async () => {
    const { env, dir, data, script } = await setup();
    const result = await runAura(
      [
        'run',
        'make a file',
        '--model',
        `script:${script}`,
        '--dir',
        dir,
        '--data',
        data,
        '--format',
        'json',
        '--yes',
        '--max-steps',
        '5',
      ],
      { env },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => parseEnvelope(JSON.parse(line)));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(new Set(events.map((e) => e.sessionId)).size).toBe(1);
    expect(events.some((e) => e.type === 'tool_result' && e.data.ok)).toBe(true);
    expect(events.at(-2)).toMatchObject({ type: 'run_finished', data: { status: 'completed' } });
    expect(await readFile(join(dir, 'hello.txt'), 'utf8')).toBe('hi\n');
  });

  it('streams readable text with tool calls, a scripted label, and tokens and cost at the end', async () => {
    const { env, dir, data, script } = await setup();
    const result = await runAura(
      ['run', 'make a file', '--model', `script:${script}`, '--dir', dir, '--data', data, '--yes'],
      {
        env,
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('scripted model');
    expect(result.stdout).toContain('Creating the file.');
    expect(result.stdout).toContain('● write hello.txt');
    expect(result.stdout).toContain('✓');
    expect(result.stdout).toMatch(/tokens: \d+ in · \d+ out · \$0\.0000/);
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('continues a session and lists, shows and exports it', async () => {
    const { env, dir, data, script } = await setup();
    const first = await runAura(
      [
        'run',
        'first',
        '--model',
        `script:${script}`,
        '--dir',
        dir,
        '--data',
        data,
        '--format',
        'json',
        '--yes',
      ],
      { env },
    );
    const sessionId = parseEnvelope(JSON.parse(first.stdout.split('\n')[0]!)).sessionId;
    const again = await writeScript(dir, [{ text: 'second answer' }], '../again.json');
    const second = await runAura(
      [
        'run',
        'second',
        '--model',
        `script:${again}`,
        '--session',
        sessionId,
        '--data',
        data,
        '--format',
        'json',
      ],
      {
        env,
      },
    );
    expect(second.code).toBe(0);
    const secondEvents = second.stdout
      .trim()
      .split('\n')
      .map((l) => parseEnvelope(JSON.parse(l)));
    expect(secondEvents[0]?.sessionId).toBe(sessionId);
    const lastSeqOfFirst = first.stdout.trim().split('\n').length;
    expect(secondEvents[0]?.seq).toBe(lastSeqOfFirst + 1);

    const list = await runAura(['session', 'list', '--data', data], { env });
    expect(list.stdout).toContain(sessionId);
    expect(list.stdout).toContain('first');
    const md = await runAura(['session', 'export', sessionId, '--format', 'md', '--data', data], { env });
    expect(md.stdout).toContain('# first');
    expect(md.stdout).toContain('second answer');
    const json = JSON.parse(
      (await runAura(['session', 'export', sessionId, '--data', data], { env })).stdout,
    );
    expect(json.messages).toHaveLength(4);
    const missing = await runAura(['session', 'show', 'ses_nope', '--data', data], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('not found');
  });

  it('cancels on Ctrl-C mid-tool, saves what was done and exits 130', async () => {
    const { env, dir, data, script } = await setup([
      {
        tools: [
          { name: 'write', input: { path: 'kept.txt', content: 'kept' } },
          { name: 'exec', input: { command: 'sleep 30' } },
        ],
      },
      { text: 'never' },
    ]);
    let sent = false;
    const started = Date.now();
    const result = await runAura(
      [
        'run',
        'long',
        '--model',
        `script:${script}`,
        '--dir',
        dir,
        '--data',
        data,
        '--format',
        'json',
        '--yes',
      ],
      {
        env,
        onStdout: (chunk, kill) => {
          if (!sent && chunk.includes('"tool":"exec"')) {
            sent = true;
            setTimeout(() => kill('SIGINT'), 300);
          }
        },
      },
    );
    expect(result.code).toBe(130);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await readFile(join(dir, 'kept.txt'), 'utf8')).toBe('kept');
    const events = result.stdout
      .trim()
      .split('\n')
      .map((l) => parseEnvelope(JSON.parse(l)));
    expect(events.find((e) => e.type === 'run_finished')).toMatchObject({ data: { status: 'cancelled' } });
    const sessionId = events[0]!.sessionId;
    const exported = JSON.parse(
      (await runAura(['session', 'export', sessionId, '--data', data], { env })).stdout,
    );
    expect(exported.messages[1].finishReason).toBe('cancelled');
  });

  it('exits 1 on a provider error and says what happened', async () => {
    const { env, dir, data, script } = await setup([
      { error: { status: 400, message: 'model overloaded badly' } },
    ]);
    const result = await runAura(
      ['run', 'x', '--model', `script:${script}`, '--dir', dir, '--data', data, '--yes'],
      { env },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('model overloaded badly');
  });

  it('refuses commands without a terminal to approve them unless --yes', async () => {
    const { env, dir, data, script } = await setup([
      { tools: [{ name: 'exec', input: { command: 'touch ran.txt' } }] },
      { text: 'ok' },
    ]);
    const result = await runAura(['run', 'x', '--model', `script:${script}`, '--dir', dir, '--data', data], {
      env,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--yes');
    expect(existsSync(join(dir, 'ran.txt'))).toBe(false);
  });
});

describe('aura usage errors exit 2 with a clear message', () => {
  const cases: [string, (s: Awaited<ReturnType<typeof setup>>) => string[], RegExp][] = [
    ['no prompt', (s) => ['run', '--dir', s.dir], /prompt is required/],
    ['unknown flag', (s) => ['run', 'x', '--dir', s.dir, '--frobnicate'], /frobnicate/],
    [
      'bad format',
      (s) => ['run', 'x', '--format', 'xml', '--dir', s.dir],
      /--format must be one of text, json/,
    ],
    ['bad max-steps', (s) => ['run', 'x', '--max-steps', '0', '--dir', s.dir], /--max-steps/],
    [
      'non-numeric max-steps',
      (s) => ['run', 'x', '--max-steps', 'abc', '--dir', s.dir],
      /--max-steps must be a positive whole number/,
    ],
    [
      'unknown provider',
      (s) => ['run', 'x', '--model', 'nosuch/model', '--dir', s.dir, '--data', s.data],
      /Unknown provider "nosuch"/,
    ],
    [
      'model id without provider',
      (s) => ['run', 'x', '--model', 'gpt-5', '--dir', s.dir, '--data', s.data],
      /provider\/model/,
    ],
    [
      'missing key',
      (s) => ['run', 'x', '--model', 'anthropic/claude-sonnet-4-5', '--dir', s.dir, '--data', s.data],
      /ANTHROPIC_API_KEY/,
    ],
    [
      'no provider at all',
      (s) => ['run', 'x', '--dir', s.dir, '--data', s.data],
      /No model provider is configured[\s\S]*OPENAI_API_KEY/,
    ],
    [
      'unreadable script',
      (s) => ['run', 'x', '--model', 'script:/nonexistent/s.json', '--dir', s.dir, '--data', s.data],
      /Cannot read script/,
    ],
    ['unknown command', () => ['frobnicate'], /unknown command/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const s = await setup();
      const result = await runAura(args(s), { env: s.env });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    });
  }

  it('invalid script JSON and schema are named with the file', async () => {
    const s = await setup();
    const bad = join(s.home, 'bad.json');
    await writeFile(bad, '{"steps": [ {"text": 1} ]}');
    const result = await runAura(['run', 'x', '--model', `script:${bad}`, '--dir', s.dir, '--data', s.data], {
      env: s.env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(bad);
    expect(result.stderr).toContain('steps.0.text');
    await writeFile(bad, '{not json');
    const broken = await runAura(['run', 'x', '--model', `script:${bad}`, '--dir', s.dir, '--data', s.data], {
      env: s.env,
    });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/not valid JSON/);
  });
});

describe('aura run and sessions, edge cases', () => {
  it('accepts the same directory through a symlink when continuing a session, and refuses another', async () => {
    const { env, dir, data, script, home } = await setup([{ text: 'one' }]);
    const first = await runAura(
      ['run', 'a', '--model', `script:${script}`, '--dir', dir, '--data', data, '--format', 'json'],
      { env },
    );
    const sessionId = parseEnvelope(JSON.parse(first.stdout.split('\n')[0]!)).sessionId;
    const link = join(home, 'link');
    await symlink(dir, link);
    const again = await writeScript(home, [{ text: 'two' }], 'again.json');
    const viaLink = await runAura(
      ['run', 'b', '--model', `script:${again}`, '--session', sessionId, '--dir', link, '--data', data],
      { env },
    );
    expect(viaLink.code).toBe(0);
    const other = await runAura(
      ['run', 'c', '--model', `script:${again}`, '--session', sessionId, '--dir', home, '--data', data],
      { env },
    );
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/belongs to/);
  });

  it('marks a session left running by a killed process as interrupted before continuing it', async () => {
    const { env, dir, data, script } = await setup([{ text: 'first' }]);
    const first = await runAura(
      ['run', 'a', '--model', `script:${script}`, '--dir', dir, '--data', data, '--format', 'json'],
      { env },
    );
    const sessionId = parseEnvelope(JSON.parse(first.stdout.split('\n')[0]!)).sessionId;
    const store = await openStore({ sqlitePath: join(data, 'aura.db') });
    await store.updateSession(sessionId, { state: 'RUNNING' });
    await store.close();
    const second = await runAura(
      ['run', 'b', '--model', `script:${script}`, '--session', sessionId, '--data', data, '--format', 'json'],
      { env },
    );
    const events = second.stdout
      .trim()
      .split('\n')
      .map((l) => parseEnvelope(JSON.parse(l)));
    expect(events[0]).toMatchObject({ type: 'run_finished', data: { status: 'interrupted' } });
    expect(events.at(-2)).toMatchObject({ type: 'run_finished', data: { status: 'completed' } });
  });

  it('ends quietly when its output pipe closes', async () => {
    const { env, dir, data, script } = await setup();
    for (let i = 0; i < 3; i++) {
      await runAura(['run', `s${i}`, '--model', `script:${script}`, '--dir', dir, '--data', data, '--yes'], {
        env,
      });
    }
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [auraBin, 'session', 'list', '--data', data], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        stderr += c;
      });
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
    expect(result.code).toBe(0);
  });
});

describe('aura basics', () => {
  it('prints its version and help', async () => {
    const { env } = await cleanEnv();
    const version = await runAura(['--version'], { env });
    expect(version.stdout).toMatch(/^aura \d+\.\d+\.\d+\n$/);
    const help = await runAura(['--help'], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('aura run PROMPT');
  });

  it('lists providers with their configuration state', async () => {
    const { env } = await cleanEnv({ OPENAI_API_KEY: 'sk-test-not-shown' });
    const result = await runAura(['models', '--format', 'json'], {
      env,
      cwd: await mkdtemp(join(tmpdir(), 'aura-models-')),
    });
    const listing = JSON.parse(result.stdout) as { provider: string; configured: boolean }[];
    expect(listing.find((p) => p.provider === 'openai')?.configured).toBe(true);
    expect(listing.find((p) => p.provider === 'anthropic')?.configured).toBe(false);
    expect(result.stdout).not.toContain('sk-test-not-shown');
  });
});

describe('aura run --mode build', () => {
  it('runs the app builder headlessly: template, phases, dev server, verification, exit 0', async () => {
    const page =
      '<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" />\n    <title>Hi</title>\n  </head>\n  <body>\n    <h1>Built by the builder</h1>\n  </body>\n</html>\n';
    const { env, dir, data, script } = await setup([
      {
        object: {
          summary: 'One page',
          phases: [
            {
              name: 'Page',
              description: 'The page',
              files: [{ path: 'index.html', purpose: 'page' }],
              dependencies: [],
              commands: [],
            },
          ],
        },
      },
      { tools: [{ name: 'write', input: { path: 'index.html', content: page } }] },
      { text: 'Done.' },
    ]);
    const result = await runAura(
      [
        'run',
        'Build a static landing page',
        '--mode',
        'build',
        '--model',
        `script:${script}`,
        '--dir',
        dir,
        '--data',
        data,
        '--format',
        'json',
        '--yes',
      ],
      { env },
    );
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((l) => parseEnvelope(JSON.parse(l)));
    const states = events.flatMap((e) => (e.type === 'state_change' ? [e.data.state] : []));
    expect(states).toEqual([
      'DESIGNING_PHASE',
      'IMPLEMENTING_PHASE',
      'INSTALLING_DEPS',
      'STARTING_SERVER',
      'VERIFYING',
      'COMPLETE',
    ]);
    expect(events.find((e) => e.type === 'server_started')).toMatchObject({
      data: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/) },
    });
    expect(await readFile(join(dir, 'index.html'), 'utf8')).toBe(page);
    expect(await readFile(join(dir, 'aura.json'), 'utf8')).toContain('"static"');
  }, 60_000);

  it('refuses an unknown mode', async () => {
    const { env, dir } = await setup();
    const result = await runAura(['run', 'x', '--mode', 'fast', '--dir', dir], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--mode must be one of chat, build/);
  });
});
