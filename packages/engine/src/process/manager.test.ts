import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalSandbox } from '../sandbox/local.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { probeHttp, waitForHttp } from './http-ready.ts';
import { ProcessManager, type ProcessStatus, tailLines } from './manager.ts';
import { isPortFree, PortAllocator } from './ports.ts';

// A dev server in miniature: answers on $PORT, logs to stdout, can be told to crash.
const serverScript = `
const http = require('node:http');
const port = Number(process.env.PORT);
console.log('booting on ' + port + ' greeting=' + (process.env.GREETING || ''));
http.createServer((req, res) => {
  if (req.url === '/crash') { console.error('fatal: asked to crash'); process.exit(3); }
  res.end('hello from ' + process.pid);
}).listen(port, '127.0.0.1', () => console.log('listening'));
`;

let dir: string;
let sandbox: Sandbox;
let manager: ProcessManager;
let changes: ProcessStatus[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aura-process-'));
  await writeFile(join(dir, 'server.cjs'), serverScript);
  sandbox = createLocalSandbox({ workspace: dir, killGraceMs: 500 });
  changes = [];
  manager = new ProcessManager({ sandbox, onChange: (status) => changes.push(status) });
});

afterEach(async () => {
  await manager.dispose();
  await sandbox.dispose();
  await rm(dir, { recursive: true, force: true });
});

const node = JSON.stringify(process.execPath);

describe('ProcessManager', () => {
  it('starts a server on an allocated port, passes PORT and env, and reports it running', async () => {
    const started = await manager.start('dev', `${node} server.cjs`, {
      port: 'auto',
      env: { GREETING: 'hi' },
    });
    expect(started.state).toBe('starting');
    expect(started.port).toBeGreaterThan(0);
    const ready = await manager.ready('dev');
    expect(ready.state).toBe('running');
    expect(ready.readyAt).toBeGreaterThanOrEqual(ready.startedAt);
    expect(await probeHttp(started.port!)).toBe(200);
    expect(manager.logs('dev')).toContain(`booting on ${started.port} greeting=hi`);
    expect(manager.logs('dev', { tail: 1 })).toBe('listening');
    expect(changes.map((c) => c.state)).toEqual(['running']);
  });

  it('restarts with a new pid on the same port', async () => {
    const first = await manager.start('dev', `${node} server.cjs`, { port: 'auto' });
    await manager.ready('dev');
    const second = await manager.restart('dev');
    expect(second.pid).not.toBe(first.pid);
    expect(second.port).toBe(first.port);
    expect((await manager.ready('dev')).state).toBe('running');
    // start() on a running name restarts it too.
    const third = await manager.start('dev', `${node} server.cjs`, { port: 'auto' });
    expect(third.pid).not.toBe(second.pid);
    expect((await manager.ready('dev')).state).toBe('running');
    expect(manager.list()).toHaveLength(1);
  });

  it('stops a process: state exited, port free again', async () => {
    const started = await manager.start('dev', `${node} server.cjs`, { port: 'auto' });
    await manager.ready('dev');
    const stopped = await manager.stop('dev');
    expect(stopped?.state).toBe('exited');
    expect(stopped?.exitedAt).toBeDefined();
    expect(await isPortFree(started.port!)).toBe(true);
    expect(manager.logs('dev')).toContain('[aura] stopped');
    expect(await manager.stop('missing')).toBeUndefined();
  });

  it('detects a crash and keeps the last log lines', async () => {
    const started = await manager.start('dev', `${node} server.cjs`, { port: 'auto' });
    await manager.ready('dev');
    await probeHttp(started.port!, '/crash');
    const ended = await manager.exited('dev');
    expect(ended.state).toBe('crashed');
    expect(ended.exitCode).toBe(3);
    const logs = manager.logs('dev', { tail: 5 });
    expect(logs).toContain('fatal: asked to crash');
    expect(logs).toContain('[aura] crashed with code 3');
    expect(changes.map((c) => c.state)).toEqual(['running', 'crashed']);
  });

  it('a process that dies before listening settles as crashed, not running', async () => {
    await manager.start('dev', `echo "cannot start: missing module" >&2; exit 1`, { port: 'auto' });
    const status = await manager.ready('dev');
    expect(status.state).toBe('crashed');
    expect(manager.logs('dev')).toContain('cannot start: missing module');
  });

  it('runs a portless command (an install) to completion', async () => {
    const started = await manager.start('install', 'echo installing; echo done');
    expect(started.port).toBeUndefined();
    const ended = await manager.exited('install');
    expect(ended).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(manager.logs('install')).toContain('installing\ndone');
  });

  it('gives every start its own port and frees them on dispose', async () => {
    const ports = new PortAllocator();
    const own = new ProcessManager({ sandbox, ports });
    const a = await own.start('a', `${node} server.cjs`, { port: 'auto' });
    const b = await own.start('b', `${node} server.cjs`, { port: 'auto' });
    expect(a.port).not.toBe(b.port);
    expect(ports.reserved).toBe(2);
    await own.dispose();
    expect(ports.reserved).toBe(0);
    expect(own.list().every((s) => s.state === 'exited')).toBe(true);
    await expect(own.start('c', 'true')).rejects.toThrow(/disposed/);
  });

  it('serialises concurrent starts of one name: one process survives', async () => {
    const results = await Promise.all([
      manager.start('dev', `${node} server.cjs`, { port: 'auto' }),
      manager.start('dev', `${node} server.cjs`, { port: 'auto' }),
    ]);
    const status = await manager.ready('dev');
    expect(status.pid).toBe(results[1].pid);
    expect(status.state).toBe('running');
    expect(sandbox.listBackground().filter((p) => p.exitCode === undefined)).toHaveLength(1);
  });

  it('restart of an unknown name is an error', async () => {
    await expect(manager.restart('nope')).rejects.toThrow(/No process named/);
  });
});

describe('waitForHttp', () => {
  it('gives up after its timeout when nothing listens', async () => {
    const ports = new PortAllocator();
    const port = await ports.allocate();
    await expect(waitForHttp(port, { timeoutMs: 100 })).rejects.toThrow(/Nothing answered HTTP/);
  });

  it('stops when its signal aborts', async () => {
    const port = await new PortAllocator().allocate();
    const controller = new AbortController();
    const waiting = waitForHttp(port, { signal: controller.signal });
    controller.abort(new Error('the process died'));
    await expect(waiting).rejects.toThrow('the process died');
  });
});

describe('tailLines', () => {
  it('keeps the last lines', () => {
    expect(tailLines('a\nb\nc\n', 2)).toBe('b\nc');
    expect(tailLines('a', 0)).toBe('');
  });
});
