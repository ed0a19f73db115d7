// Test and bench helper: runs a template's `dev` command plainly (no sandbox) and waits for it.
import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DevServer {
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** A free loopback port (listen on 0, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** `sh -c command` in `cwd` with PORT set, in its own process group. */
export async function startDevServer(command: string, cwd: string, port?: number): Promise<DevServer> {
  const chosen = port ?? (await freePort());
  const child = spawn('/bin/sh', ['-c', command], {
    cwd,
    env: { ...process.env, PORT: String(chosen) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    port: chosen,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // gone already
        }
        const killed = await Promise.race([exited.then(() => true), sleep(3_000).then(() => false)]);
        if (!killed) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // gone already
          }
        }
      }
      await exited;
    },
  };
}

export interface HttpResult {
  status: number;
  body: string;
}

/** GET http://127.0.0.1:<port><path>, optionally with another Host header (as a proxy sends). */
export function httpGet(port: number, path = '/', host?: string): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: host ? { host } : {}, timeout: 10_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Polls `GET /` until it answers 200; rejects if the server exits first or `limitMs` passes.
 * Resolves with the milliseconds it took (from the call).
 */
export async function waitForHttp(server: DevServer, limitMs = 60_000, pollMs = 25): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(
        `the dev server exited (${server.child.exitCode ?? server.child.signalCode}):\n${server.output()}`,
      );
    }
    const result = await httpGet(server.port).catch(() => undefined);
    if (result?.status === 200) return performance.now() - started;
    if (performance.now() - started > limitMs) {
      throw new Error(`no HTTP 200 on port ${server.port} after ${limitMs} ms:\n${server.output()}`);
    }
    await sleep(pollMs);
  }
}
