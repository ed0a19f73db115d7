import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalSandbox } from './local.ts';
import { processAlive } from './process-group.ts';
import type { Sandbox } from './types.ts';

let workspace: string;
let sandbox: Sandbox;

beforeEach(() => {
  workspace = realpathSync(mkdtempSync(path.join(tmpdir(), 'aura-sandbox-')));
  sandbox = createLocalSandbox({ workspace, killGraceMs: 300 });
});

afterEach(async () => {
  await sandbox.dispose();
  rmSync(workspace, { recursive: true, force: true });
});

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function readPid(file: string): number {
  return Number(readFileSync(path.join(workspace, file), 'utf8').trim());
}

describe('local sandbox exec', () => {
  it('runs a command in the workspace', async () => {
    const result = await sandbox.exec('pwd; echo hi');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`${workspace}\nhi\n`);
    expect(result.stderr).toBe('');
    expect(result.timedOut).toBe(false);
    expect(result.truncated).toBe(false);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('reports exit codes and stderr', async () => {
    const result = await sandbox.exec('echo bad >&2; exit 3');
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toBe('bad\n');
    expect(result.signal).toBeNull();
  });

  it('feeds stdin and otherwise gives commands an empty stdin', async () => {
    expect((await sandbox.exec('cat', { stdin: 'piped' })).stdout).toBe('piped');
    const noStdin = await sandbox.exec('cat', { timeoutMs: 2_000 });
    expect(noStdin.timedOut).toBe(false);
    expect(noStdin.stdout).toBe('');
  });

  it('runs in a cwd inside the workspace and refuses one outside', async () => {
    mkdirSync(path.join(workspace, 'sub'));
    expect((await sandbox.exec('pwd', { cwd: 'sub' })).stdout.trim()).toBe(path.join(workspace, 'sub'));
    await expect(sandbox.exec('pwd', { cwd: '..' })).rejects.toThrow(/outside the workspace/);
    await expect(sandbox.exec('pwd', { cwd: '/etc' })).rejects.toThrow(/relative/);
    symlinkSync('/etc', path.join(workspace, 'etc-link'));
    await expect(sandbox.exec('pwd', { cwd: 'etc-link' })).rejects.toThrow(/outside the workspace/);
  });

  it('kills the whole process tree on timeout', async () => {
    const started = Date.now();
    const result = await sandbox.exec('sleep 30 & echo $! > child.pid; sleep 30', { timeoutMs: 500 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe('SIGTERM');
    const child = readPid('child.pid');
    await waitFor(() => !processAlive(child));
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const result = await sandbox.exec("trap '' TERM; echo ready; while :; do sleep 0.05; done", {
      timeoutMs: 300,
    });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    expect(result.stdout).toBe('ready\n');
  });

  it('kills the tree when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = sandbox.exec('sleep 30 & echo $! > child.pid; wait', { signal: controller.signal });
    await waitFor(() => {
      try {
        return readPid('child.pid') > 0;
      } catch {
        return false;
      }
    });
    controller.abort();
    const result = await pending;
    expect(result.aborted).toBe(true);
    expect(result.timedOut).toBe(false);
    await waitFor(() => !processAlive(readPid('child.pid')));
    await expect(sandbox.exec('true', { signal: controller.signal })).rejects.toThrow(/cancelled/);
  });

  it('caps captured output', async () => {
    const result = await sandbox.exec('head -c 300000 /dev/zero | tr "\\0" a; echo; echo END', {
      maxOutputBytes: 10_000,
    });
    expect(result.truncated).toBe(true);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.length).toBeLessThan(11_000);
    expect(result.stdout).toContain('bytes of output omitted');
    expect(result.stdout.trimEnd().endsWith('END')).toBe(true);
  });

  it('does not wait for, and stops, processes the command left behind', async () => {
    const started = Date.now();
    const result = await sandbox.exec('sleep 30 & echo $! > child.pid; echo done');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('done\n');
    expect(result.stderr).toContain('background: true');
    await waitFor(() => !processAlive(readPid('child.pid')));
  });

  it('scrubs the host environment but passes explicit variables', async () => {
    const previous = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = 'sk-test-secret';
    process.env.AURA_TEST_SETTING = 'hidden';
    try {
      const scoped = createLocalSandbox({ workspace, env: { FROM_OPTIONS: 'yes' } });
      const result = await scoped.exec('env', { env: { PER_CALL: 'ok' } });
      expect(result.stdout).not.toContain('sk-test-secret');
      expect(result.stdout).not.toContain('OPENAI_API_KEY');
      expect(result.stdout).not.toContain('AURA_TEST_SETTING');
      expect(result.stdout).toContain('FROM_OPTIONS=yes');
      expect(result.stdout).toContain('PER_CALL=ok');
      expect(result.stdout).toMatch(/^PATH=/m);
      await scoped.dispose();
    } finally {
      if (previous === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = previous;
      delete process.env.AURA_TEST_SETTING;
    }
  });

  it('reports a shell that cannot be started', async () => {
    const broken = createLocalSandbox({ workspace, shell: '/nonexistent/shell' });
    await expect(broken.exec('true')).rejects.toThrow(/Could not start \/nonexistent\/shell/);
    await broken.dispose();
  });

  it('refuses to run after dispose', async () => {
    await sandbox.dispose();
    await expect(sandbox.exec('true')).rejects.toThrow(/disposed/);
  });
});

describe('local sandbox background processes', () => {
  it('starts, captures output and stops', async () => {
    const proc = await sandbox.spawnBackground('echo started; sleep 30 & echo $! > child.pid; wait');
    expect(proc.pid).toBeGreaterThan(0);
    expect(proc.id).toMatch(/^bg-/);
    await waitFor(() => proc.output().includes('started'));
    expect(proc.exitCode).toBeUndefined();
    expect(sandbox.listBackground()).toEqual([proc]);
    await waitFor(() => {
      try {
        return readPid('child.pid') > 0;
      } catch {
        return false;
      }
    });
    await proc.stop();
    expect(proc.exitCode).toBeNull();
    expect(processAlive(proc.pid!)).toBe(false);
    await waitFor(() => !processAlive(readPid('child.pid')));
  });

  it('records the exit code of a finished process and keeps a bounded buffer', async () => {
    const proc = await sandbox.spawnBackground('seq 1 20000; exit 4', { maxOutputBytes: 1000 });
    await waitFor(() => proc.exitCode !== undefined);
    expect(proc.exitCode).toBe(4);
    const output = proc.output();
    expect(output).toContain('earlier bytes dropped');
    expect(output.trimEnd().endsWith('20000')).toBe(true);
    expect(output.length).toBeLessThan(1100);
  });

  it('dispose kills every process', async () => {
    const first = await sandbox.spawnBackground('sleep 30');
    const second = await sandbox.spawnBackground('sleep 30 & echo $! > child.pid; wait');
    const running = sandbox.exec('sleep 30');
    await waitFor(() => {
      try {
        return readPid('child.pid') > 0;
      } catch {
        return false;
      }
    });
    await sandbox.dispose();
    const result = await running;
    expect(result.exitCode).toBeNull();
    for (const pid of [first.pid!, second.pid!, readPid('child.pid')]) {
      await waitFor(() => !processAlive(pid));
    }
  });
});

describe('local sandbox terminals', () => {
  it('echoes through a pty in the workspace, resizes, and kill stops its jobs', async () => {
    const pty = await sandbox.openPty({ cols: 80, rows: 24, env: { PS1: '$ ' } });
    let output = '';
    pty.onData((data) => {
      output += data;
    });
    const exited = new Promise<number | null>((resolve) => pty.onExit(resolve));
    pty.write('echo "pty-$((40 + 2))"; pwd; stty size; echo "color=$' + '{NO_COLOR-unset}"\r');
    await waitFor(() => output.includes('pty-42') && output.includes('24 80') && output.includes('color='));
    expect(output).toContain(workspace);
    expect(output).toContain('color=unset');
    pty.resize(120, 40);
    pty.write('stty size; sleep 30 & echo $! > child.pid\r');
    await waitFor(() => output.includes('40 120') && existsSync(path.join(workspace, 'child.pid')));
    await waitFor(() => readFileSync(path.join(workspace, 'child.pid'), 'utf8').trim() !== '');
    const child = readPid('child.pid');
    pty.kill();
    await exited;
    await waitFor(() => !processAlive(child));
  });

  it('runs a given command instead of a shell, and reports its exit', async () => {
    const pty = await sandbox.openPty({ cols: 80, rows: 24, command: 'echo once; exit 3' });
    let output = '';
    pty.onData((data) => {
      output += data;
    });
    expect(await new Promise<number | null>((resolve) => pty.onExit(resolve))).toBe(3);
    expect(output).toContain('once');
  });

  it('dispose closes open terminals', async () => {
    const pty = await sandbox.openPty({ cols: 80, rows: 24 });
    const exited = new Promise<number | null>((resolve) => pty.onExit(resolve));
    await sandbox.dispose();
    await exited;
    expect(pty.pid).toBeGreaterThan(0);
  });
});
