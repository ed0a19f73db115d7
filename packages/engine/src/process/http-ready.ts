import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Endpoint } from '../sandbox/types.ts';

/** A port on the host's loopback, or where a sandbox exposes one. */
export type HttpTarget = number | Endpoint;

function describeTarget(target: HttpTarget): string {
  if (typeof target === 'number') return `port ${target}`;
  return 'socketPath' in target ? target.socketPath : `port ${target.port}`;
}

export interface WaitForHttpOptions {
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
  /** Path to request (default `/`). */
  path?: string;
  /** Stops waiting (e.g. the process died); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** One GET; resolves with the status of any HTTP response, or undefined when nothing answered. */
export function probeHttp(target: HttpTarget, path = '/', timeoutMs = 2_000): Promise<number | undefined> {
  const where = typeof target === 'number' ? { host: '127.0.0.1', port: target } : target;
  return new Promise((resolve) => {
    const req = request({ ...where, path, method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/**
 * Polls the target's `path` until anything answers with an HTTP response (any status: a 404 or
 * a 500 still means the server is up). Backs off from 25 ms to 250 ms between attempts.
 */
export async function waitForHttp(target: HttpTarget, opts: WaitForHttpOptions = {}): Promise<number> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let delay = 25;
  for (;;) {
    opts.signal?.throwIfAborted();
    const status = await probeHttp(target, opts.path);
    if (status !== undefined) return status;
    if (Date.now() >= deadline) {
      throw new Error(
        `Nothing answered HTTP on ${describeTarget(target)} within ${opts.timeoutMs ?? 60_000} ms.`,
      );
    }
    try {
      await sleep(Math.min(delay, Math.max(0, deadline - Date.now())), undefined, {
        signal: opts.signal,
      });
    } catch {
      opts.signal?.throwIfAborted();
    }
    delay = Math.min(250, delay * 2);
  }
}
