import { type ChildProcess, spawn } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_COMMAND_ENV } from './env.ts';
import type { Launcher, LaunchRequest, LaunchSpec } from './launch.ts';
import { CappedCapture, RingBuffer } from './output.ts';
import { groupAlive, terminateGroup } from './process-group.ts';
import { PtyHandle } from './pty.ts';
import type {
  BackgroundProcess,
  Endpoint,
  ExecOptions,
  ExecResult,
  PtyOptions,
  PtyProcess,
  Sandbox,
  SandboxDescription,
} from './types.ts';

/** Settings shared by the drivers that run processes on this host. */
export interface RunnerOptions {
  /** Extra variables for every command. The host environment is NOT inherited (see env.ts). */
  env?: Record<string, string>;
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

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function abortError(message: string): Error {
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}

class RunnerBackgroundProcess implements BackgroundProcess {
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

  /** Resolves when the process has exited. */
  get exited(): Promise<void> {
    return this.#exited;
  }

  output(): string {
    return this.#ring.text();
  }

  async stop(): Promise<void> {
    if (this.pid === undefined) return;
    await terminateGroup(this.pid, this.#graceMs);
    await this.#exited;
  }
}

interface RunningExec {
  kill(): void;
  done: Promise<unknown>;
}

/**
 * The process machinery behind the local and bubblewrap drivers: wall-clock timeouts, output caps,
 * process-group kills, background processes and terminals. What actually gets started comes from
 * the driver's launcher.
 */
export class ProcessSandbox implements Sandbox {
  readonly kind: string;
  readonly workspace: string;
  readonly #launcher: Launcher;
  readonly #env: Record<string, string> | undefined;
  readonly #timeoutMs: number;
  readonly #maxOutputBytes: number;
  readonly #graceMs: number;
  readonly #backgroundBytes: number;
  readonly #running = new Set<RunningExec>();
  readonly #background: RunnerBackgroundProcess[] = [];
  readonly #ptys = new Set<PtyHandle>();
  #nextId = 1;
  #disposed = false;

  constructor(
    launcher: Launcher,
    options: RunnerOptions,
    extras: {
      describe?: () => Promise<SandboxDescription>;
      chownToSandbox?: (target: string) => Promise<void>;
      endpoint?: (port: number) => Promise<Endpoint>;
    } = {},
  ) {
    this.kind = launcher.kind;
    this.workspace = launcher.workspace;
    this.#launcher = launcher;
    this.#env = options.env;
    this.#timeoutMs = options.defaultTimeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
    this.#maxOutputBytes = options.defaultMaxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    this.#graceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    this.#backgroundBytes = options.backgroundBufferBytes ?? DEFAULT_BACKGROUND_BUFFER;
    if (extras.describe) this.describe = extras.describe;
    if (extras.chownToSandbox) this.chownToSandbox = extras.chownToSandbox;
    if (extras.endpoint) this.endpoint = extras.endpoint;
  }

  readonly describe?: () => Promise<SandboxDescription>;
  readonly chownToSandbox?: (target: string) => Promise<void>;
  readonly endpoint?: (port: number) => Promise<Endpoint>;

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

  /**
   * Checks, runs the launcher's preparation and builds the spec for one launch. Synchronous when the
   * launcher has nothing to wait for, so a command is started within the call that asks for it (a
   * `dispose()` right after `exec()` then always sees it).
   */
  #launch(
    command: string | undefined,
    opts: { cwd?: string; env?: Record<string, string>; signal?: AbortSignal },
    purpose: LaunchRequest['purpose'],
  ): LaunchSpec | Promise<LaunchSpec> {
    this.#assertOpen();
    if (opts.signal?.aborted) throw abortError('The command was cancelled before it started.');
    const cwd = this.#resolveCwd(opts.cwd);
    const build = (): LaunchSpec => {
      this.#assertOpen();
      if (opts.signal?.aborted) throw abortError('The command was cancelled before it started.');
      let env = this.#launcher.environment(cwd, [this.#env, opts.env]);
      if (purpose === 'terminal') env = terminalEnv(env, opts.env);
      return this.#launcher.spec({ command, cwd, env, purpose });
    };
    const preparing = this.#launcher.prepare?.();
    return preparing ? preparing.then(build) : build();
  }

