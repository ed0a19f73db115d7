import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeHttp, waitForHttp } from '../process/http-ready.ts';
import { createBwrapSandbox } from './bwrap.ts';
import { sandboxAvailability } from './create.ts';
import { findExecutable } from './host.ts';
import { findNetnsTools } from './netns.ts';
import { processAlive } from './process-group.ts';
import type { PtyProcess, Sandbox } from './types.ts';

const availability = await sandboxAvailability();
const runs = availability.bwrap.available;
const suite = (name: string) =>
  runs
    ? name
    : `${name} — skipped: bubblewrap cannot run here (${availability.bwrap.available ? '' : availability.bwrap.reason})`;
const user = availability.bwrap.available ? availability.bwrap.user : undefined;
const isRoot = process.getuid?.() === 0;
/** A network namespace per sandbox needs a root server and pasta, nsenter and socat. */
const netnsTools = findNetnsTools(findExecutable('setpriv'));
const privateNetwork = isRoot && !('missing' in netnsTools);
const privateNet = (name: string) =>
  privateNetwork
    ? name
    : `${name} — skipped: needs a root server with ${'missing' in netnsTools ? netnsTools.missing : 'root'}`;

/**
 * A data dir laid out like the server's: workspaces side by side, a key and a database next to them.
 * Every file outside the sandbox's own workspace carries the same secret, so a probe that can see
 * the secret has escaped.
 */
const secret = `aura-probe-${randomBytes(8).toString('hex')}`;
let dataDir: string;
let workspace: string;
let otherWorkspace: string;
let sandbox: Sandbox;

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A number unique to one test, used as a `sleep` duration and in command text to find its processes. */
function token(): string {
  return `${600 + Math.floor(Math.random() * 300)}.${randomBytes(3).readUIntBE(0, 3)}`;
}

/** Live host pids of `sleep <marker>`. */
function sleepers(marker: string): number[] {
  return pidsWith(marker).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8') === `sleep\0${marker}\0`;
    } catch {
      return false;
    }
  });
}

/** Live host pids whose command line mentions `marker`. */
function pidsWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(marker) && processAlive(pid)) pids.push(pid);
    } catch {}
  }
  return pids;
}

beforeAll(() => {
  if (!runs) return;
  dataDir = realpathSync(mkdtempSync(path.join(tmpdir(), 'aura-probe-data-')));
  workspace = path.join(dataDir, 'workspaces', 'mine');
  otherWorkspace = path.join(dataDir, 'workspaces', 'theirs');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(otherWorkspace, { recursive: true });
  writeFileSync(path.join(dataDir, 'server.key'), secret);
  writeFileSync(path.join(dataDir, 'aura.db'), secret);
  writeFileSync(path.join(otherWorkspace, 'secret.txt'), secret);
  writeFileSync(path.join(workspace, 'README.md'), 'mine\n');
  sandbox = createBwrapSandbox({ workspace, killGraceMs: 300, network: false });
});

