import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildCommandEnv } from './env.ts';
import { CappedCapture, decodeTail, RingBuffer } from './output.ts';
import { groupAlive, terminateGroup } from './process-group.ts';
import type { BackgroundProcess, ExecOptions, ExecResult, Sandbox } from './types.ts';

export interface LocalSandboxOptions {
  /** Workspace root on the host; commands run here (or in a `cwd` inside it). */
  workspace: string;
  /** Extra variables for every command. The host environment is NOT inherited (see env.ts). */
  env?: Record<string, string>;
  /** Shell used as `<shell> -c <command>` (default: /bin/bash when present, else /bin/sh). */
  shell?: string;
  defaultTimeoutMs?: number;
  defaultMaxOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL when stopping a process group. */
  killGraceMs?: number;
  /** Ring buffer size for each background process's output. */
  backgroundBufferBytes?: number;
}

export const DEFAULT_EXEC_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
const DEFAULT_KILL_GRACE_MS = 2_000;
const DEFAULT_BACKGROUND_BUFFER = 256 * 1024;
/** After the shell exits, how long to wait for processes it left behind to release stdout/stderr. */
const STDIO_DRAIN_MS = 200;
const LEFTOVER_NOTE =
  '\n[aura] the command left processes running in the background; they were stopped. Use background: true for long-running processes.\n';

