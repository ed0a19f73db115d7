import { createSandbox, type Sandbox, type SandboxDriver } from '@aura/engine';
import type { Logger } from './logger.ts';

export interface SandboxPoolOptions {
  driver: SandboxDriver;
  logger: Logger;
  /** A sandbox unused this long (and not busy) is stopped with its dev server; 0 keeps them all. */
  idleMs: number;
  /** Workspaces whose project has the network switched off. */
  networkOff?: Iterable<string>;
}

type ReleaseHook = (workspace: string) => Promise<void>;
type BusyCheck = (workspace: string) => boolean;

interface Entry {
  sandbox: Sandbox;
  lastUsed: number;
}

/** How often idle sandboxes are looked for: a tenth of the idle time, between 5 s and 1 min. */
function sweepInterval(idleMs: number): number {
  return Math.min(60_000, Math.max(5_000, Math.floor(idleMs / 10)));
}

/**
 * The server's sandboxes, one per project workspace, created on first use. A project's network
 * switch decides how its sandbox is made; changing it, deleting the project or leaving the sandbox
 * idle releases it: the release hooks stop what runs in it (dev server, terminals), then every
 * process it started is killed. The next use makes a fresh one.
 */
export class SandboxPool {
  readonly #options: SandboxPoolOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #networkOff: Set<string>;
  readonly #releaseHooks: ReleaseHook[] = [];
  readonly #busyChecks: BusyCheck[] = [];
  readonly #releasing = new Map<string, Promise<void>>();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: SandboxPoolOptions) {
    this.#options = options;
    this.#networkOff = new Set(options.networkOff);
    if (options.idleMs > 0) {
      this.#timer = setInterval(() => void this.reapIdle(), sweepInterval(options.idleMs));
      this.#timer.unref();
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The workspace's sandbox, made on first use. */
  sandboxFor(session: { directory: string }): Sandbox {
    const workspace = session.directory;
    let entry = this.#entries.get(workspace);
    if (!entry) {
      const sandbox = createSandbox({
        workspace,
        driver: this.#options.driver,
        network: !this.#networkOff.has(workspace),
      });
      entry = { sandbox, lastUsed: Date.now() };
      this.#entries.set(workspace, entry);
    }
    entry.lastUsed = Date.now();
    return entry.sandbox;
  }

  /** Counts as use: keeps the workspace's sandbox from being reaped (preview traffic, runs). */
  touch(workspace: string): void {
    const entry = this.#entries.get(workspace);
    if (entry) entry.lastUsed = Date.now();
  }

  has(workspace: string): boolean {
    return this.#entries.has(workspace);
  }

  networkOn(workspace: string): boolean {
    return !this.#networkOff.has(workspace);
  }

  /** Called before a sandbox is disposed, to stop what the server runs in it. */
  onRelease(hook: ReleaseHook): void {
    this.#releaseHooks.push(hook);
  }

  /** A workspace for which any check answers true is never reaped (a run, an open terminal). */
  busyWhen(check: BusyCheck): void {
    this.#busyChecks.push(check);
  }

  /** Switches the network; a sandbox made with the other setting is released. */
  async setNetwork(workspace: string, on: boolean): Promise<void> {
    if (on === this.networkOn(workspace)) return;
    if (on) this.#networkOff.delete(workspace);
    else this.#networkOff.add(workspace);
    await this.release(workspace);
  }

  /** Stops everything in the workspace's sandbox and disposes of it (project deleted, settings changed). */
  release(workspace: string): Promise<void> {
    const pending = this.#releasing.get(workspace);
    if (pending) return pending;
    const entry = this.#entries.get(workspace);
    // Callers from now on get a fresh sandbox; this one is stopped in the background of theirs.
    this.#entries.delete(workspace);
    const releasing = (async () => {
      try {
        for (const hook of this.#releaseHooks) {
          await hook(workspace).catch((error: unknown) =>
            this.#options.logger.warn({ err: error, workspace }, 'stopping work in a sandbox failed'),
          );
        }
        await entry?.sandbox.dispose();
      } finally {
        this.#releasing.delete(workspace);
      }
    })();
    this.#releasing.set(workspace, releasing);
    return releasing;
  }

  /** Forgets a deleted project's setting. */
  forget(workspace: string): void {
    this.#networkOff.delete(workspace);
  }

  /** Releases every sandbox unused for the idle time and not busy; returns their workspaces. */
  async reapIdle(now = Date.now()): Promise<string[]> {
    const idle = [...this.#entries]
      .filter(([workspace, entry]) => now - entry.lastUsed >= this.#options.idleMs && !this.#busy(workspace))
      .map(([workspace]) => workspace);
    for (const workspace of idle) {
      this.#options.logger.info({ workspace }, 'stopping an idle sandbox');
      await this.release(workspace);
    }
    return idle;
  }

  #busy(workspace: string): boolean {
    return this.#busyChecks.some((check) => check(workspace));
  }

  /** Server shutdown: the services have stopped their work; kill whatever is left. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.allSettled([...this.#entries.values()].map((entry) => entry.sandbox.dispose()));
    this.#entries.clear();
  }
}
