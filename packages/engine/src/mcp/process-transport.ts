import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { RingBuffer } from '../sandbox/output.ts';
import { signalGroup } from '../sandbox/process-group.ts';

const STDERR_TAIL_BYTES = 8 * 1024;
/** How long a server gets to exit after its stdin closes, then after SIGTERM, before SIGKILL. */
const EXIT_GRACE_MS = 1_000;
/** How long output written just before an exit may take to arrive. */
const PIPE_DRAIN_MS = 200;

export interface ServerProcessOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

/**
 * Runs an MCP server as a child process and speaks JSON-RPC over its stdin/stdout, like the SDK's
 * StdioClientTransport, keeping what that one drops: how the process ended and the tail of its
 * stderr, to explain a server that died. The server gets its own process group, so a Ctrl-C at the
 * terminal cancels a run without killing the servers, and closing also stops the server's children.
 * Its stderr is never printed.
 */
export class ServerProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  readonly #options: ServerProcessOptions;
  readonly #reader = new ReadBuffer();
  readonly #stderr = new RingBuffer(STDERR_TAIL_BYTES);
  #child: ChildProcess | undefined;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  #didEnd = false;

  constructor(options: ServerProcessOptions) {
    this.#options = options;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.#options.command, this.#options.args, {
        env: this.#options.env,
        cwd: this.#options.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      });
      this.#child = child;
      child.once('spawn', () => resolve());
      child.on('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.on('exit', (code, signal) => {
        this.#exit = { code, signal };
        // Let the pipes drain (the last stderr line explains the exit), but not for long:
        // children the server left behind may hold them open.
        const drained = setTimeout(() => this.#ended(), PIPE_DRAIN_MS);
        child.once('close', () => {
          clearTimeout(drained);
          this.#ended();
        });
      });
      child.stdout.on('data', (chunk: Buffer) => this.#receive(chunk));
      child.stderr.on('data', (chunk: Buffer) => this.#stderr.push(chunk));
      // Writing to a server that just died fails with EPIPE; its exit explains it better.
      child.stdin.on('error', () => {});
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.#child?.stdin;
    if (!stdin?.writable || this.#exit) return Promise.reject(new Error('the server process is not running'));
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Closes stdin (the polite way to stop a stdio server), then escalates to signals. */
  async close(): Promise<void> {
    const child = this.#child;
    // No pid: the command could not be started at all.
    if (child?.pid === undefined) return;
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin?.end();
      if (!(await this.#exitsWithin(child, EXIT_GRACE_MS))) {
        signalChildGroup(child, 'SIGTERM');
        if (!(await this.#exitsWithin(child, EXIT_GRACE_MS))) signalChildGroup(child, 'SIGKILL');
      }
    }
    // Children the server started may outlive it.
    signalChildGroup(child, 'SIGTERM');
  }

  /** Resolves once the process has exited, or after `ms`. */
  async waitForExit(ms: number): Promise<void> {
    if (this.#child) await this.#exitsWithin(this.#child, ms);
  }

  /** "exited with code 1: <last stderr line>", or undefined while the process runs. */
  describeExit(): string | undefined {
    if (!this.#exit) return undefined;
    const { code, signal } = this.#exit;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const line = this.lastStderrLine();
    return line ? `${how}: ${line}` : how;
  }

  lastStderrLine(): string | undefined {
    const lines = this.#stderr.text().split('\n');
    const last = lines.findLast((line) => line.trim() !== '')?.trim();
    if (!last) return undefined;
    return last.length > 300 ? `${last.slice(0, 300)}…` : last;
  }

  #ended(): void {
    if (this.#didEnd) return;
    this.#didEnd = true;
    this.onclose?.();
  }

  #receive(chunk: Buffer): void {
    try {
      this.#reader.append(chunk);
    } catch (error) {
      // A message over the buffer limit: nothing after it can be framed reliably.
      this.onerror?.(error as Error);
      void this.close();
      return;
    }
    for (;;) {
      try {
        const message = this.#reader.readMessage();
        if (message === null) return;
        this.onmessage?.(message);
      } catch (error) {
        // A line that is not JSON-RPC (a server logging to stdout): report it and read on.
        this.onerror?.(error as Error);
      }
    }
  }

  async #exitsWithin(child: ChildProcess, ms: number): Promise<boolean> {
    if (child.exitCode !== null || child.signalCode !== null) return true;
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(), ms);
    try {
      await once(child, 'exit', { signal: timer.signal });
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timeout);
    }
  }
}

function signalChildGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid !== undefined) signalGroup(child.pid, signal);
}
