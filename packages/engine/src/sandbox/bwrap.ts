import { existsSync, lstatSync, readdirSync, realpathSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  bwrapArgs,
  type ExtraBind,
  INSIDE,
  identityFiles,
  insidePath,
  LAUNCH_SCRIPT,
  type Rlimits,
  ulimitArgs,
} from './bwrap-args.ts';
import { type BwrapHost, dropPrivileges, probeBwrap } from './bwrap-host.ts';
import { createSandboxCgroup, type SandboxCgroup } from './cgroup.ts';
import { buildCommandEnv } from './env.ts';
import type { Launcher, LaunchRequest, LaunchSpec } from './launch.ts';
import { type NetnsTools, privateNetworkSupport, SandboxNetwork } from './netns.ts';
import { adoptTree, OwnershipTracker } from './ownership.ts';
import { processAlive } from './process-group.ts';
import {
  DEFAULT_EXEC_TIMEOUT_MS,
  DEFAULT_MAX_OUTPUT_BYTES,
  ProcessSandbox,
  type RunnerOptions,
} from './runner.ts';
import { mountsUnder, reachableBy, StagedMounts, unmountAll } from './staging.ts';
import type { Endpoint, Sandbox, SandboxDescription, SandboxLimit } from './types.ts';

export interface BwrapLimits {
  /** Processes (and threads) of the whole sandbox: cgroup pids; without it, rlimit NPROC per uid. */
  pids?: number;
  /** Memory of the whole sandbox: cgroup memory; without it, rlimit DATA per process. */
  memoryBytes?: number;
  /** Open files per process (rlimit NOFILE). */
  openFiles?: number;
  /** CPU seconds per process of a one-shot command (rlimit CPU); background processes and terminals are exempt. */
  cpuSeconds?: number;
  /** CPU share of the whole sandbox in cores (cgroup cpu quota); unlimited when absent. */
  cpus?: number;
}

export const DEFAULT_BWRAP_LIMITS: Readonly<Required<Omit<BwrapLimits, 'cpus'>>> = {
  pids: 512,
  memoryBytes: 2 * 1024 ** 3,
  openFiles: 8192,
  cpuSeconds: 3600,
};

/** With per-sandbox pids cgroups, rlimit NPROC is only a ceiling for all sandboxes of the uid together. */
const UID_PROCESS_CEILING = 8192;

export interface BwrapSandboxOptions extends RunnerOptions {
  /** Workspace root on the host, bound read-write at /workspace. */
  workspace: string;
  /**
   * Network access, default true: a namespace of its own with NAT to the internet (pasta), or the
   * host's namespace where that cannot be had (see describe()). `false`: loopback only.
   */
  network?: boolean;
  limits?: BwrapLimits;
  /** More host directories to mount (e.g. a shared package cache, read-only). */
  binds?: ExtraBind[];
  /** The Node binary whose installation becomes `node` inside (default: the server's own). */
  node?: string;
  /** Where per-sandbox HOME and /tmp live on the host (default: /tmp/aura-sandboxes-<server uid>). */
  stateRoot?: string;
  /** Sandbox user when the server is root (default `aura-sandbox`). */
  user?: string;
  /** Path to bwrap (default: found on PATH). */
  bwrapPath?: string;
}

export class SandboxUnavailableError extends Error {
  constructor(reason: string) {
    super(unavailableMessage(reason));
    this.name = 'SandboxUnavailableError';
  }
}

export function unavailableMessage(reason: string): string {
  if (/not installed/.test(reason))
    return 'Commands are disabled: bubblewrap is not available on this host. Install it (apt-get install bubblewrap) or start the server with AURA_SANDBOX=unisolated to run commands without isolation.';
  return `Commands are disabled: bubblewrap cannot create a sandbox on this host (${reason}). Enable unprivileged user namespaces (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone) or start the server with AURA_SANDBOX=unisolated to run commands without isolation.`;
}

/** Host variables that describe the server's account, replaced by the sandbox's own. */
const HOST_SPECIFIC_ENV = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TMPDIR',
  'TMP',
  'TEMP',
  'PWD',
]);
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const STATE_PREFIX = 'sb-';
const MOUNTS_PREFIX = 'mnt-';

function defaultStateRoot(dropsPrivileges: boolean): string {
  const uid = process.getuid?.() ?? 0;
  // The sandbox user must be able to reach it; a root TMPDIR under /root would not do.
  return path.join(dropsPrivileges ? '/tmp' : tmpdir(), `aura-sandboxes-${uid}`);
}

