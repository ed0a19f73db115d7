import { realpathSync } from 'node:fs';
import path from 'node:path';
import { type BwrapLimits, createBwrapSandbox, unavailableMessage } from './bwrap.ts';
import type { ExtraBind } from './bwrap-args.ts';
import { probeBwrap } from './bwrap-host.ts';
import { createLocalSandbox } from './local.ts';
import { privateNetworkSupport } from './netns.ts';
import type { RunnerOptions } from './runner.ts';
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

export type SandboxDriver = 'bwrap' | 'docker' | 'local';

export interface CreateSandboxOptions extends RunnerOptions {
  workspace: string;
  /** Default 'bwrap'. 'local' runs commands unisolated, as the server user. */
  driver?: SandboxDriver;
  /** Network access (default true); false leaves commands with loopback only. */
  network?: boolean;
  /** Applied by bwrap and docker (each documents which it enforces and how). */
  limits?: BwrapLimits;
  /** bwrap only: more host directories to mount. */
  binds?: ExtraBind[];
  /** bwrap only: where bwrap is (default: PATH). */
  bwrapPath?: string;
  /**
   * When bwrap cannot run on this host, fall back to the unisolated local driver instead of
   * refusing every command. For operators who accept that (AURA_SANDBOX=unisolated).
   */
  allowUnisolated?: boolean;
}

/** `AURA_SANDBOX` → driver: bwrap (default), docker, or unisolated (local). */
export function sandboxDriverFromEnv(value: string | undefined): { driver: SandboxDriver } {
  const normalized = (value ?? '').trim().toLowerCase();
  if (normalized === '' || normalized === 'bwrap' || normalized === 'bubblewrap') return { driver: 'bwrap' };
  if (normalized === 'docker') return { driver: 'docker' };
  if (normalized === 'unisolated' || normalized === 'local' || normalized === 'none')
    return { driver: 'local' };
  throw new Error(`AURA_SANDBOX must be bwrap, docker or unisolated, got "${value}".`);
}

/** Whether each sandbox gets a network namespace of its own; else why it shares the host's. */
export type NetworkScope = { private: true } | { private: false; reason: string };

export interface SandboxAvailability {
  /** The default driver can isolate commands on this host. */
  bwrap:
    | {
        available: true;
        user: { uid: number; gid: number; name: string };
        network: NetworkScope;
      }
    | { available: false; reason: string; message: string };
}

/** Whether bubblewrap can isolate commands here (probed once per process), for health and diagnostics. */
export async function sandboxAvailability(
  options: { bwrapPath?: string; user?: string } = {},
): Promise<SandboxAvailability> {
  const probe = await probeBwrap(options);
  if (!probe.ok)
    return { bwrap: { available: false, reason: probe.reason, message: unavailableMessage(probe.reason) } };
  const { uid, gid, name, dropsPrivileges } = probe.host.user;
  const support = privateNetworkSupport(dropsPrivileges, probe.host.setpriv);
  const network: NetworkScope =
    'tools' in support ? { private: true } : { private: false, reason: support.reason };
  return { bwrap: { available: true, user: { uid, gid, name }, network } };
}

/**
 * A sandbox for a workspace with the chosen driver. bwrap refuses every command (with the reason and
 * what to do) when it cannot run here, unless `allowUnisolated` lets it fall back to the local driver.
 */
export function createSandbox(options: CreateSandboxOptions): Sandbox {
  const driver = options.driver ?? 'bwrap';
  if (driver === 'local') return createLocalSandbox(options);
  const workspace = realpathSync(path.resolve(options.workspace));
  if (driver === 'docker') {
    // Loaded on demand: dockerode is only needed by hosts that use it. Limits pass through as
    // given: an absent field must stay absent so the driver's defaults apply.
    const docker = import('./docker.ts').then(({ createDockerSandbox }) => createDockerSandbox(options));
    return new DeferredSandbox('docker', workspace, docker);
  }
  if (!options.allowUnisolated) return createBwrapSandbox(options);
  return new DeferredSandbox(
    'bwrap',
    workspace,
    probeBwrap({ bwrapPath: options.bwrapPath }).then((probe) =>
      probe.ok ? createBwrapSandbox(options) : createLocalSandbox(options),
    ),
  );
}

/** A sandbox whose driver is chosen once the host has been probed. */
class DeferredSandbox implements Sandbox {
  readonly workspace: string;
  readonly #kind: string;
  readonly #ready: Promise<Sandbox>;
  #resolved: Sandbox | undefined;

  constructor(kind: string, workspace: string, ready: Promise<Sandbox>) {
    this.#kind = kind;
    this.workspace = workspace;
    this.#ready = ready;
    ready.then(
      (sandbox) => {
        this.#resolved = sandbox;
      },
      () => {},
    );
  }

  get kind(): string {
    return this.#resolved?.kind ?? this.#kind;
  }

  async exec(command: string, opts?: ExecOptions): Promise<ExecResult> {
    return (await this.#ready).exec(command, opts);
  }

  async spawnBackground(
    command: string,
    opts?: Omit<ExecOptions, 'timeoutMs' | 'stdin'>,
  ): Promise<BackgroundProcess> {
    return (await this.#ready).spawnBackground(command, opts);
  }

  listBackground(): BackgroundProcess[] {
    return this.#resolved?.listBackground() ?? [];
  }

  async openPty(opts: PtyOptions): Promise<PtyProcess> {
    return (await this.#ready).openPty(opts);
  }

  async describe(): Promise<SandboxDescription> {
    const sandbox = await this.#ready;
    if (sandbox.describe) return sandbox.describe();
    return {
      kind: sandbox.kind,
      isolated: false,
      network: true,
      workspacePath: this.workspace,
      limits: [],
      notes: [],
    };
  }

  async chownToSandbox(target: string): Promise<void> {
    await (await this.#ready).chownToSandbox?.(target);
  }

  async endpoint(port: number): Promise<Endpoint> {
    const sandbox = await this.#ready;
    return sandbox.endpoint ? sandbox.endpoint(port) : { host: '127.0.0.1', port };
  }

  async dispose(): Promise<void> {
    await (await this.#ready).dispose();
  }
}
