/** The Docker driver's Engine API calls, as recorded by the fake engine. */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSandbox } from './create.ts';
import { createDockerSandbox, DEFAULT_DOCKER_IMAGE, EXEC_MARKER_ENV } from './docker.ts';
import { type FakeDockerEngine, type RecordedRequest, startFakeDocker } from './docker-fake.ts';
import type { Sandbox } from './types.ts';

let workspace: string;
let fake: FakeDockerEngine;
const sandboxes: Sandbox[] = [];

function sandboxWith(options: Partial<Parameters<typeof createDockerSandbox>[0]> = {}): Sandbox {
  const sandbox = createDockerSandbox({ workspace, docker: fake.client(), killGraceMs: 200, ...options });
  sandboxes.push(sandbox);
  return sandbox;
}

function find(method: string, pattern: RegExp): RecordedRequest[] {
  return fake.requests.filter((request) => request.method === method && pattern.test(request.path));
}

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null)
    throw new Error(`expected an object, got ${String(value)}`);
  return value as Record<string, unknown>;
}

function createBody(): Record<string, unknown> {
  const creates = find('POST', /^\/containers\/create$/);
  expect(creates).toHaveLength(1);
  return record(creates[0]!.body);
}

beforeEach(async () => {
  workspace = realpathSync(mkdtempSync(path.join(tmpdir(), 'aura-docker-api-')));
  fake = await startFakeDocker({ images: [DEFAULT_DOCKER_IMAGE] });
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.dispose()));
  await fake.close();
  rmSync(workspace, { recursive: true, force: true });
});