afterAll(async () => {
  if (!runs) return;
  await sandbox.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.runIf(runs)(suite('bwrap sandbox: escape probes'), () => {
  it('cannot read /etc/shadow', async () => {
    const result = await sandbox.exec('cat /etc/shadow; ls /etc');
    expect(result.stderr).toMatch(/No such file/);
    expect(result.stdout).not.toMatch(/^shadow$/m);
    expect(result.stdout).not.toContain('root:');
    expect(result.stdout).toMatch(/^resolv\.conf$/m);
  });

  it('cannot read /root', async () => {
    const result = await sandbox.exec('ls -a /root; cat /root/.bashrc /root/.profile');
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toBe('');
  });

  it('cannot see the data dir, other workspaces or anything above its own', async () => {
    const probes = [
      `ls -la ${dataDir}`,
      `cat ${dataDir}/server.key ${dataDir}/aura.db`,
      `cat ${otherWorkspace}/secret.txt`,
      'cat ../theirs/secret.txt ../../server.key',
      'ls -a /workspace/..',
    ];
    const result = await sandbox.exec(probes.join('; '));
    expect(result.stdout + result.stderr).not.toContain(secret);
    // Every readable file in the sandbox but the read-only system and toolchain (and devices); the
    // canary in its own workspace shows the search would find the secret anywhere it can read.
    writeFileSync(path.join(workspace, 'canary.txt'), secret);
    const search = await sandbox.exec(
      `find / \\( -path /proc -o -path /dev -o -path /usr -o -path /opt \\) -prune -o -type f -print0 2>/dev/null | xargs -0 grep -l ${secret}`,
    );
    rmSync(path.join(workspace, 'canary.txt'));
    expect(search.stdout).toBe('/workspace/canary.txt\n');
    expect(result.stdout).not.toContain('server.key');
    expect(result.stdout).not.toContain('theirs');
    // The workspace sits at /workspace; what is around it is the sandbox's own (empty) root.
    const listing = (await sandbox.exec('ls /')).stdout.split('\n').filter(Boolean);
    expect(listing).toEqual(
      expect.arrayContaining(['bin', 'dev', 'etc', 'home', 'proc', 'tmp', 'usr', 'workspace']),
    );
    expect(listing).not.toContain('root');
    expect(listing).not.toContain(path.basename(dataDir));
  });

  it('cannot write outside the workspace', async () => {
    const marker = `escape-${randomBytes(4).toString('hex')}`;
    const targets = [`/usr/${marker}`, `/etc/${marker}`, `/${marker}`, `/workspace/../${marker}`];
    const parent = path.dirname(workspace);
    const result = await sandbox.exec(
      [...targets, `${parent}/${marker}`, `${dataDir}/${marker}`]
        .map((target) => `echo x > ${target} && echo WROTE ${target}`)
        .join('; '),
    );
    expect(result.stdout).not.toContain('WROTE');
    expect(result.stderr).toMatch(/Read-only file system/);
    for (const hostPath of [`/usr/${marker}`, `/etc/${marker}`, `/${marker}`, `${parent}/${marker}`])
      expect(existsSync(hostPath)).toBe(false);
  });

  it('cannot signal host processes, even ones of its own uid', async () => {
    const host = spawn('sleep', ['600'], {
      stdio: 'ignore',
      ...(user && isRoot ? { uid: user.uid, gid: user.gid } : {}),
    });
    try {
      await waitFor(() => host.pid !== undefined);
      const pid = host.pid as number;
      const result = await sandbox.exec(
        `kill -9 ${pid}; echo "kill=$?"; kill -9 -1; ls /proc | grep -c '^[0-9]'`,
      );
      expect(result.stdout).toContain('kill=1');
      expect(result.stderr).toMatch(/No such process/);
      expect(processAlive(pid)).toBe(true);
    } finally {
      host.kill('SIGKILL');
    }
  });

  it('runs with no capabilities, no new privileges and no nested user namespaces', async () => {
    const result = await sandbox.exec(
      'grep -E "^(CapEff|CapPrm|NoNewPrivs)" /proc/self/status; unshare -U true; echo "unshare=$?"; mount -t tmpfs none /mnt 2>&1; echo "mount=$?"',
    );
    expect(result.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(result.stdout).toMatch(/CapPrm:\s+0000000000000000/);
    expect(result.stdout).toMatch(/NoNewPrivs:\s+1/);
    expect(result.stdout).toMatch(/unshare=1/);
    expect(result.stdout).not.toMatch(/mount=0/);
  });

  it("never sees the server's environment", async () => {
    const previous = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = `sk-${secret}`;
    process.env.AURA_PROBE_SETTING = secret;
    const scoped = createBwrapSandbox({ workspace, network: false });
    try {
      const result = await scoped.exec(
        'env; echo ---; cat /proc/1/environ; echo; cat /proc/$PPID/environ; echo; cat /proc/*/environ 2>/dev/null',
      );
      expect(result.exitCode).toBe(0);
      expect(result.stdout).not.toContain(secret);
      expect(result.stdout).not.toContain('OPENAI_API_KEY');
      expect(result.stdout).not.toContain('AURA_');
      expect(result.stdout).toMatch(/^HOME=\/home\/sandbox$/m);
    } finally {
      await scoped.dispose();
      if (previous === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = previous;
      delete process.env.AURA_PROBE_SETTING;
    }
  });

  it('sees only its own processes', async () => {
    const result = await sandbox.exec('ls /proc | grep -c "^[0-9]"; hostname');
    const [count, hostname] = result.stdout.trim().split('\n');
    expect(Number(count)).toBeLessThan(10);
    expect(hostname).toBe('aura');
  });
});

describe.runIf(runs)(suite('bwrap sandbox: limits'), () => {
  let limited: Sandbox | undefined;
  afterEach(async () => {
    await limited?.dispose();
    limited = undefined;
  });

  it('contains a fork bomb and kills it at the timeout', async () => {
    limited = createBwrapSandbox({ workspace, limits: { pids: 64 }, killGraceMs: 200 });
    const description = await limited.describe?.();
    const pidsLimit = description?.limits.find((limit) => limit.name === 'processes');
    expect(pidsLimit?.value).toBe(64);
    const marker = token();
    const result = await limited.exec(`:(){ :|:& };:; sleep ${marker}`, { timeoutMs: 3_000 });
    expect(result.timedOut).toBe(true);
    // The host still forks, and nothing of the bomb is left.
    expect(spawnSync('true').status).toBe(0);
    await waitFor(() => pidsWith(marker).length === 0);
  });

  it('kills a memory hog', async () => {
    limited = createBwrapSandbox({ workspace, limits: { memoryBytes: 256 * 1024 ** 2 } });
    const node = await limited.exec('node -e "const a = []; for (;;) a.push(Buffer.alloc(1e7, 1))"', {
      timeoutMs: 60_000,
    });
    expect(node.timedOut).toBe(false);
    expect(node.exitCode).not.toBe(0);
    const python = await limited.exec('python3 -c "a = []\nwhile True: a.append(bytearray(10**7))"', {
      timeoutMs: 60_000,
    });
    expect(python.timedOut).toBe(false);
    expect(python.exitCode).not.toBe(0);
  });

  it('kills a runaway command at its timeout, with everything it started', async () => {
    const marker = token();
    const result = await sandbox.exec(`(while true; do :; done) & while true; do :; done # ${marker}`, {
      timeoutMs: 500,
    });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    await waitFor(() => pidsWith(marker).length === 0);
  });

  it('applies rlimits inside', async () => {
    limited = createBwrapSandbox({ workspace, limits: { openFiles: 1000, cpuSeconds: 77 } });
    const result = await limited.exec('ulimit -n; ulimit -t');
    expect(result.stdout.trim().split('\n')).toEqual(['1000', '77']);
  });
});

describe.runIf(runs)(suite('bwrap sandbox: network'), () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('host-service'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('has no network when switched off: no host services, no DNS', async () => {
    const result = await sandbox.exec(
      [
        `curl -sS -m 3 http://127.0.0.1:${port}/ && echo REACHED`,
        `node -e "fetch('http://127.0.0.1:${port}/').then(() => console.log('REACHED'), (e) => { console.log('fetch failed'); process.exit(1) })"`,
        'getent hosts registry.npmjs.org && echo RESOLVED',
        'ls /sys/class/net 2>/dev/null; cat /proc/net/dev | tail -n +3 | cut -d: -f1',
      ].join('; '),
      { timeoutMs: 15_000 },
    );
    expect(result.stdout).not.toContain('REACHED');
    expect(result.stdout).not.toContain('RESOLVED');
    expect(result.stdout).toContain('fetch failed');
    expect(result.stdout.trim().split('\n').at(-1)?.trim()).toBe('lo');
  });

  it.runIf(privateNetwork)(
    privateNet("gives each sandbox a network of its own when on: the internet, not the host's loopback"),
    async () => {
      const online = createBwrapSandbox({ workspace });
      try {
        expect((await online.describe?.())?.networkScope).toBe('private');
        const result = await online.exec(
          [
            `curl -sS -m 3 http://127.0.0.1:${port}/ && echo REACHED-HOST`,
            'curl -sS -m 20 -o /dev/null -w "registry %{http_code}\\n" https://registry.npmjs.org/',
          ].join('; '),
          { timeoutMs: 30_000 },
        );
        expect(result.stdout).not.toContain('REACHED-HOST');
        expect(result.stdout).toMatch(/^registry [23]\d\d$/m);
      } finally {
        await online.dispose();
      }
    },
  );

  it.runIf(privateNetwork)(
    privateNet('serves a dev server to the server through its endpoint, to no one else'),
    async () => {
      const first = createBwrapSandbox({ workspace });
      const second = createBwrapSandbox({ workspace });
      try {
        const devPort = 20_000 + Math.floor(Math.random() * 20_000);
        const server = await first.spawnBackground(`exec python3 -m http.server ${devPort} --bind 127.0.0.1`);
        const endpoint = await first.endpoint!(devPort);
        expect(endpoint).toHaveProperty('socketPath');
        expect(await waitForHttp(endpoint, { timeoutMs: 15_000 })).toBe(200);
        expect(await probeHttp(devPort)).toBeUndefined();
        const neighbour = await second.exec(`curl -sS -m 3 http://127.0.0.1:${devPort}/ && echo REACHED`);
        expect(neighbour.stdout).not.toContain('REACHED');
        await server.stop();
      } finally {
        await Promise.all([first.dispose(), second.dispose()]);
      }
    },
  );
});

describe.runIf(runs)(suite('bwrap sandbox: toolchain and workspace'), () => {
  it('has node 24, npm, git and python3', async () => {
    const result = await sandbox.exec(
      'node --version && npm --version && git --version && python3 -c "print(6 * 7)" && which node',
    );
    expect(result.exitCode).toBe(0);
    const [node, npm, git, python, which] = result.stdout.trim().split('\n');
    expect(node).toMatch(/^v24\./);
    expect(npm).toMatch(/^\d+\.\d+\.\d+$/);
    expect(git).toMatch(/^git version/);
    expect(python).toBe('42');
    expect(which).toBe('/opt/aura/node/bin/node');
  });

  it('runs in /workspace, and in a cwd inside it', async () => {
    mkdirSync(path.join(workspace, 'sub'), { recursive: true });
    expect((await sandbox.exec('pwd; cat README.md')).stdout).toBe('/workspace\nmine\n');
    expect((await sandbox.exec('pwd; echo $PWD', { cwd: 'sub' })).stdout).toBe(
      '/workspace/sub\n/workspace/sub\n',
    );
    await expect(sandbox.exec('pwd', { cwd: '..' })).rejects.toThrow(/outside the workspace/);
  });

  it('writes files owned by the sandbox user that the server can read', async () => {
    const result = await sandbox.exec(
      'mkdir -p out && echo made-inside > out/file.txt && git init -q repo && id -u',
    );
    expect(result.exitCode).toBe(0);
    const file = path.join(workspace, 'out', 'file.txt');
    expect(readFileSync(file, 'utf8')).toBe('made-inside\n');
    expect(statSync(file).uid).toBe(user?.uid);
    expect(Number(result.stdout.trim().split('\n').at(-1))).toBe(user?.uid);
  });

  it('lets commands edit files the server wrote', async () => {
    writeFileSync(path.join(workspace, 'server-wrote.json'), '{}\n');
    mkdirSync(path.join(workspace, 'server-dir', 'nested'), { recursive: true });
    writeFileSync(path.join(workspace, 'server-dir', 'nested', 'a.txt'), 'a\n');
    const result = await sandbox.exec(
      'echo more >> server-wrote.json && echo b > server-dir/nested/b.txt && echo c >> server-dir/nested/a.txt && echo ok',
    );
    expect(result.stdout).toBe('ok\n');
    expect(readFileSync(path.join(workspace, 'server-dir', 'nested', 'a.txt'), 'utf8')).toBe('a\nc\n');
  });

  it.runIf(isRoot)(
    'hands server-written paths over without following links out of the workspace',
    async () => {
      const outside = path.join(dataDir, 'outside.txt');
      writeFileSync(outside, 'outside\n');
      symlinkSync(outside, path.join(workspace, 'link-out'));
      const shared = path.join(workspace, 'hardlinked.txt');
      linkSync(outside, shared);
      writeFileSync(path.join(workspace, 'plain.txt'), 'plain\n');
      await sandbox.chownToSandbox?.('.');
      expect(lstatSync(outside).uid).toBe(0);
      expect(lstatSync(path.join(workspace, 'plain.txt')).uid).toBe(user?.uid);
      await expect(sandbox.chownToSandbox?.('../theirs')).rejects.toThrow(/outside the workspace/);
      expect(lstatSync(path.join(otherWorkspace, 'secret.txt')).uid).toBe(0);
    },
  );

  it('keeps HOME and /tmp for the life of the sandbox, private to it', async () => {
    await sandbox.exec('echo kept > /tmp/state && echo kept > ~/state');
    expect((await sandbox.exec('cat /tmp/state ~/state')).stdout).toBe('kept\nkept\n');
    const other = createBwrapSandbox({ workspace: otherWorkspace, network: false });
    try {
      expect((await other.exec('cat /tmp/state ~/state')).exitCode).not.toBe(0);
    } finally {
      await other.dispose();
    }
  });

  it('describes what it isolates', async () => {
    const description = await sandbox.describe?.();
    expect(description).toMatchObject({
      kind: 'bwrap',
      isolated: true,
      network: false,
      workspacePath: '/workspace',
    });
    expect(description?.user?.uid).toBe(user?.uid);
    if (isRoot) expect(description?.user?.uid).not.toBe(0);
    expect(description?.limits.map((limit) => limit.name)).toEqual(
      expect.arrayContaining(['processes', 'memory', 'open-files', 'timeout', 'output']),
    );
  });
});

describe.runIf(runs)(suite('bwrap sandbox: processes and terminals'), () => {
  it('runs background processes and stops them', async () => {
    const marker = token();
    const proc = await sandbox.spawnBackground(`echo started; sleep ${marker}`);
    await waitFor(() => proc.output().includes('started'));
    expect(proc.exitCode).toBeUndefined();
    await waitFor(() => sleepers(marker).length === 1);
    await proc.stop();
    expect(proc.exitCode).not.toBeUndefined();
    await waitFor(() => pidsWith(marker).length === 0);
  });

  it('echoes through a terminal, resizes and is killed with everything in it', async () => {
    const pty: PtyProcess = await sandbox.openPty({ cols: 80, rows: 24 });
    let output = '';
    pty.onData((data) => {
      output += data;
    });
    const exited = new Promise<number | null>((resolve) => pty.onExit(resolve));
    pty.write('echo "pty-$((40 + 2))"; pwd; whoami; stty size\r');
    await waitFor(() => output.includes('pty-42') && output.includes('24 80'));
    expect(output).toContain('/workspace');
    expect(output).toContain('sandbox');
    pty.resize(100, 30);
    const marker = token();
    pty.write(`stty size; sleep ${marker} &\r`);
    await waitFor(() => output.includes('30 100') && sleepers(marker).length > 0);
    pty.kill();
    await exited;
    await waitFor(() => pidsWith(marker).length === 0);
  });

  it('dispose kills every process and removes its state', async () => {
    const scoped = createBwrapSandbox({ workspace, network: false });
    const marker = token();
    const background = await scoped.spawnBackground(`sleep ${marker} & sleep ${marker}`);
    const running = scoped.exec(`sleep ${marker}`);
    await waitFor(() => sleepers(marker).length === 3);
    const pids = pidsWith(marker);
    await scoped.dispose();
    expect((await running).exitCode).toBeNull();
    expect(background.exitCode).not.toBeUndefined();
    for (const pid of pids) await waitFor(() => !processAlive(pid));
    await expect(scoped.exec('true')).rejects.toThrow(/disposed/);
  });

  it('takes its processes with it when the server dies', async () => {
    // A stand-in server: a node process that starts a sandboxed sleep and is then SIGKILLed.
    const marker = token();
    const script = `
      import { createBwrapSandbox } from ${JSON.stringify(path.join(import.meta.dirname, 'bwrap.ts'))};
      const sandbox = createBwrapSandbox({ workspace: ${JSON.stringify(workspace)}, network: false });
      await sandbox.spawnBackground('sleep ${marker}');
      console.log('ready');
      setInterval(() => {}, 1000);
    `;
    const server: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let ready = false;
    server.stdout?.on('data', (data: Buffer) => {
      if (data.toString().includes('ready')) ready = true;
    });
    // Once the command runs, bwrap has finished setting up (and armed its parent-death signal).
    await waitFor(() => ready && sleepers(marker).length > 0, 15_000);
    server.kill('SIGKILL');
    await waitFor(() => pidsWith(marker).length === 0);
    // The next sandbox clears what the dead server left: staged mounts, state, cgroups.
    const leftovers = () =>
      readFileSync('/proc/self/mountinfo', 'utf8').includes(`-${server.pid}-`) ||
      readdirSync(path.join('/tmp', `aura-sandboxes-${process.getuid?.()}`)).some((name) =>
        name.includes(`-${server.pid}-`),
      );
    const next = createBwrapSandbox({ workspace, network: false });
    await next.exec('true');
    await next.dispose();
    if (isRoot) await waitFor(() => !leftovers());
  });
});