/** `sb-<pid>-…` / `mnt-<pid>-…` of a server process that is gone. */
function isStale(name: string, prefix: string): boolean {
  if (!name.startsWith(prefix)) return false;
  const owner = Number(name.slice(prefix.length).split('-')[0]);
  return Number.isInteger(owner) && owner !== process.pid && !processAlive(owner);
}

/**
 * Creates the state root, refusing one that someone else planted (a symlink, a foreign owner), and
 * clears what crashed servers left: staged mounts are unmounted before anything is removed.
 */
async function ensureStateRoot(root: string): Promise<void> {
  await mkdir(root, { recursive: true, mode: 0o711 });
  const stats = lstatSync(root);
  if (!stats.isDirectory() || stats.uid !== (process.getuid?.() ?? stats.uid))
    throw new Error(`The sandbox state directory ${root} is not a directory owned by the server user.`);
  await chmod(root, 0o711);
  for (const name of readdirSync(root)) {
    const dir = path.join(root, name);
    if (isStale(name, MOUNTS_PREFIX)) {
      await unmountAll(mountsUnder(dir));
      for (const point of readdirSync(dir)) await rmdir(path.join(dir, point)).catch(() => {});
      await rmdir(dir).catch(() => {});
    } else if (isStale(name, STATE_PREFIX) && mountsUnder(dir).length === 0) {
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    }
  }
}

/** The installation prefix of a Node binary (…/bin/node → …), unless it is already under /usr. */
function nodePrefix(nodeBinary: string): string | undefined {
  const real = realpathSync(nodeBinary);
  if (real.startsWith('/usr/')) return undefined;
  return path.dirname(path.dirname(real));
}

interface Ready {
  host: BwrapHost;
  stateDir: string;
  /** Host paths bwrap binds: the originals, or where they are staged. */
  sources: { workspace: string; node: string | undefined; binds: ExtraBind[] };
  staged: StagedMounts | undefined;
  cgroup: SandboxCgroup;
  tracker: OwnershipTracker | undefined;
  /** The sandbox's own network namespace; undefined when the network is off or shared with the host. */
  network: SandboxNetwork | undefined;
  /** Why the network is shared with the host, when it is on and not private. */
  sharedNetworkReason: string | undefined;
  netnsTools: NetnsTools | undefined;
}

class BwrapLauncher implements Launcher {
  readonly kind = 'bwrap';
  readonly workspace: string;
  readonly #options: BwrapSandboxOptions;
  readonly #limits: Required<Omit<BwrapLimits, 'cpus'>> & { cpus?: number };
  readonly #network: boolean;
  readonly #nodePrefix: string | undefined;
  readonly #baseEnv: Record<string, string>;
  #initializing: Promise<void> | undefined;
  #restarting: Promise<void> | undefined;
  #ready: Ready | undefined;
  #disposed = false;

  constructor(workspace: string, options: BwrapSandboxOptions) {
    this.workspace = workspace;
    this.#options = options;
    this.#limits = { ...DEFAULT_BWRAP_LIMITS, ...options.limits };
    this.#network = options.network ?? true;
    this.#nodePrefix = nodePrefix(options.node ?? process.execPath);
    for (const bind of options.binds ?? []) {
      if (!path.isAbsolute(bind.source) || !path.isAbsolute(bind.target))
        throw new Error(`Bind paths must be absolute: ${bind.source} → ${bind.target}`);
    }
    const binDirs = [
      ...(this.#nodePrefix ? [`${INSIDE.node}/bin`] : []),
      '/usr/local/bin',
      '/usr/bin',
      '/bin',
      '/usr/local/sbin',
      '/usr/sbin',
      '/sbin',
    ];
    this.#baseEnv = {
      HOME: INSIDE.home,
      USER: INSIDE.user,
      LOGNAME: INSIDE.user,
      SHELL: '/bin/bash',
      TMPDIR: INSIDE.tmp,
      PATH: binDirs.join(':'),
      // Node ignores the system trust store; operators add their CAs there (corporate proxies).
      ...(existsSync(SYSTEM_CA_BUNDLE) ? { NODE_EXTRA_CA_CERTS: SYSTEM_CA_BUNDLE } : {}),
    };
    if (!process.env.LANG) this.#baseEnv.LANG = 'C.UTF-8';
  }

  program(): string {
    return 'bwrap';
  }