describe('docker sandbox container', () => {
  it('is created lazily, once, locked down, with the workspace bound and no network when off', async () => {
    const sandbox = sandboxWith({
      network: false,
      limits: { memoryBytes: 512 * 1024 ** 2, pids: 128, cpus: 1.5 },
    });
    expect(sandbox.kind).toBe('docker');
    expect(fake.requests).toHaveLength(0);

    await Promise.all([sandbox.exec('true'), sandbox.exec('true')]);
    await sandbox.exec('true');

    const body = createBody();
    expect(body.Image).toBe(DEFAULT_DOCKER_IMAGE);
    expect(body.Cmd).toEqual(['sleep', 'infinity']);
    expect(body.WorkingDir).toBe('/workspace');
    expect(body.User).toBe('1000:1000');
    expect(body.Labels).toEqual({ 'aura.sandbox': '1', 'aura.workspace': workspace });
    const host = record(body.HostConfig);
    expect(host.Binds).toEqual([`${workspace}:/workspace:rw`]);
    expect(host.NetworkMode).toBe('none');
    expect(host.Memory).toBe(512 * 1024 ** 2);
    expect(host.MemorySwap).toBe(512 * 1024 ** 2);
    expect(host.PidsLimit).toBe(128);
    expect(host.NanoCpus).toBe(1_500_000_000);
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.SecurityOpt).toEqual(['no-new-privileges']);
    expect(host.Tmpfs).toEqual({ '/tmp': 'rw,exec,nosuid,nodev,size=512m' });
    expect(host.AutoRemove).toBe(false);
    expect(host.Init).toBe(true);
    expect(host.Privileged).toBeUndefined();

    const id = fake.containerIds()[0]!;
    const order = fake.requests.map((request) => `${request.method} ${request.path}`);
    expect(order.slice(0, 4)).toEqual([
      'GET /_ping',
      `GET /images/${DEFAULT_DOCKER_IMAGE}/json`,
      'POST /containers/create',
      `POST /containers/${id}/start`,
    ]);
  });

  it('uses the bridge network and default limits when not told otherwise', async () => {
    const sandbox = sandboxWith();
    await sandbox.exec('true');
    const host = record(createBody().HostConfig);
    expect(host.NetworkMode).toBe('bridge');
    expect(host.Memory).toBe(2 * 1024 ** 3);
    expect(host.PidsLimit).toBe(512);
    expect(host.NanoCpus).toBeUndefined();
    expect(host.Ulimits).toEqual([{ Name: 'nofile', Soft: 4096, Hard: 4096 }]);
  });

  it('refuses to run as root', () => {
    expect(() => sandboxWith({ user: '0:0' })).toThrow(/root/);
    expect(() => sandboxWith({ user: 'root' })).toThrow(/root/);
  });

  it('keeps host secrets out of the container and exec environments', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-test-secret');
    vi.stubEnv('DATABASE_URL', 'postgres://user:pw@db/app');
    vi.stubEnv('AURA_MASTER_KEY', 'hidden');
    const sandbox = sandboxWith({ env: { FROM_OPTIONS: 'yes' } });
    const result = await sandbox.exec('env', { env: { PER_CALL: 'ok' } });

    const env = (createBody().Env as string[]).join('\n');
    expect(env).not.toMatch(/sk-test-secret|OPENAI_API_KEY|DATABASE_URL|AURA_MASTER_KEY/);
    expect(env).toContain('FROM_OPTIONS=yes');
    expect(env).toContain('NO_COLOR=1');
    // Host paths mean nothing in the container: the image's PATH and HOME win.
    expect(env).not.toMatch(/^(PATH|HOME|USER|SHELL)=/m);
    expect(result.stdout).not.toContain('sk-test-secret');
    expect(result.stdout).toContain('FROM_OPTIONS=yes');
    expect(result.stdout).toContain('PER_CALL=ok');
  });

  it('is removed with everything in it on dispose', async () => {
    const sandbox = sandboxWith();
    const proc = await sandbox.spawnBackground('sleep 30');
    await sandbox.exec('true');
    const id = fake.containerIds()[0]!;
    await sandbox.dispose();
    const removal = find('DELETE', new RegExp(`^/containers/${id}$`));
    expect(removal).toHaveLength(1);
    expect(removal[0]!.query).toEqual({ force: 'true', v: 'true' });
    expect(fake.containerIds()).toEqual([]);
    expect(proc.exitCode).not.toBeUndefined();
    await expect(sandbox.exec('true')).rejects.toThrow(/disposed/);
  });

  it('does not create a container it never needed', async () => {
    const sandbox = sandboxWith();
    await sandbox.dispose();
    expect(fake.requests).toEqual([]);
  });

  it('replaces a container that died behind its back', async () => {
    const sandbox = sandboxWith();
    await sandbox.exec('true');
    const first = fake.containerIds()[0]!;
    fake.killContainer(first);
    const result = await sandbox.exec('echo again');
    expect(result.stdout).toBe('again\n');
    expect(find('POST', /^\/containers\/create$/)).toHaveLength(2);
    expect(find('DELETE', new RegExp(`^/containers/${first}$`))).toHaveLength(1);
  });
});