  /** Runs `start` on the spec as soon as it is ready; synchronous errors become rejections. */
  #withSpec<T>(
    command: string | undefined,
    opts: { cwd?: string; env?: Record<string, string>; signal?: AbortSignal },
    purpose: LaunchRequest['purpose'],
    start: (spec: LaunchSpec) => Promise<T>,
  ): Promise<T> {
    try {
      const spec = this.#launch(command, opts, purpose);
      return spec instanceof Promise ? spec.then(start) : start(spec);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #spawn(spec: LaunchSpec, stdin: boolean): ChildProcess {
    return spawn(spec.file, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      ...(spec.uid === undefined ? {} : { uid: spec.uid }),
      ...(spec.gid === undefined ? {} : { gid: spec.gid }),
    });
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.#withSpec(command, opts, 'exec', (spec) => this.#exec(spec, opts));
  }

  async #exec(spec: LaunchSpec, opts: ExecOptions): Promise<ExecResult> {
    const timeoutMs = opts.timeoutMs ?? this.#timeoutMs;
    const capture = new CappedCapture(opts.maxOutputBytes ?? this.#maxOutputBytes);
    const started = performance.now();
    const child = this.#spawn(spec, opts.stdin !== undefined);
    const graceMs = this.#graceMs;
    const program = this.#launcher.program();

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
        reject(new Error(`Could not start ${program}: ${error.message}`));
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

  spawnBackground(
    command: string,
    opts: Omit<ExecOptions, 'timeoutMs' | 'stdin'> = {},
  ): Promise<BackgroundProcess> {
    return this.#withSpec(command, opts, 'background', (spec) => this.#startBackground(spec, command, opts));
  }

  async #startBackground(
    spec: LaunchSpec,
    command: string,
    opts: Omit<ExecOptions, 'timeoutMs' | 'stdin'>,
  ): Promise<BackgroundProcess> {
    const child = this.#spawn(spec, false);
    const id = `bg-${this.#nextId++}`;
    const ringBytes = opts.maxOutputBytes ?? this.#backgroundBytes;
    const proc = new RunnerBackgroundProcess(id, command, child, ringBytes, this.#graceMs);
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

  openPty(opts: PtyOptions): Promise<PtyProcess> {
    return this.#withSpec(opts.command, opts, 'terminal', async (spec) => {
      const pty = new PtyHandle(spec, opts.cols, opts.rows, this.#graceMs);
      this.#ptys.add(pty);
      void pty.exited.then(() => this.#ptys.delete(pty));
      return pty;
    });
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const running = [...this.#running];
    for (const entry of running) entry.kill();
    await Promise.all([
      ...running.map((entry) => entry.done),
      ...this.#background.map((proc) => proc.stop()),
      ...[...this.#ptys].map((pty) => pty.stop()),
    ]);
    await this.#launcher.dispose?.();
  }
}

/**
 * Terminals are for people: drop the no-pager/no-colour defaults meant for captured output (unless
 * the caller set them) and say what the terminal can do.
 */
function terminalEnv(
  env: Record<string, string>,
  explicit: Record<string, string> | undefined,
): Record<string, string> {
  const result = { ...env };
  for (const name of Object.keys(DEFAULT_COMMAND_ENV)) {
    if (explicit?.[name] === undefined && result[name] === DEFAULT_COMMAND_ENV[name]) delete result[name];
  }
  result.TERM = explicit?.TERM ?? 'xterm-256color';
  result.COLORTERM = explicit?.COLORTERM ?? 'truecolor';
  return result;
}