  prepare(): Promise<void> | undefined {
    const ready = this.#ready;
    if (!ready) {
      this.#initializing ??= this.#init();
      return this.#initializing;
    }
    const waits: Promise<unknown>[] = [];
    const sweeping = ready.tracker?.sweep();
    if (sweeping) waits.push(sweeping);
    if (ready.network && !ready.network.alive) waits.push(this.#restartNetwork(ready));
    return waits.length > 0 ? Promise.all(waits).then(() => {}) : undefined;
  }

  /** pasta died (killed, crashed): later commands get a fresh namespace. */
  #restartNetwork(ready: Ready): Promise<void> {
    this.#restarting ??= (async () => {
      try {
        ready.network?.dispose();
        if (ready.netnsTools)
          ready.network = await SandboxNetwork.start(ready.netnsTools, ready.host.user, ready.stateDir);
      } finally {
        this.#restarting = undefined;
      }
    })();
    return this.#restarting;
  }

  /** Resolves once set up; rejects with the reason when bwrap cannot run here. */
  async ready(): Promise<Ready> {
    await (this.#ready ? undefined : this.prepare());
    if (!this.#ready) throw new Error('The sandbox is not ready.');
    return this.#ready;
  }

  async #init(): Promise<void> {
    const probe = await probeBwrap({ bwrapPath: this.#options.bwrapPath, user: this.#options.user });
    if (!probe.ok) throw new SandboxUnavailableError(probe.reason);
    const { host } = probe;
    const { uid, gid, dropsPrivileges } = host.user;

    const stateRoot = this.#options.stateRoot ?? defaultStateRoot(dropsPrivileges);
    await ensureStateRoot(stateRoot);
    const stateDir = await mkdtemp(path.join(stateRoot, `${STATE_PREFIX}${process.pid}-`));
    const files = identityFiles(uid, gid);
    await Promise.all([
      mkdir(path.join(stateDir, 'home'), { mode: 0o700 }),
      mkdir(path.join(stateDir, 'tmp'), { mode: 0o700 }),
      writeFile(path.join(stateDir, 'passwd'), files.passwd, { mode: 0o644 }),
      writeFile(path.join(stateDir, 'group'), files.group, { mode: 0o644 }),
    ]);
    if (dropsPrivileges) {
      for (const dir of [stateDir, path.join(stateDir, 'home'), path.join(stateDir, 'tmp')])
        await chown(dir, uid, gid);
    }

    // Sources the sandbox user cannot reach (a data dir under /root) are staged where it can.
    let staged: StagedMounts | undefined;
    let sources: Ready['sources'];
    let cgroup: SandboxCgroup;
    try {
      if (dropsPrivileges) {
        const mountsDir = await mkdtemp(path.join(stateRoot, `${MOUNTS_PREFIX}${process.pid}-`));
        staged = await StagedMounts.create(mountsDir, { uid, gid });
      }
      const reach = async (name: string, source: string) =>
        staged && !reachableBy(source, { uid, gid }) ? staged.stage(name, source) : source;
      sources = {
        workspace: await reach('workspace', this.workspace),
        node: this.#nodePrefix ? await reach('node', this.#nodePrefix) : undefined,
        binds: [],
      };
      for (const [index, bind] of (this.#options.binds ?? []).entries())
        sources.binds.push({ ...bind, source: await reach(`bind-${index}`, bind.source) });
      cgroup = await createSandboxCgroup(
        { pids: this.#limits.pids, memoryBytes: this.#limits.memoryBytes, cpus: this.#limits.cpus },
        dropsPrivileges ? { uid, gid } : undefined,
      );
    } catch (error) {
      await staged?.release();
      await rm(stateDir, { recursive: true, force: true }).catch(() => {});
      throw error;
    }
    const tracker = dropsPrivileges ? new OwnershipTracker(this.workspace, { uid, gid }) : undefined;
    await tracker?.sweep();
    let network: SandboxNetwork | undefined;
    let sharedNetworkReason: string | undefined;
    let netnsTools: NetnsTools | undefined;
    if (this.#network) {
      const support = privateNetworkSupport(dropsPrivileges, host.setpriv);
      if ('reason' in support) sharedNetworkReason = support.reason;
      else {
        netnsTools = support.tools;
        try {
          network = await SandboxNetwork.start(support.tools, { uid, gid }, stateDir);
        } catch (error) {
          await cgroup.remove();
          await staged?.release();
          await rm(stateDir, { recursive: true, force: true }).catch(() => {});
          throw error;
        }
      }
    }
    const ready: Ready = {
      host,
      stateDir,
      sources,
      staged,
      cgroup,
      tracker,
      network,
      sharedNetworkReason,
      netnsTools,
    };
    if (this.#disposed) {
      await this.#cleanUp(ready);
      throw new Error('The sandbox has been disposed; no more commands can run in it.');
    }
    this.#ready = ready;
  }

  environment(cwd: string, explicit: (Record<string, string> | undefined)[]): Record<string, string> {
    const host: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (!HOST_SPECIFIC_ENV.has(name)) host[name] = value;
    }
    return buildCommandEnv(host, this.#baseEnv, ...explicit, { PWD: insidePath(this.workspace, cwd) });
  }

  /** rlimit NPROC: the per-sandbox cap without a pids cgroup, else only a ceiling for the uid. */
  #nproc(ready: Ready): number {
    return ready.cgroup.active.pids ? Math.max(UID_PROCESS_CEILING, this.#limits.pids) : this.#limits.pids;
  }

  /** Rlimits for a launch, capped at the server's hard limits (commands set them after dropping root). */
  #rlimits(ready: Ready, purpose: LaunchRequest['purpose']): Rlimits {
    const hard = ready.host.hardLimits;
    const cap = (wanted: number, max: number | undefined) =>
      max === undefined ? wanted : Math.min(wanted, max);
    return {
      processes: cap(this.#nproc(ready), hard.processes),
      openFiles: cap(this.#limits.openFiles, hard.openFiles),
      // The memory cgroup bounds the sandbox as a whole; rlimit DATA is the per-process fallback
      // (not AS: V8 and WebAssembly reserve far more address space than they use).
      dataBytes: ready.cgroup.active.memoryBytes ? undefined : cap(this.#limits.memoryBytes, hard.dataBytes),
      cpuSeconds:
        purpose === 'exec' && this.#limits.cpuSeconds > 0
          ? cap(this.#limits.cpuSeconds, hard.cpuSeconds)
          : undefined,
    };
  }

  spec({ command, cwd, env, purpose }: LaunchRequest): LaunchSpec {
    const ready = this.#ready;
    if (!ready) throw new Error('The sandbox is not ready.');
    const { host } = ready;
    const terminal = purpose === 'terminal';
    const args = bwrapArgs({
      layout: host.layout,
      workspaceSource: ready.sources.workspace,
      network: this.#network,
      pty: terminal,
      nodeSource: ready.sources.node,
      stateDir: ready.stateDir,
      extraBinds: ready.sources.binds,
      cwd: insidePath(this.workspace, cwd),
    });
    const limits = ulimitArgs(host.shell, this.#rlimits(ready, purpose));
    const stage = (drop: string[], shell: string[]) => [
      '-c',
      LAUNCH_SCRIPT,
      'aura-sandbox',
      ...ready.cgroup.procsFiles,
      '--',
      ...limits,
      '--',
      ...drop,
      host.bwrap,
      ...args,
      '--',
      '/bin/bash',
      ...shell,
    ];
    if (terminal) {
      // node-pty would keep root's supplementary groups: the launch shell runs as the server and
      // drops to the sandbox user with setpriv. An interactive (not login) shell: a login shell's
      // /etc/profile would reset PATH.
      const drop = [...(ready.network?.enter() ?? []), ...dropPrivileges(host)];
      return { file: host.shell, args: stage(drop, ['-i']), env, cwd: '/' };
    }
    if (ready.network) {
      // Joining the namespace needs root: the launch shell runs as the server, nsenter joins, then
      // setpriv drops to the sandbox user before bwrap starts.
      const enter = [...ready.network.enter(), ...dropPrivileges(host)];
      return { file: host.shell, args: stage(enter, ['--norc', '-c', command ?? '']), env, cwd: '/' };
    }
    // Commands: node drops to the sandbox user (and all groups) before the launch shell starts.
    const user = host.user.dropsPrivileges ? { uid: host.user.uid, gid: host.user.gid } : {};
    return { file: host.shell, args: stage([], ['--norc', '-c', command ?? '']), env, cwd: '/', ...user };
  }

  async chownToSandbox(target: string): Promise<void> {
    // Before the first command, nothing needs it: set-up hands over the whole workspace anyway.
    const ready = this.#ready;
    if (!ready?.host.user.dropsPrivileges) return;
    const absolute = path.resolve(this.workspace, target);
    if (absolute !== this.workspace && !absolute.startsWith(`${this.workspace}${path.sep}`))
      throw new Error(`${target} is outside the workspace.`);
    await adoptTree(this.workspace, absolute, ready.host.user);
  }

  async endpoint(port: number): Promise<Endpoint> {
    const ready = await this.ready();
    await this.#restarting;
    return ready.network ? ready.network.endpoint(port) : { host: '127.0.0.1', port };
  }

  async describe(): Promise<SandboxDescription> {
    const base = {
      kind: 'bwrap',
      network: this.#network,
      workspacePath: INSIDE.workspace,
    };
    let ready: Ready;
    try {
      ready = await this.ready();
    } catch (error) {
      return { ...base, isolated: false, limits: [], notes: [(error as Error).message] };
    }
    const { user } = ready.host;
    const notes = [...ready.cgroup.notes];
    const limits: SandboxLimit[] = [];
    const active = ready.cgroup.active;
    if (active.pids) limits.push(limit('processes', active.pids, 'count', 'cgroup v1 pids', 'sandbox'));
    if (active.memoryBytes)
      limits.push(limit('memory', active.memoryBytes, 'bytes', 'cgroup v1 memory', 'sandbox'));
    if (active.cpus) limits.push(limit('cpus', active.cpus, 'cpus', 'cgroup v1 cpu (CFS quota)', 'sandbox'));
    const rlimits = this.#rlimits(ready, 'exec');
    if (rlimits.processes) limits.push(limit('processes', rlimits.processes, 'count', 'rlimit NPROC', 'uid'));
    if (rlimits.openFiles)
      limits.push(limit('open-files', rlimits.openFiles, 'count', 'rlimit NOFILE', 'process'));
    if (rlimits.dataBytes) limits.push(limit('memory', rlimits.dataBytes, 'bytes', 'rlimit DATA', 'process'));
    if (rlimits.cpuSeconds)
      limits.push(limit('cpu-time', rlimits.cpuSeconds, 'seconds', 'rlimit CPU (commands only)', 'process'));
    limits.push(
      limit(
        'timeout',
        this.#options.defaultTimeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS,
        'ms',
        'wall clock',
        'command',
      ),
      limit(
        'output',
        this.#options.defaultMaxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
        'bytes',
        'capture cap',
        'command',
      ),
    );
    if (!user.dropsPrivileges)
      notes.push('The server is not root: commands run as the server user, inside the namespaces.');
    if (ready.sharedNetworkReason)
      notes.push(
        `The network is shared with the host (${ready.sharedNetworkReason}): commands can reach services on the host's loopback.`,
      );
    return {
      ...base,
      ...(this.#network ? { networkScope: ready.network ? 'private' : 'host' } : {}),
      isolated: true,
      user: { uid: user.uid, gid: user.gid, name: user.name },
      limits,
      notes,
    };
  }

  async #cleanUp(ready: Ready): Promise<void> {
    ready.network?.dispose();
    await ready.cgroup.remove();
    // Unmount first: the state directory never contains the staged mounts, but be certain.
    await ready.staged?.release();
    if (mountsUnder(ready.stateDir).length === 0)
      await rm(ready.stateDir, { recursive: true, force: true }).catch(() => {});
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.#initializing?.catch(() => {});
    const ready = this.#ready;
    this.#ready = undefined;
    if (ready) await this.#cleanUp(ready);
  }
}

function limit(
  name: SandboxLimit['name'],
  value: number,
  unit: SandboxLimit['unit'],
  mechanism: string,
  scope: SandboxLimit['scope'],
): SandboxLimit {
  return { name, value, unit, mechanism, scope };
}

/**
 * The default driver: every command in a fresh bubblewrap sandbox (namespaces, a read-only system,
 * the workspace read-write at /workspace), as an unprivileged uid, inside per-sandbox cgroups.
 * Set-up is lazy; when bwrap cannot run here, every command is refused with the reason.
 */
export function createBwrapSandbox(options: BwrapSandboxOptions): Sandbox {
  const workspace = realpathSync(path.resolve(options.workspace));
  const launcher = new BwrapLauncher(workspace, options);
  return new ProcessSandbox(launcher, options, {
    describe: () => launcher.describe(),
    chownToSandbox: (target) => launcher.chownToSandbox(target),
    endpoint: (port) => launcher.endpoint(port),
  });
}
