import { createRequire } from 'node:module';
import type { IPty } from '@lydell/node-pty';
import type { LaunchSpec } from './launch.ts';
import { terminateSession } from './process-group.ts';
import type { PtyProcess } from './types.ts';

type NodePty = typeof import('@lydell/node-pty');

// Loaded on first use: the native addon costs start-up time for runs that never open a terminal.
let nodePty: NodePty | undefined;
function loadNodePty(): NodePty {
  nodePty ??= createRequire(import.meta.url)('@lydell/node-pty') as NodePty;
  return nodePty;
}

/** A terminal on a launch spec. `kill()` stops every process of the terminal's session. */
export class PtyHandle implements PtyProcess {
  readonly #pty: IPty;
  readonly #graceMs: number;
  readonly #exited: Promise<void>;
  #exitCode: number | null | undefined;
  #killing: Promise<void> | undefined;

  constructor(spec: LaunchSpec, cols: number, rows: number, graceMs: number) {
    this.#graceMs = graceMs;
    // node-pty would keep root's supplementary groups: launchers drop privileges in the child.
    if (spec.uid !== undefined || spec.gid !== undefined)
      throw new Error('A terminal launch spec must not ask for a uid change.');
    this.#pty = loadNodePty().spawn(spec.file, spec.args, {
      name: spec.env.TERM ?? 'xterm-256color',
      cols,
      rows,
      cwd: spec.cwd,
      env: spec.env,
    });
    this.#exited = new Promise((resolve) => {
      this.#pty.onExit(({ exitCode, signal }) => {
        this.#exitCode = signal ? null : exitCode;
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.#pty.pid;
  }

  /** Resolves when the terminal's process has exited. */
  get exited(): Promise<void> {
    return this.#exited;
  }

  onData(listener: (data: string) => void): void {
    this.#pty.onData(listener);
  }

  onExit(listener: (exitCode: number | null) => void): void {
    if (this.#exitCode !== undefined) {
      listener(this.#exitCode);
      return;
    }
    void this.#exited.then(() => listener(this.#exitCode ?? null));
  }

  write(data: string): void {
    if (this.#exitCode === undefined) this.#pty.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.#exitCode !== undefined) return;
    this.#pty.resize(Math.max(1, Math.floor(cols)), Math.max(1, Math.floor(rows)));
  }

  kill(): void {
    void this.stop();
  }

  /** Hangs up the session, kills what is left after the grace period, and waits for the exit. */
  stop(): Promise<void> {
    this.#killing ??= (async () => {
      // Also after the shell exited: jobs it left behind keep its session id.
      await terminateSession(this.#pty.pid, this.#graceMs);
      await this.#exited;
    })();
    return this.#killing;
  }
}
