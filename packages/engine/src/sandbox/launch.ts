/**
 * How a driver turns "run this command" into a process. Every driver that runs processes on this host
 * (local, bubblewrap) produces the same launch spec, so exec, background processes and terminals share
 * one code path: the local driver's spec is the shell itself, bubblewrap's wraps the shell in `bwrap`.
 */
export interface LaunchSpec {
  file: string;
  args: string[];
  env: Record<string, string>;
  /** Host directory the launched program starts in. */
  cwd: string;
  /** Run as this uid/gid, supplementary groups dropped (node does it). Not for terminals. */
  uid?: number;
  gid?: number;
}

export interface LaunchRequest {
  /** `undefined`: an interactive shell (terminals). */
  command: string | undefined;
  /** Host path inside the workspace, already checked to be inside it. */
  cwd: string;
  /** The command's environment, already scrubbed and merged (see env.ts). */
  env: Record<string, string>;
  /** What the process is for: drivers apply some limits only to one-shot commands. */
  purpose: 'exec' | 'background' | 'terminal';
}

export interface Launcher {
  readonly kind: string;
  /** Real path of the workspace root on the host. */
  readonly workspace: string;
  /**
   * Runs before every launch: lazy set-up, ownership fixes. Returns a promise only when there is
   * something to wait for; rejects (or throws) to refuse the launch.
   */
  prepare?(): Promise<void> | undefined;
  spec(request: LaunchRequest): LaunchSpec;
  /** The program the launcher runs, for error messages ("Could not start …"). */
  program(): string;
  /**
   * The environment for a command started in host directory `cwd`: the scrubbed host allowlist, the
   * driver's own variables, then `explicit` layers in order (later wins), then PWD.
   */
  environment(cwd: string, explicit: (Record<string, string> | undefined)[]): Record<string, string>;
  /** Runs after every process of the sandbox has been stopped. */
  dispose?(): Promise<void>;
}
