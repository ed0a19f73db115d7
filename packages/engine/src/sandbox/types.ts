/** How tools run commands. Drivers: local (this issue), bubblewrap and docker (later). */
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
  stop(): Promise<void>;
}

export interface Sandbox {
  readonly kind: string;
  /** Absolute workspace root on the host. */
  readonly workspace: string;
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  spawnBackground(
    command: string,
    opts?: Omit<ExecOptions, 'timeoutMs' | 'stdin'>,
  ): Promise<BackgroundProcess>;
  listBackground(): BackgroundProcess[];
  /** Kills every process the sandbox started. */
  dispose(): Promise<void>;
}