function defaultShell(): string {
  return existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function abortError(message: string): Error {
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}

class LocalBackgroundProcess implements BackgroundProcess {
  readonly id: string;
  readonly command: string;
  readonly pid: number | undefined;
  readonly #ring: RingBuffer;
  readonly #graceMs: number;
  readonly #exited: Promise<void>;
  #exitCode: number | null | undefined = undefined;

  constructor(id: string, command: string, child: ChildProcess, ringBytes: number, graceMs: number) {
    this.id = id;
    this.command = command;
    this.pid = child.pid;
    this.#ring = new RingBuffer(ringBytes);
    this.#graceMs = graceMs;
    child.stdout?.on('data', (chunk: Buffer) => this.#ring.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.#ring.push(chunk));
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.#exitCode = code;
        resolve();
      });
      child.once('error', (error) => {
        this.#ring.push(Buffer.from(`\n[aura] failed to start: ${error.message}\n`));
        this.#exitCode = null;
        resolve();
      });
    });
  }

  get exitCode(): number | null | undefined {
    return this.#exitCode;
  }

  /** Resolves when the shell has exited. */
  get exited(): Promise<void> {
    return this.#exited;
  }

  output(): string {
    const text = decodeTail(this.#ring.bytes());
    if (this.#ring.droppedBytes === 0) return text;
    return `[… ${this.#ring.droppedBytes} earlier bytes dropped …]\n${text}`;
  }

  async stop(): Promise<void> {
    if (this.pid === undefined) return;
    await terminateGroup(this.pid, this.#graceMs);
    await this.#exited;
  }
}

interface RunningExec {
  pid: number;
  kill(): void;
  done: Promise<unknown>;
}

class LocalSandbox implements Sandbox {
  readonly kind = 'local';
  readonly workspace: string;
  readonly #env: Record<string, string> | undefined;
  readonly #shell: string;
  readonly #timeoutMs: number;
  readonly #maxOutputBytes: number;
  readonly #graceMs: number;
  readonly #backgroundBytes: number;
  readonly #running = new Set<RunningExec>();
  readonly #background: LocalBackgroundProcess[] = [];
  #nextId = 1;
  #disposed = false;

  constructor(options: LocalSandboxOptions) {
    this.workspace = realpathSync(path.resolve(options.workspace));
    this.#env = options.env;
    this.#shell = options.shell ?? defaultShell();
    this.#timeoutMs = options.defaultTimeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
    this.#maxOutputBytes = options.defaultMaxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    this.#graceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    this.#backgroundBytes = options.backgroundBufferBytes ?? DEFAULT_BACKGROUND_BUFFER;
  }

  #assertOpen(): void {
    if (this.#disposed) throw new Error('The sandbox has been disposed; no more commands can run in it.');
  }

  /** `cwd` is relative to the workspace and must stay inside it, symlinks included. */
  #resolveCwd(cwd: string | undefined): string {
    if (cwd === undefined || cwd === '' || cwd === '.') return this.workspace;
    if (path.isAbsolute(cwd)) throw new Error(`cwd must be relative to the workspace, got "${cwd}".`);
    let real: string;
    try {
      real = realpathSync(path.resolve(this.workspace, cwd));
    } catch {
      throw new Error(`cwd "${cwd}" does not exist in the workspace.`);
    }
    if (!isInside(this.workspace, real)) throw new Error(`cwd "${cwd}" is outside the workspace.`);
    if (!statSync(real).isDirectory()) throw new Error(`cwd "${cwd}" is not a directory.`);
    return real;
  }

  #spawn(
    command: string,
    cwd: string,
    env: Record<string, string> | undefined,
    stdin: boolean,
  ): ChildProcess {
    return spawn(this.#shell, ['-c', command], {
      cwd,
      env: buildCommandEnv(process.env, this.#env, env, { PWD: cwd }),
      detached: true,
      stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.#assertOpen();
    if (opts.signal?.aborted) throw abortError('The command was cancelled before it started.');
    const cwd = this.#resolveCwd(opts.cwd);
    const timeoutMs = opts.timeoutMs ?? this.#timeoutMs;
    const capture = new CappedCapture(opts.maxOutputBytes ?? this.#maxOutputBytes);
    const started = performance.now();
    const child = this.#spawn(command, cwd, opts.env, opts.stdin !== undefined);
    const graceMs = this.#graceMs;

    let timedOut = false;
    let aborted = false;
    let killing: Promise<void> | undefined;
    const kill = () => {
      if (child.pid !== undefined && !killing) killing = terminateGroup(child.pid, graceMs);
    };

    const result = new Promise<ExecResult>((resolve, reject) => {
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      let drainTimer: NodeJS.Timeout | undefined;
      let leftovers = false;
      let finished = false;
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, timeoutMs);
      const onAbort = () => {
        aborted = true;
        kill();
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });

      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        clearTimeout(drainTimer);
        opts.signal?.removeEventListener('abort', onAbort);
        // Anything still in the group was started by this command and outlived it: stop it.
        if (child.pid !== undefined && groupAlive(child.pid)) {
          leftovers = !timedOut && !aborted;
          kill();
        }
        const stderr = capture.text('stderr') + (leftovers ? LEFTOVER_NOTE : '');
        resolve({
          exitCode: exit?.code ?? null,
          signal: exit?.signal ?? null,
          timedOut,
          aborted,
          stdout: capture.text('stdout'),
          stderr,
          truncated: capture.truncated,
          durationMs: Math.round(performance.now() - started),
        });
      };

      child.stdout?.on('data', (chunk: Buffer) => capture.push('stdout', chunk));
      child.stderr?.on('data', (chunk: Buffer) => capture.push('stderr', chunk));
      child.stdin?.on('error', () => {});
      child.once('error', (error) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        reject(new Error(`Could not start ${this.#shell}: ${error.message}`));
      });
      child.once('exit', (code, signal) => {
        exit = { code, signal };
        // Processes the command backgrounded may keep our pipes open; don't wait for them forever.
        drainTimer = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          finish();
        }, STDIO_DRAIN_MS);
      });
      child.once('close', () => {
        if (exit) finish();
      });
    });

    if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);

    const entry: RunningExec = {
      pid: child.pid ?? -1,
      kill,
      done: result.then(
        () => killing,
        () => {},
      ),
    };
    this.#running.add(entry);
    try {
      return await result;
    } finally {
      this.#running.delete(entry);
    }
  }

  async spawnBackground(
    command: string,
    opts: Omit<ExecOptions, 'timeoutMs' | 'stdin'> = {},
  ): Promise<BackgroundProcess> {
    this.#assertOpen();
    if (opts.signal?.aborted) throw abortError('The command was cancelled before it started.');
    const cwd = this.#resolveCwd(opts.cwd);
    const child = this.#spawn(command, cwd, opts.env, false);
    const id = `bg-${this.#nextId++}`;
    const ringBytes = opts.maxOutputBytes ?? this.#backgroundBytes;
    const proc = new LocalBackgroundProcess(id, command, child, ringBytes, this.#graceMs);
    this.#background.push(proc);
    opts.signal?.addEventListener('abort', () => void proc.stop(), { once: true });
    await new Promise<void>((resolve) => {
      child.once('spawn', () => resolve());
      child.once('error', () => resolve());
    });
    return proc;
  }

  listBackground(): BackgroundProcess[] {
    return [...this.#background];
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    const running = [...this.#running];
    for (const entry of running) entry.kill();
    await Promise.all([
      ...running.map((entry) => entry.done),
      ...this.#background.map((proc) => proc.stop()),
    ]);
  }
}

/** A sandbox that runs commands directly on the host, confined only by cwd and a scrubbed env. */
export function createLocalSandbox(options: LocalSandboxOptions): Sandbox {
  return new LocalSandbox(options);
}
