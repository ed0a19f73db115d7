import type { BackgroundProcess, Sandbox } from '../sandbox/types.ts';
import { keyedQueue } from '../shared/keyed-queue.ts';
import { waitForHttp as pollHttp } from './http-ready.ts';
import { defaultPorts, type PortAllocator } from './ports.ts';

/**
 * `starting`: spawned, its port not answering HTTP yet. `running`: up (and answering, when it has
 * a port). `exited`: stopped on request, or ended with code 0. `crashed`: ended by itself with a
 * non-zero code or a signal.
 */
export type ProcessState = 'starting' | 'running' | 'exited' | 'crashed';

export interface ProcessStatus {
  name: string;
  command: string;
  state: ProcessState;
  pid: number | undefined;
  /** The loopback port passed to the process as PORT, when it has one. */
  port: number | undefined;
  /** undefined while the process runs; null when it was ended by a signal. */
  exitCode: number | null | undefined;
  startedAt: number;
  readyAt: number | undefined;
  exitedAt: number | undefined;
}

export interface ProcessStartOptions {
  env?: Record<string, string>;
  /** Working directory relative to the workspace. */
  cwd?: string;
  /**
   * `'auto'`: the manager picks a free loopback port (kept across restarts while it stays free)
   * and passes it as PORT; readiness then means "answers HTTP". A number uses that port. Omitted:
   * no port, and the process counts as running once spawned.
   */
  port?: number | 'auto';
  /** Path polled for readiness (default `/`). */
  readyPath?: string;
}

export interface ProcessManagerOptions {
  sandbox: Sandbox;
  ports?: PortAllocator;
  /** Output kept per process (a ring buffer in the sandbox), default 256 KiB. */
  logBytes?: number;
  /** Called on every state change after the start: running, exited, crashed. */
  onChange?: (status: ProcessStatus) => void;
}

interface Run {
  name: string;
  command: string;
  options: ProcessStartOptions;
  proc: BackgroundProcess;
  state: ProcessState;
  port: number | undefined;
  startedAt: number;
  readyAt: number | undefined;
  exitedAt: number | undefined;
  exitCode: number | null | undefined;
  stopping: boolean;
  notesBefore: string[];
  notesAfter: string[];
  exited: Promise<void>;
  /** Resolves once the run leaves `starting` (ready or ended). */
  settled: Promise<void>;
  settle: () => void;
  watch: AbortController;
}

const DEFAULT_LOG_BYTES = 256 * 1024;
/** Readiness polling gives up after this long; the process keeps running as `starting`. */
const READY_WATCH_MS = 10 * 60_000;

/**
 * Named long-running processes (dev servers, watchers, installs) of one project, run in its
 * sandbox: start (restarting a running one), stop, restart, status, log tail, HTTP readiness and
 * crash detection.
 */
export class ProcessManager {
  readonly #sandbox: Sandbox;
  readonly #ports: PortAllocator;
  readonly #logBytes: number;
  readonly #onChange: ((status: ProcessStatus) => void) | undefined;
  readonly #runs = new Map<string, Run>();
  /** Start, stop and restart of one process never overlap. */
  readonly #exclusive = keyedQueue();
  /** Ports this manager holds, by process name: kept while the name exists so restarts keep them. */
  readonly #heldPorts = new Map<string, number>();
  #disposed = false;

  constructor(options: ProcessManagerOptions) {
    this.#sandbox = options.sandbox;
    this.#ports = options.ports ?? defaultPorts;
    this.#logBytes = options.logBytes ?? DEFAULT_LOG_BYTES;
    this.#onChange = options.onChange;
  }

  get sandbox(): Sandbox {
    return this.#sandbox;
  }

  /** Starts `command` as `name`; a process already running under that name is stopped first. */
  start(name: string, command: string, options: ProcessStartOptions = {}): Promise<ProcessStatus> {
    return this.#exclusive(name, () => this.#start(name, command, options));
  }

  /** Stops the process (SIGTERM, then SIGKILL after the sandbox's grace) and waits for it to end. */
  stop(name: string): Promise<ProcessStatus | undefined> {
    return this.#exclusive(name, () => this.#stop(name));
  }

