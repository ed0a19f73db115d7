/** The Docker driver's behaviour, against the fake engine (which runs commands on the host). */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitForHttp } from '../process/http-ready.ts';
import { createDockerSandbox, DEFAULT_DOCKER_IMAGE, DockerStreamDemuxer } from './docker.ts';
import { type FakeDockerEngine, startFakeDocker } from './docker-fake.ts';
import { processAlive } from './process-group.ts';
import type { Sandbox } from './types.ts';

let workspace: string;
let fake: FakeDockerEngine;
let sandbox: Sandbox;

beforeEach(async () => {
  workspace = realpathSync(mkdtempSync(path.join(tmpdir(), 'aura-docker-')));
  fake = await startFakeDocker({ images: [DEFAULT_DOCKER_IMAGE] });
  sandbox = createDockerSandbox({ workspace, docker: fake.client(), killGraceMs: 300 });
});

afterEach(async () => {
  await sandbox.dispose();
  await fake.close();
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
  try {
    return Number(readFileSync(path.join(workspace, file), 'utf8').trim());
  } catch {
    return 0;
  }
}

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('DockerStreamDemuxer', () => {
  it('splits frames however the chunks fall', () => {
    const stream = Buffer.concat([frame(1, 'out-1 '), frame(2, 'err-1 '), frame(1, 'out-2'), frame(2, 'é')]);
    for (const size of [1, 3, 7, 8, 9, stream.length]) {
      const got = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
      const demuxer = new DockerStreamDemuxer((kind, payload) => got[kind].push(payload));
      for (let offset = 0; offset < stream.length; offset += size)
        demuxer.push(stream.subarray(offset, offset + size));
      expect(Buffer.concat(got.stdout).toString()).toBe('out-1 out-2');
      expect(Buffer.concat(got.stderr).toString()).toBe('err-1 é');
      expect(demuxer.pendingBytes).toBe(0);
    }
  });

  it('passes a stream that is not multiplexed through as stdout', () => {
    const got: string[] = [];
    const demuxer = new DockerStreamDemuxer((_kind, payload) => got.push(payload.toString()));
    demuxer.push(Buffer.from('plain tty output\r\n'));
    demuxer.push(Buffer.from('more'));
    expect(got.join('')).toBe('plain tty output\r\nmore');
  });
});

describe('docker sandbox exec', () => {
  it('runs a command in the workspace and splits stdout from stderr', async () => {
    const result = await sandbox.exec('pwd; echo out; echo err >&2; echo out2');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`${workspace}\nout\nout2\n`);
    expect(result.stderr).toBe('err\n');
    expect(result.timedOut).toBe(false);
    expect(result.signal).toBeNull();
    expect(result.truncated).toBe(false);
  });

  it('keeps interleaved streams apart over many frames', async () => {
    const result = await sandbox.exec('for i in $(seq 1 3000); do echo "o$i"; echo "e$i" >&2; done');
    const expected = (prefix: string) =>
      Array.from({ length: 3000 }, (_, i) => `${prefix}${i + 1}\n`).join('');
    expect(result.stdout).toBe(expected('o'));
    expect(result.stderr).toBe(expected('e'));
  });

  it('reports exit codes', async () => {
    expect((await sandbox.exec('exit 3')).exitCode).toBe(3);
    expect((await sandbox.exec('false')).exitCode).toBe(1);
    expect((await sandbox.exec('no-such-command-aura')).exitCode).toBe(127);
  });

  it('retries inspection while the engine still reports the exec running', async () => {
    await fake.close();
    fake = await startFakeDocker({ images: [DEFAULT_DOCKER_IMAGE], inspectLag: 3 });
    const lagging = createDockerSandbox({ workspace, docker: fake.client() });
    try {
      expect((await lagging.exec('exit 7')).exitCode).toBe(7);
      expect(fake.requests.filter((request) => /^\/exec\/\w+\/json$/.test(request.path)).length).toBe(4);
    } finally {
      await lagging.dispose();
    }
  });

  it('feeds stdin and otherwise gives commands an empty stdin', async () => {
    expect((await sandbox.exec('cat', { stdin: 'piped\nlines' })).stdout).toBe('piped\nlines');
    const noStdin = await sandbox.exec('cat', { timeoutMs: 5_000 });
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

  it('kills the whole process tree on timeout', async () => {
    const result = await sandbox.exec('sleep 30 & echo $! > child.pid; sleep 30', { timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe('SIGTERM');
    const child = readPid('child.pid');
    expect(child).toBeGreaterThan(0);
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
    await waitFor(() => readPid('child.pid') > 0);
    controller.abort();
    const result = await pending;
    expect(result.aborted).toBe(true);
    expect(result.timedOut).toBe(false);
    await waitFor(() => !processAlive(readPid('child.pid')));
    await expect(sandbox.exec('true', { signal: controller.signal })).rejects.toThrow(/cancelled/);
  });

  it('does not wait for, and stops, processes the command left behind', async () => {
    const result = await sandbox.exec('sleep 30 & echo $! > child.pid; echo done');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('done\n');
    expect(result.stderr).toContain('background: true');
    await waitFor(() => !processAlive(readPid('child.pid')));
  });
});

describe('docker sandbox background processes', () => {
  it('starts, captures output and stops', async () => {
    const proc = await sandbox.spawnBackground('echo started; sleep 30 & echo $! > child.pid; wait');
    expect(proc.id).toMatch(/^bg-/);
    await waitFor(() => proc.output().includes('started'));
    expect(proc.exitCode).toBeUndefined();
    expect(sandbox.listBackground()).toEqual([proc]);
    await waitFor(() => readPid('child.pid') > 0);
    await proc.stop();
    expect(proc.exitCode).toBeNull();
    await waitFor(() => !processAlive(readPid('child.pid')));
  });

  it('records the exit code of a finished process and keeps a bounded buffer', async () => {
    const proc = await sandbox.spawnBackground('seq 1 20000; echo oops >&2; exit 4', {
      maxOutputBytes: 1000,
    });
    await waitFor(() => proc.exitCode !== undefined);
    expect(proc.exitCode).toBe(4);
    const output = proc.output();
    expect(output).toContain('earlier bytes dropped');
    expect(output.trimEnd().endsWith('20000\noops')).toBe(true);
    expect(output.length).toBeLessThan(1100);
  });

  it('dispose kills every process', async () => {
    const first = await sandbox.spawnBackground('sleep 30 & echo $! > first.pid; wait');
    const running = sandbox.exec('sleep 30 & echo $! > second.pid; wait');
    await waitFor(() => readPid('first.pid') > 0 && readPid('second.pid') > 0);
    await sandbox.dispose();
    const result = await running;
    expect(result.exitCode).toBeNull();
    expect(first.exitCode).not.toBeUndefined();
    for (const file of ['first.pid', 'second.pid']) await waitFor(() => !processAlive(readPid(file)));
  });
});

describe('docker sandbox dev servers', () => {
  it("is reached at the container's address on its network, which answers HTTP", async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    await sandbox.spawnBackground(`exec python3 -m http.server ${port} --bind 127.0.0.1`);
    const endpoint = await sandbox.endpoint!(port);
    expect(endpoint).toEqual({ host: '127.0.0.1', port });
    expect(await waitForHttp(endpoint, { timeoutMs: 10_000 })).toBe(200);
  });

  it('has no address to reach when the network is off', async () => {
    const offline = createDockerSandbox({ workspace, docker: fake.client(), network: false });
    try {
      await expect(offline.endpoint!(3000)).rejects.toThrow(/network is off/);
    } finally {
      await offline.dispose();
    }
  });
});

describe('docker sandbox terminals', () => {
  it('streams raw output, takes input and reports the exit', async () => {
    const pty = await sandbox.openPty({ cols: 80, rows: 24 });
    let output = '';
    pty.onData((data) => {
      output += data;
    });
    const exited = new Promise<number | null>((resolve) => pty.onExit(resolve));
    pty.write('echo "hello from $((6 * 7))"\n');
    await waitFor(() => output.includes('hello from 42'));
    pty.write('exit 5\n');
    expect(await exited).toBe(5);
    // A TTY stream is not multiplexed: no frame headers leak into the terminal.
    expect(output).not.toContain('\u0001\u0000\u0000\u0000');
  });

  it('runs a given command and can be killed', async () => {
    const pty = await sandbox.openPty({ cols: 40, rows: 10, command: 'echo up; sleep 30' });
    let output = '';
    pty.onData((data) => {
      output += data;
    });
    const exited = new Promise<number | null>((resolve) => pty.onExit(resolve));
    await waitFor(() => output.includes('up'));
    pty.kill();
    expect(await exited).toBeGreaterThan(128);
  });
});
