import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RotatingFile } from '../src/log/rotating-file.ts';
import { takeGlobalFlags } from '../src/main.ts';
import { type CliResult, cleanEnv, runAura, runProgram } from './cli-helpers.ts';

const logModule = fileURLToPath(new URL('../src/log.ts', import.meta.url));
const openAiKey = 'sk-proj-Zx81kQ0aPq7LmN3vB5cD';
const auraToken = 'aura_pat_Qm4Jx9KpL2vR8sT1uW6yZ0aB3cD5eF7gH9iJ1kL3mN5';

/** Runs a snippet that imports the CLI logger, in its own process (logging is process-wide). */
function runSnippet(body: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  const source = `const { log, setupLogging } = await import(${JSON.stringify(logModule)});\n${body}`;
  return runProgram(process.execPath, ['--input-type=module', '-e', source], { env });
}

async function logEnv(extra: NodeJS.ProcessEnv = {}) {
  const ctx = await cleanEnv(extra);
  const stateDir = join(ctx.home, 'state');
  const logFile = join(stateDir, 'aura', 'aura.log');
  return { ...ctx, env: { ...ctx.env, XDG_STATE_HOME: stateDir }, logFile };
}

async function records(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(file, 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('rotating log file', () => {
  it('rotates by size and keeps three files, newest lines in aura.log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aura-rotate-'));
    const path = join(dir, 'aura.log');
    const file = new RotatingFile(path, { maxBytes: 100, keep: 3 });
    for (let i = 0; i < 12; i++) file.write(`line ${String(i).padStart(2, '0')} ${'x'.repeat(30)}\n`);
    file.close();
    expect((await readdir(dir)).sort()).toEqual(['aura.log', 'aura.log.1', 'aura.log.2']);
    const firstLine = async (name: string) => (await readFile(join(dir, name), 'utf8')).slice(0, 7);
    expect(await firstLine('aura.log.2')).toBe('line 06');
    expect(await firstLine('aura.log.1')).toBe('line 08');
    expect(await firstLine('aura.log')).toBe('line 10');
    for (const name of await readdir(dir))
      expect((await stat(join(dir, name))).size).toBeLessThanOrEqual(100);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('continues an existing file and never splits a line across files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aura-rotate-'));
    const path = join(dir, 'aura.log');
    await writeFile(path, 'a'.repeat(90));
    const file = new RotatingFile(path, { maxBytes: 100, keep: 2 });
    file.write(`${'b'.repeat(20)}\n`);
    file.close();
    expect(await readFile(`${path}.1`, 'utf8')).toBe('a'.repeat(90));
    expect(await readFile(path, 'utf8')).toBe(`${'b'.repeat(20)}\n`);
  });

  it('shares the file with another process without losing lines or keeping extra files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aura-rotate-'));
    const path = join(dir, 'aura.log');
    const one = new RotatingFile(path, { maxBytes: 60, keep: 3 });
    const two = new RotatingFile(path, { maxBytes: 60, keep: 3 });
    const written: string[] = [];
    for (let i = 0; i < 6; i++) {
      for (const [name, file] of [
        ['one', one],
        ['two', two],
      ] as const) {
        const line = `${name}-${i} ${'.'.repeat(12)}\n`;
        file.write(line);
        written.push(line);
      }
    }
    one.close();
    two.close();
    const names = (await readdir(dir)).sort();
    expect(names).toEqual(['aura.log', 'aura.log.1', 'aura.log.2']);
    // The newest lines survive rotation: the last line each writer wrote is in some file.
    const kept = (await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')))).join('');
    expect(kept).toContain(written.at(-1));
    expect(kept).toContain(written.at(-2));
  });
});