  /** Starts the process again with the command and options it was last started with. */
  restart(name: string): Promise<ProcessStatus> {
    return this.#exclusive(name, () => {
      const run = this.#runs.get(name);
      if (!run) throw new Error(`No process named "${name}" to restart.`);
      return this.#start(name, run.command, run.options);
    });
  }

  status(name: string): ProcessStatus | undefined {
    const run = this.#runs.get(name);
    return run ? statusOf(run) : undefined;
  }

  list(): ProcessStatus[] {
    return [...this.#runs.values()].map(statusOf);
  }

  /** The last `tail` lines (default 200) of the process's output, with the manager's own notes. */
  logs(name: string, opts: { tail?: number } = {}): string {
    const run = this.#runs.get(name);
    if (!run) return '';
    const text = [...run.notesBefore, run.proc.output(), ...run.notesAfter]
      .filter((part) => part !== '')
      .join('\n');
    return tailLines(text, opts.tail ?? 200);
  }

  /** Adds a line to the process's log (shown before its output). */
  note(name: string, line: string): void {
    const run = this.#runs.get(name);
    if (run) run.notesBefore.push(`[aura] ${line}`);
  }

  /**
   * Resolves with the status once the process is running (its port answers HTTP) or has ended,
   * or after `timeoutMs` (default 60 s) with whatever state it is in then.
   */
  async ready(name: string, opts: { timeoutMs?: number } = {}): Promise<ProcessStatus> {
    const run = this.#runs.get(name);
    if (!run) throw new Error(`No process named "${name}".`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, opts.timeoutMs ?? 60_000);
    });
    try {
      await Promise.race([run.settled, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return statusOf(run);
  }

  /** Resolves with the status once the process has ended. */
  async exited(name: string): Promise<ProcessStatus> {
    const run = this.#runs.get(name);
    if (!run) throw new Error(`No process named "${name}".`);
    await run.exited;
    // The exit handler runs in a microtask after `exited`; let it record the state first.
    await Promise.resolve();
    return statusOf(run);
  }

  /** Stops every process and releases the ports; the manager cannot start anything afterwards. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    await Promise.all([...this.#runs.keys()].map((name) => this.stop(name).catch(() => undefined)));
    for (const port of this.#heldPorts.values()) this.#ports.release(port);
    this.#heldPorts.clear();
  }

  async #start(name: string, command: string, options: ProcessStartOptions): Promise<ProcessStatus> {
    if (this.#disposed) throw new Error('The process manager has been disposed.');
    await this.#stop(name);
    const port = await this.#portFor(name, options.port);
    const env: Record<string, string> = { ...options.env };
    if (port !== undefined) env.PORT = String(port);
    let proc: BackgroundProcess;
    try {
      proc = await this.#sandbox.spawnBackground(command, {
        env,
        maxOutputBytes: this.#logBytes,
        ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      });
    } catch (error) {
      this.#releasePort(name);
      throw error;
    }
    let settle = () => {};
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const run: Run = {
      name,
      command,
      options,
      proc,
      state: port === undefined ? 'running' : 'starting',
      port,
      startedAt: Date.now(),
      readyAt: port === undefined ? Date.now() : undefined,
      exitedAt: undefined,
      exitCode: undefined,
      stopping: false,
      notesBefore: [`[aura] $ ${command}${port === undefined ? '' : `   (PORT=${port})`}`],
      notesAfter: [],
      exited: proc.exited.then(noop, noop),
      settled,
      settle,
      watch: new AbortController(),
    };
    if (port === undefined) settle();
    this.#runs.set(name, run);
    void run.exited.then(() => this.#onExit(run));
    if (port !== undefined) void this.#watchReady(run, port);
    return statusOf(run);
  }

  async #stop(name: string): Promise<ProcessStatus | undefined> {
    const run = this.#runs.get(name);
    if (!run) return undefined;
    if (run.exitedAt === undefined) {
      run.stopping = true;
      run.watch.abort();
      await run.proc.stop();
      await run.exited;
      await Promise.resolve();
    }
    return statusOf(run);
  }

  async #portFor(name: string, wanted: ProcessStartOptions['port']): Promise<number | undefined> {
    const held = this.#heldPorts.get(name);
    if (wanted === undefined) {
      this.#releasePort(name);
      return undefined;
    }
    if (typeof wanted === 'number') {
      if (held !== undefined && held !== wanted) this.#releasePort(name);
      return wanted;
    }
    const port = held !== undefined ? await this.#ports.reuse(held) : await this.#ports.allocate();
    this.#heldPorts.set(name, port);
    return port;
  }

  #releasePort(name: string): void {
    const held = this.#heldPorts.get(name);
    if (held === undefined) return;
    this.#ports.release(held);
    this.#heldPorts.delete(name);
  }

  async #watchReady(run: Run, port: number): Promise<void> {
    try {
      const target = (await this.#sandbox.endpoint?.(port)) ?? port;
      await pollHttp(target, {
        timeoutMs: READY_WATCH_MS,
        path: run.options.readyPath ?? '/',
        signal: run.watch.signal,
      });
    } catch (error) {
      if (!run.watch.signal.aborted && run.exitedAt === undefined) {
        const why = error instanceof Error && /sandbox/.test(error.message) ? ` (${error.message})` : '';
        run.notesAfter.push(
          `[aura] nothing answered on port ${port}${why}; is the server listening on $PORT?`,
        );
      }
      return;
    }
    if (run.exitedAt !== undefined || this.#runs.get(run.name) !== run) return;
    run.state = 'running';
    run.readyAt = Date.now();
    run.settle();
    this.#onChange?.(statusOf(run));
  }

  #onExit(run: Run): void {
    run.exitCode = run.proc.exitCode ?? null;
    run.exitedAt = Date.now();
    run.watch.abort();
    const requested = run.stopping;
    run.state = requested || run.exitCode === 0 ? 'exited' : 'crashed';
    const how = run.exitCode === null ? 'by a signal' : `with code ${run.exitCode}`;
    run.notesAfter.push(
      requested ? '[aura] stopped' : `[aura] ${run.state === 'crashed' ? 'crashed' : 'exited'} ${how}`,
    );
    run.settle();
    this.#onChange?.(statusOf(run));
  }
}

function statusOf(run: Run): ProcessStatus {
  return {
    name: run.name,
    command: run.command,
    state: run.state,
    pid: run.proc.pid,
    port: run.port,
    exitCode: run.exitCode,
    startedAt: run.startedAt,
    readyAt: run.readyAt,
    exitedAt: run.exitedAt,
  };
}

/** The last `count` lines of `text`. */
export function tailLines(text: string, count: number): string {
  if (count <= 0) return '';
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-count).join('\n');
}

function noop(): void {}
