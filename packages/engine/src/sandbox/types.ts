/** How tools, terminals and dev servers run commands. Drivers: bubblewrap (default), docker, local. */
export interface ExecOptions {
  /** Working directory relative to the workspace root (default: the root). */
  cwd?: string;
  timeoutMs?: number;
  /** Cap on captured stdout+stderr bytes; the rest is dropped with a note. */
  maxOutputBytes?: number;
  signal?: AbortSignal;
  env?: Record<string, string>;
  stdin?: string;
}

export interface ExecResult {
  exitCode: number | null;
  /** Set when the process was killed: by timeout, abort or a signal. */
  signal: string | null;
  timedOut: boolean;
  /** Set when the process was killed because `signal` (ExecOptions) was aborted. */
  aborted?: boolean;
  stdout: string;
  stderr: string;
  truncated: boolean;
  durationMs: number;
}

export interface BackgroundProcess {
  id: string;
  command: string;
  pid: number | undefined;
  /** Output captured so far (bounded ring buffer). */
  output(): string;
  readonly exitCode: number | null | undefined;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  stop(): Promise<void>;
}

/** An interactive terminal inside the sandbox. */
export interface PtyProcess {
  readonly pid: number | undefined;
  onData(listener: (data: string) => void): void;
  onExit(listener: (exitCode: number | null) => void): void;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  kill(): void;
}

export interface PtyOptions {
  cols: number;
  rows: number;
  /** Default: an interactive login shell. */
  command?: string;
  cwd?: string;
  env?: Record<string, string>;
}

/** One limit a sandbox enforces, and how. */
export interface SandboxLimit {
  name: 'processes' | 'memory' | 'open-files' | 'cpu-time' | 'cpus' | 'timeout' | 'output';
  value: number;
  unit: 'count' | 'bytes' | 'seconds' | 'ms' | 'cpus';
  /** The mechanism: `cgroup v1 pids`, `rlimit NPROC`, `wall clock`, … */
  mechanism: string;
  /** Who shares the limit: the whole sandbox, each process, every sandbox of the sandbox uid, each command. */
  scope: 'sandbox' | 'process' | 'uid' | 'command';
}

/** Where the server reaches a port a sandboxed process listens on: loopback TCP, or a UNIX socket. */
export type Endpoint = { host: string; port: number } | { socketPath: string };

/** What a sandbox isolates, for health checks, diagnostics and docs. */
export interface SandboxDescription {
  kind: string;
  isolated: boolean;
  network: boolean;
  /** With the network on: `private` (a namespace of its own, NAT to the internet) or `host` (shared). */
  networkScope?: 'private' | 'host';
  /** The uid/gid commands run as on the host. */
  user?: { uid: number; gid: number; name: string };
  /** Where the workspace appears to commands. */
  workspacePath: string;
  limits: SandboxLimit[];
  /** Why something is off, or missing on this host. */
  notes: string[];
}

export interface Sandbox {
  /** `bwrap`, `docker` or `local` (unisolated). */
  readonly kind: string;
  /** Absolute workspace root on the host. */
  readonly workspace: string;
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  spawnBackground(
    command: string,
    opts?: Omit<ExecOptions, 'timeoutMs' | 'stdin'>,
  ): Promise<BackgroundProcess>;
  listBackground(): BackgroundProcess[];
  openPty(opts: PtyOptions): Promise<PtyProcess>;
  /** What this sandbox isolates and which limits are active. */
  describe?(): Promise<SandboxDescription>;
  /**
   * Hands a path the server wrote inside the workspace (and everything under it) to the sandbox user,
   * so commands can edit it. A no-op for drivers whose commands run as the server's own user.
   */
  chownToSandbox?(path: string): Promise<void>;
  /**
   * How the server reaches `port` (127.0.0.1 inside the sandbox). Absent: the sandbox shares the
   * host's loopback, so 127.0.0.1:`port` on the host.
   */
  endpoint?(port: number): Promise<Endpoint>;
  /** Kills every process the sandbox started. */
  dispose(): Promise<void>;
}