describe('CLI logger', () => {
  it('is silent until set up', async () => {
    const { env, logFile } = await logEnv();
    const result = await runSnippet(`log.error({ apiKey: 'x' }, 'before setup');`, env);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    await expect(stat(logFile)).rejects.toThrow(/ENOENT/);
  });

  it('never lets a secret reach the log file or the verbose output', async () => {
    const { env, logFile } = await logEnv();
    const result = await runSnippet(
      `setupLogging({ verbose: true });
      log.info({ apiKey: 'plain-api-key-value', provider: { token: 'nested-token-value' },
        req: { headers: { authorization: 'opaque-header-value', cookie: 'session=opaque-cookie' } },
        password: 'hunter2-password' }, 'calling the provider with ${openAiKey}');
      log.debug({ url: 'https://x/?q=1' }, 'sent Authorization: Bearer ${auraToken}');
      log.error(new Error('refused key ${openAiKey}'), 'provider error');`,
      env,
    );
    expect(result.code).toBe(0);
    const file = await readFile(logFile, 'utf8');
    for (const secret of [
      'plain-api-key-value',
      'nested-token-value',
      'opaque-header-value',
      'opaque-cookie',
      'hunter2-password',
      openAiKey,
      auraToken,
      auraToken.slice(9),
    ]) {
      expect(file).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
    }
    const lines = await records(logFile);
    expect(lines.map((line) => line.msg)).toEqual([
      'calling the provider with sk-[redacted]',
      'sent Authorization: Bearer [redacted]',
      'provider error',
    ]);
    expect(lines[0]).toMatchObject({ apiKey: '[redacted]', provider: { token: '[redacted]' }, level: 30 });
    expect(lines[2]).toMatchObject({ err: { stack: expect.stringContaining('refused key sk-[redacted]') } });
    expect(result.stderr).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} DEBUG sent Authorization: Bearer \[redacted\] url=https:\/\/x\/\?q=1$/m,
    );
    expect(result.stderr).toMatch(/ERROR provider error\nError: refused key sk-\[redacted\]\n {4}at /);
  });

  it('logs at AURA_LOG_LEVEL, and not at all when it is silent', async () => {
    const warnOnly = await logEnv({ AURA_LOG_LEVEL: 'warn' });
    await runSnippet(
      `setupLogging({ verbose: false }); log.info('hidden'); log.warn('shown');`,
      warnOnly.env,
    );
    expect((await records(warnOnly.logFile)).map((r) => r.msg)).toEqual(['shown']);

    const silent = await logEnv({ AURA_LOG_LEVEL: 'silent' });
    const quiet = await runSnippet(`setupLogging({ verbose: false }); log.fatal('nothing');`, silent.env);
    expect(quiet).toMatchObject({ code: 0, stderr: '' });
    await expect(stat(silent.logFile)).rejects.toThrow(/ENOENT/);

    const wrong = await logEnv({ AURA_LOG_LEVEL: 'loud' });
    const fallback = await runSnippet(
      `setupLogging({ verbose: false }); log.debug('no'); log.info('yes');`,
      wrong.env,
    );
    expect(fallback.stderr).toBe(
      'aura: AURA_LOG_LEVEL="loud" is not one of trace, debug, info, warn, error, fatal, silent; using info\n',
    );
    expect((await records(wrong.logFile)).map((r) => r.msg)).toEqual(['yes']);
  });

  it('records an uncaught error before the process dies of it', async () => {
    const { env, logFile } = await logEnv();
    const result = await runSnippet(
      `setupLogging({ verbose: false }); setTimeout(() => { throw new Error('exploded with ${openAiKey}'); });`,
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('exploded with');
    const [record] = await records(logFile);
    expect(record).toMatchObject({ level: 60, msg: 'uncaught error', origin: 'uncaughtException' });
    expect(record).toMatchObject({ err: { message: 'exploded with sk-[redacted]' } });
  });
});

describe('aura --verbose', () => {
  it('is taken out of the arguments anywhere before --', () => {
    expect(takeGlobalFlags(['config', 'get', 'model', '--verbose'])).toEqual({
      args: ['config', 'get', 'model'],
      verbose: true,
    });
    expect(takeGlobalFlags(['--verbose', 'run', '--', '--verbose'])).toEqual({
      args: ['run', '--', '--verbose'],
      verbose: true,
    });
    expect(takeGlobalFlags(['run', 'hi'])).toEqual({ args: ['run', 'hi'], verbose: false });
  });

  it('logs each command with its exit code and duration, flag names only', async () => {
    const { env, logFile } = await logEnv();
    const result = await runAura(['config', 'set', 'providers.openai.apiKey', openAiKey, '--verbose'], {
      env,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /INFO {2}command start command=config flags=\[\] code=(bundle|sources: .+)\n/,
    );
    expect(result.stderr).toMatch(/INFO {2}command end command=config exitCode=0 durationMs=\d+\n/);
    const withValues = await runAura(['config', 'get', 'maxSteps', '--format=json', '--dir', openAiKey], {
      env,
    });
    expect(withValues.code).toBe(0);
    const usage = await runAura(['config', 'set', 'maxSteps', 'lots'], { env });
    expect(usage.code).toBe(2);
    const lines = await records(logFile);
    expect(lines.map((r) => [r.msg, r.command, r.flags ?? r.exitCode])).toEqual([
      ['command start', 'config', []],
      ['command end', 'config', 0],
      ['command start', 'config', ['--format', '--dir']],
      ['command end', 'config', 0],
      ['command start', 'config', []],
      ['command end', 'config', 2],
    ]);
    expect(await readFile(logFile, 'utf8')).not.toContain(openAiKey.slice(3));
  });

  it('keeps a command working when the log directory cannot be created', async () => {
    const { env, home } = await logEnv();
    const notADirectory = join(home, 'file');
    await writeFile(notADirectory, '');
    const quiet = await runAura(['config', 'get', 'maxSteps'], {
      env: { ...env, XDG_STATE_HOME: notADirectory },
    });
    expect(quiet).toMatchObject({ code: 0, stdout: '15\n', stderr: '' });
    const verbose = await runAura(['--verbose', 'config', 'get', 'maxSteps'], {
      env: { ...env, XDG_STATE_HOME: notADirectory },
    });
    expect(verbose.code).toBe(0);
    expect(verbose.stdout).toBe('15\n');
    expect(verbose.stderr.split('\n')[0]).toBe(
      `aura: log file off: cannot open ${notADirectory}/aura/aura.log: ENOTDIR: not a directory, mkdir '${notADirectory}/aura'`,
    );
  });
});