describe('docker sandbox exec API', () => {
  it('creates an attached exec in the right directory and starts it hijacked, multiplexed', async () => {
    const sandbox = sandboxWith();
    await sandbox.exec('echo hi', { env: { PER_CALL: 'ok' } });
    const id = fake.containerIds()[0]!;
    const created = find('POST', new RegExp(`^/containers/${id}/exec$`));
    expect(created).toHaveLength(1);
    const body = record(created[0]!.body);
    expect(body.AttachStdout).toBe(true);
    expect(body.AttachStderr).toBe(true);
    expect(body.AttachStdin).toBe(false);
    expect(body.Tty).toBe(false);
    expect(body.WorkingDir).toBe('/workspace');
    const cmd = body.Cmd as string[];
    expect(cmd.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(cmd[4]).toBe('echo hi');
    const env = body.Env as string[];
    expect(env).toContain('PER_CALL=ok');
    expect(env.some((entry) => new RegExp(`^${EXEC_MARKER_ENV}=[0-9a-f]{24}$`).test(entry))).toBe(true);

    const start = find('POST', /^\/exec\/[0-9a-f]+\/start$/)[0]!;
    expect(start.headers.upgrade).toBe('tcp');
    expect(start.headers.connection).toBe('Upgrade');
    expect(start.body).toEqual({ hijack: true, stdin: false, Tty: false });
    expect(find('GET', /^\/exec\/[0-9a-f]+\/json$/).length).toBeGreaterThanOrEqual(1);
  });

  it('attaches stdin only when there is stdin', async () => {
    const sandbox = sandboxWith();
    await sandbox.exec('cat', { stdin: 'x' });
    const body = record(find('POST', /\/exec$/)[0]!.body);
    expect(body.AttachStdin).toBe(true);
    expect(find('POST', /^\/exec\/[0-9a-f]+\/start$/)[0]!.body).toEqual({
      hijack: true,
      stdin: true,
      Tty: false,
    });
  });

  it('kills a timed-out command with a second exec that targets its marker', async () => {
    const sandbox = sandboxWith();
    const result = await sandbox.exec('sleep 30', { timeoutMs: 200 });
    expect(result.timedOut).toBe(true);
    const [command, killer] = find('POST', /\/exec$/).map((request) => record(request.body));
    const marker = (command!.Env as string[]).find((entry) => entry.startsWith(`${EXEC_MARKER_ENV}=`))!;
    const killCmd = killer!.Cmd as string[];
    expect(killCmd.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(killCmd).toContain(marker.split('=')[1]);
    expect(killCmd[2]).toContain('/proc/[0-9]*/environ');
  });

  it('opens a TTY exec with stdin, sized, started raw, and resizes it with h and w', async () => {
    const sandbox = sandboxWith();
    const pty = await sandbox.openPty({ cols: 80, rows: 24 });
    const body = record(find('POST', /\/exec$/)[0]!.body);
    expect(body.Tty).toBe(true);
    expect(body.AttachStdin).toBe(true);
    expect(body.ConsoleSize).toEqual([24, 80]);
    expect((body.Env as string[]).includes('TERM=xterm-256color')).toBe(true);
    const start = find('POST', /^\/exec\/[0-9a-f]+\/start$/)[0]!;
    expect(start.body).toEqual({ hijack: true, stdin: true, Tty: true });
    const execId = start.path.split('/')[2]!;
    const initial = await fake.waitForRequest((request) => request.path === `/exec/${execId}/resize`);
    expect(initial.query).toEqual({ h: '24', w: '80' });

    pty.resize(132, 43);
    const resized = await fake.waitForRequest(
      (request) => request.path === `/exec/${execId}/resize` && request.query.w === '132',
    );
    expect(resized.method).toBe('POST');
    expect(resized.query).toEqual({ h: '43', w: '132' });
    pty.kill();
  });
});

describe('docker sandbox image and engine', () => {
  it('pulls the image when it is missing, then creates the container', async () => {
    await fake.close();
    fake = await startFakeDocker({ images: [] });
    const sandbox = sandboxWith({ image: 'node:24-bookworm' });
    expect((await sandbox.exec('echo ok')).stdout).toBe('ok\n');
    const order = fake.requests.map((request) => `${request.method} ${request.path}`);
    expect(order.slice(0, 4)).toEqual([
      'GET /_ping',
      'GET /images/node:24-bookworm/json',
      'POST /images/create',
      'POST /containers/create',
    ]);
    expect(find('POST', /^\/images\/create$/)[0]!.query).toEqual({ fromImage: 'node', tag: '24-bookworm' });
  });

  it('reports a failed pull', async () => {
    await fake.close();
    fake = await startFakeDocker({ images: [], pullError: 'manifest for node:99 not found' });
    const sandbox = sandboxWith({ image: 'node:99' });
    await expect(sandbox.exec('true')).rejects.toThrow(
      /Could not pull the image node:99: manifest for node:99/,
    );
    expect(find('POST', /^\/containers\/create$/)).toHaveLength(0);
  });

  it('says clearly when the engine socket does not exist', async () => {
    const socketPath = path.join(workspace, 'no-such', 'docker.sock');
    const sandbox = sandboxWith({ docker: new Dockerode({ socketPath }) });
    await expect(sandbox.exec('true')).rejects.toThrow(
      `Docker is not reachable at ${socketPath}: is the engine running?`,
    );
  });

  it('keeps the default limits when created through createSandbox without any', async () => {
    vi.stubEnv('DOCKER_HOST', `unix://${fake.socketPath}`);
    const sandbox = createSandbox({ workspace, driver: 'docker' });
    try {
      await sandbox.exec('true');
      const host = record(createBody().HostConfig);
      expect(host.Memory).toBe(2 * 1024 ** 3);
      expect(host.PidsLimit).toBe(512);
    } finally {
      await sandbox.dispose();
      vi.unstubAllEnvs();
    }
  });

  it('defaults to the engine named by DOCKER_HOST', async () => {
    vi.stubEnv('DOCKER_HOST', `unix://${fake.socketPath}`);
    const sandbox = createDockerSandbox({ workspace });
    sandboxes.push(sandbox);
    expect((await sandbox.exec('echo via-env')).stdout).toBe('via-env\n');
    expect(find('POST', /^\/containers\/create$/)).toHaveLength(1);

    const missing = path.join(workspace, 'gone.sock');
    vi.stubEnv('DOCKER_HOST', `unix://${missing}`);
    const unreachable = createDockerSandbox({ workspace });
    sandboxes.push(unreachable);
    await expect(unreachable.exec('true')).rejects.toThrow(`Docker is not reachable at ${missing}`);
  });
});

describe('docker sandbox description and ownership', () => {
  it('describes its isolation and limits without starting a container', async () => {
    const sandbox = sandboxWith({ network: false, limits: { cpus: 2 } });
    const description = await sandbox.describe!();
    expect(description).toMatchObject({
      kind: 'docker',
      isolated: true,
      network: false,
      user: { uid: 1000, gid: 1000 },
      workspacePath: '/workspace',
    });
    const limits = Object.fromEntries(description.limits.map((limit) => [limit.name, limit]));
    expect(limits.memory).toMatchObject({ value: 2 * 1024 ** 3, scope: 'sandbox' });
    expect(limits.processes).toMatchObject({ value: 512, mechanism: 'cgroup pids' });
    expect(limits.cpus).toMatchObject({ value: 2 });
    expect(limits['open-files']).toMatchObject({ value: 4096, scope: 'process' });
    expect(limits.timeout).toMatchObject({ scope: 'command' });
    expect(find('POST', /^\/containers\/create$/)).toHaveLength(0);

    const offline = sandboxWith({ docker: new Dockerode({ socketPath: path.join(workspace, 'none.sock') }) });
    expect((await offline.describe!()).notes.join('\n')).toMatch(/Docker is not reachable at .*none\.sock/);
  });

  it('hands files to the container user when the server is root, and only inside the workspace', async () => {
    const sandbox = sandboxWith();
    mkdirSync(path.join(workspace, 'src'));
    writeFileSync(path.join(workspace, 'src', 'app.ts'), 'x');
    symlinkSync('/etc/hostname', path.join(workspace, 'src', 'link'));
    const before = statSync('/etc/hostname').uid;
    await sandbox.chownToSandbox!('src');
    const expected = process.getuid?.() === 0 ? 1000 : statSync(workspace).uid;
    expect(statSync(path.join(workspace, 'src', 'app.ts')).uid).toBe(expected);
    expect(statSync(path.join(workspace, 'src')).gid).toBe(
      process.getuid?.() === 0 ? 1000 : statSync(workspace).gid,
    );
    expect(statSync('/etc/hostname').uid).toBe(before);
    await expect(sandbox.chownToSandbox!('../outside')).rejects.toThrow(/outside the workspace/);
    symlinkSync('/etc', path.join(workspace, 'etc-link'));
    await expect(sandbox.chownToSandbox!('etc-link/hostname')).rejects.toThrow(/outside the workspace/);
  });
});
