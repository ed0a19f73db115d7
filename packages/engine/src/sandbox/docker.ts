/**
 * Docker sandbox driver: one long-lived container per sandbox (created lazily), every command an
 * `exec` in it. Talks to the Engine API through dockerode; the default client honours DOCKER_HOST
 * and otherwise uses /var/run/docker.sock.
 *
 * Killing an exec. The Engine API has no "kill exec", and the PID that `GET /exec/:id/json` reports
 * is a host PID, useless inside the container's PID namespace. So every exec carries a random marker
 * in its environment (`AURA_SANDBOX_EXEC=<token>`), inherited by everything it starts; to stop it, a
 * second exec scans `/proc/<pid>/environ` in the container for the marker and signals the matching
 * processes (SIGTERM, a grace period, then SIGKILL). The same scan runs inside the command's own
 * wrapper when the command returns, to stop processes it left behind (as the local driver does).
 * A process that rebuilds its environment from scratch (`env -i …`) escapes the marker; `dispose()`
 * removes the container, which kills everything regardless.
 */
import { randomBytes } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import Dockerode from 'dockerode';
import { buildCommandEnv } from './env.ts';
import { DEFAULT_EXEC_TIMEOUT_MS, DEFAULT_MAX_OUTPUT_BYTES } from './local.ts';
import { CappedCapture, RingBuffer } from './output.ts';
import { adoptTree } from './ownership.ts';
import type {
  BackgroundProcess,
  Endpoint,
  ExecOptions,
  ExecResult,
  PtyOptions,
  PtyProcess,
  Sandbox,
  SandboxDescription,
  SandboxLimit,
} from './types.ts';

export interface DockerSandboxLimits {
  /** Memory limit (swap included); 0 for none. */
  memoryBytes?: number;
  /** Process limit (fork bombs); 0 for none. */
  pids?: number;
  /** CPU share in cores (1.5 = one and a half); unlimited when absent. */
  cpus?: number;
  /** Open-file limit (soft and hard `nofile`). */
  openFiles?: number;
}

export interface DockerSandboxOptions {
  /** Workspace root on the Docker host, bind-mounted read-write at /workspace. */
  workspace: string;
  /** Default: node:24-bookworm. Pulled on first use when missing. */
  image?: string;
  /** Network access (bridge); `false` gives the container no network at all. Default: true. */
  network?: boolean;
  limits?: DockerSandboxLimits;
  /** Default: `new Dockerode()` (DOCKER_HOST, else /var/run/docker.sock). */
  docker?: Dockerode;
  /** Container user; must not be root. Default 1000:1000 — it needs write access to the workspace. */
  user?: string;
  /** Extra variables for every command. The host environment is NOT inherited (see env.ts). */
  env?: Record<string, string>;
  defaultTimeoutMs?: number;
  defaultMaxOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL when stopping a command. */
  killGraceMs?: number;
  /** Ring buffer size for each background process's output. */
  backgroundBufferBytes?: number;
}

export const DEFAULT_DOCKER_IMAGE = 'node:24-bookworm';
export const DEFAULT_DOCKER_USER = '1000:1000';
export const DEFAULT_DOCKER_LIMITS: Readonly<Required<Omit<DockerSandboxLimits, 'cpus'>>> = {
  memoryBytes: 2 * 1024 ** 3,
  pids: 512,
  openFiles: 4096,
};
/** Where the workspace is mounted inside the container. */
export const CONTAINER_WORKSPACE = '/workspace';
/** The environment variable that marks every process an exec started. */
export const EXEC_MARKER_ENV = 'AURA_SANDBOX_EXEC';

const DEFAULT_KILL_GRACE_MS = 2_000;
const DEFAULT_BACKGROUND_BUFFER = 256 * 1024;
/** After the kill exec finished, how long the attach stream may take to close before we drop it. */
const STREAM_CLOSE_GRACE_MS = 5_000;
/** Exec inspections while the engine still reports an exited exec as running (exit-event race). */
const INSPECT_ATTEMPTS = 20;
/** Host variables that describe the host rather than the container: the image's own values win. */
const HOST_ONLY_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TMPDIR', 'TMP', 'TEMP'];

// --- shell scripts run inside the container (POSIX sh; need grep, kill, sleep) -------------------

/** `marked TOKEN` prints the PIDs whose environment carries the marker, except the calling shell. */
const MARKED_FN = `marked() {
  for f in $(grep -lF "${EXEC_MARKER_ENV}=$1" /proc/[0-9]*/environ 2>/dev/null); do
    p=\${f#/proc/}; p=\${p%/environ}
    [ "$p" = "$$" ] || echo "$p"
  done
}`;

/** `stop TOKEN STEPS`: SIGTERM, wait up to STEPS × 0.1 s, then SIGKILL until none is left. */
const STOP_FN = `stop() {
  p=$(marked "$1"); [ -n "$p" ] || return 0
  kill -TERM $p 2>/dev/null
  i=0
  while [ "$i" -lt "$2" ]; do
    sleep 0.1; p=$(marked "$1"); [ -n "$p" ] || return 0; i=$((i+1))
  done
  n=0
  while [ "$n" -lt 50 ]; do
    p=$(marked "$1"); [ -n "$p" ] || return 0
    kill -KILL $p 2>/dev/null; n=$((n+1))
  done
}`;

/**
 * `$1`: the command, run with bash (sh when the image has none); `$2`: grace steps; `$3`: LEFTOVERS.
 * The wrapper traps SIGTERM (a handler, not an ignore, so the command still gets the default action)
 * and so reports the command's own status; when it was being killed it leaves the rest to the killer.
 * Otherwise it replaces itself with a fresh shell to stop leftovers: its own forks would still carry
 * the marker in their environ (unset only changes what children inherit).
 */
const COMMAND_WRAPPER = `t=$${EXEC_MARKER_ENV}
trap 'killed=1' TERM
if command -v bash >/dev/null 2>&1; then bash -c "$1"; else sh -c "$1"; fi
s=$?
unset ${EXEC_MARKER_ENV}
[ -z "$killed" ] || exit $s
exec /bin/sh -c "$3" aura-leftovers "$t" "$2" "$s"`;

/** `$1`: token, `$2`: grace steps, `$3`: exit status to keep. */
const LEFTOVERS = `${MARKED_FN}
${STOP_FN}
if [ -n "$(marked "$1")" ]; then
  echo '[aura] the command left processes running in the background; they were stopped. Use background: true for long-running processes.' >&2
  stop "$1" "$2"
fi
exit $3`;

/** `$1`: token, `$2`: grace steps. */
const KILL_SCRIPT = `${MARKED_FN}
${STOP_FN}
stop "$1" "$2"`;

const PTY_SHELL = 'if command -v bash >/dev/null 2>&1; then exec bash -l; fi; exec sh -l';
const PTY_COMMAND = 'if command -v bash >/dev/null 2>&1; then exec bash -c "$1"; fi; exec sh -c "$1"';

// --- helpers ------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The HTTP status of a docker-modem error (`(HTTP code 404) …`), if it has one. */
function statusCodeOf(error: unknown): number | undefined {
  return isRecord(error) && typeof error.statusCode === 'number' ? error.statusCode : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message.trim();
  return String(error);
}

function abortError(message: string): Error {
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function envList(env: Record<string, string>): string[] {
  return Object.entries(env).map(([name, value]) => `${name}=${value}`);
}

function newToken(): string {
  return randomBytes(12).toString('hex');
}

/** Name of the signal behind a shell-style exit status (137 → SIGKILL), if it is one. */
function signalOfStatus(code: number | null): string | null {
  if (code === null || code <= 128) return null;
  const number = code - 128;
  const entry = Object.entries(osConstants.signals).find(([, value]) => value === number);
  return entry ? entry[0] : null;
}

/** `uid:gid` when the container user is given numerically (the host sees the same ids). */
function numericUser(user: string): { uid: number; gid: number } | undefined {
  const match = /^(\d+):(\d+)$/.exec(user);
  return match ? { uid: Number(match[1]), gid: Number(match[2]) } : undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when the attach stream is finished: ended, closed or failed. Consumers must read it. */
function streamDone(stream: Duplex): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed) {
      resolve();
      return;
    }
    stream.once('end', () => resolve());
    stream.once('close', () => resolve());
    stream.once('error', () => resolve());
  });
}

/**
 * The exec's exit code. Engines set it from containerd's exit event, which can land just after the
 * attach stream closed, so a `Running: true` answer is retried briefly. Null when unknown.
 */
async function exitCodeOf(exec: Dockerode.Exec): Promise<number | null> {
  for (let attempt = 1; attempt <= INSPECT_ATTEMPTS; attempt++) {
    let info: unknown;
    try {
      info = await exec.inspect();
    } catch {
      return null;
    }
    if (!isRecord(info)) return null;
    if (info.Running !== true) return typeof info.ExitCode === 'number' ? info.ExitCode : null;
    await sleep(Math.min(100, 10 * attempt));
  }
  return null;
}

/** Where the client connects, for error messages. */
async function describeEndpoint(docker: Dockerode): Promise<string> {
  const modem: unknown = docker.modem;
  if (!isRecord(modem)) return 'the default Docker endpoint';
  if (typeof modem.host === 'string' && modem.host !== '') {
    const protocol = typeof modem.protocol === 'string' ? modem.protocol : 'http';
    const port = typeof modem.port === 'string' || typeof modem.port === 'number' ? `:${modem.port}` : '';
    return `${protocol}://${modem.host}${port}`;
  }
  if (typeof modem.socketPath === 'string') return modem.socketPath;
  const getSocketPath = modem.getSocketPath;
  if (typeof getSocketPath === 'function') {
    try {
      const resolved: unknown = await Promise.resolve(getSocketPath.call(modem));
      if (typeof resolved === 'string') return resolved;
    } catch {
      // fall through
    }
  }
  return 'the default Docker socket';
}

/**
 * Splits Docker's multiplexed attach stream (non-TTY execs): frames of an 8-byte header — stream
 * type (0 stdin, 1 stdout, 2 stderr, 3 engine error), three zero bytes, big-endian payload size —
 * then the payload. Frames may arrive split across chunks or several to a chunk.
 */
export class DockerStreamDemuxer {
  readonly #onFrame: (stream: 'stdout' | 'stderr', payload: Buffer) => void;
  #pending: Buffer = Buffer.alloc(0);
  #raw = false;

  constructor(onFrame: (stream: 'stdout' | 'stderr', payload: Buffer) => void) {
    this.#onFrame = onFrame;
  }

  /** Bytes of an incomplete frame waiting for the rest. */
  get pendingBytes(): number {
    return this.#pending.length;
  }

  push(chunk: Buffer): void {
    if (this.#raw) {
      this.#onFrame('stdout', chunk);
      return;
    }
    const data = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    let offset = 0;
    while (data.length - offset >= 8) {
      const type = data[offset]!;
      if (type > 3 || data[offset + 1] !== 0 || data[offset + 2] !== 0 || data[offset + 3] !== 0) {
        // Not a frame header: the stream is raw (a TTY exec) or corrupt. Pass the rest through.
        this.#raw = true;
        this.#pending = Buffer.alloc(0);
        this.#onFrame('stdout', data.subarray(offset));
        return;
      }
      const size = data.readUInt32BE(offset + 4);
      if (data.length - offset - 8 < size) break;
      const payload = data.subarray(offset + 8, offset + 8 + size);
      if (payload.length > 0) this.#onFrame(type >= 2 ? 'stderr' : 'stdout', payload);
      offset += 8 + size;
    }
    this.#pending = Buffer.from(data.subarray(offset));
  }
}

// --- processes ----------------------------------------------------------------------------------

interface Attached {
  exec: Dockerode.Exec;
  stream: Duplex;
  token: string;
}

class DockerBackgroundProcess implements BackgroundProcess {
  readonly id: string;
  readonly command: string;
  readonly pid: number | undefined = undefined;
  readonly #ring: RingBuffer;
  readonly #exited: Promise<void>;
  readonly #stopProcesses: () => Promise<void>;
  #exitCode: number | null | undefined = undefined;
  #stopping = false;

  constructor(id: string, command: string, attached: Attached, ringBytes: number, stop: () => Promise<void>) {
    this.id = id;
    this.command = command;
    this.#ring = new RingBuffer(ringBytes);
    this.#stopProcesses = stop;
    const demuxer = new DockerStreamDemuxer((_stream, payload) => this.#ring.push(payload));
    attached.stream.on('data', (chunk: Buffer) => demuxer.push(chunk));
    this.#exited = streamDone(attached.stream).then(async () => {
      const code = await exitCodeOf(attached.exec);
      this.#exitCode = this.#stopping && signalOfStatus(code) !== null ? null : code;
    });
  }

  get exitCode(): number | null | undefined {
    return this.#exitCode;
  }

  get exited(): Promise<void> {
    return this.#exited;
  }

  output(): string {
    return this.#ring.text();
  }

  async stop(): Promise<void> {
    if (this.#exitCode !== undefined) return;
    this.#stopping = true;
    await this.#stopProcesses().catch(() => {});
    await this.#exited;
  }
}

class DockerPty implements PtyProcess {
  readonly pid: number | undefined = undefined;
  readonly #attached: Attached;
  readonly #kill: () => Promise<void>;
  readonly #decoder = new StringDecoder('utf8');
  readonly #dataListeners: ((data: string) => void)[] = [];
  readonly #exitListeners: ((exitCode: number | null) => void)[] = [];
  /** Output that arrived before anyone listened. */
  #early: string[] = [];
  #exit: { code: number | null } | undefined;
  readonly exited: Promise<void>;

  constructor(attached: Attached, kill: () => Promise<void>) {
    this.#attached = attached;
    this.#kill = kill;
    attached.stream.on('data', (chunk: Buffer) => this.#emit(this.#decoder.write(chunk)));
    this.exited = streamDone(attached.stream).then(async () => {
      this.#emit(this.#decoder.end());
      const code = await exitCodeOf(attached.exec);
      this.#exit = { code };
      for (const listener of this.#exitListeners) listener(code);
    });
  }

  #emit(text: string): void {
    if (text === '') return;
    if (this.#dataListeners.length === 0) this.#early.push(text);
    for (const listener of this.#dataListeners) listener(text);
  }

  onData(listener: (data: string) => void): void {
    this.#dataListeners.push(listener);
    if (this.#early.length > 0) {
      const early = this.#early;
      this.#early = [];
      for (const text of early) listener(text);
    }
  }

  onExit(listener: (exitCode: number | null) => void): void {
    if (this.#exit) listener(this.#exit.code);
    else this.#exitListeners.push(listener);
  }

  write(data: string): void {
    const { stream } = this.#attached;
    if (!stream.destroyed && stream.writable) stream.write(data);
  }

  resize(cols: number, rows: number): void {
    const w = Math.max(1, Math.floor(cols));
    const h = Math.max(1, Math.floor(rows));
    this.#attached.exec.resize({ h, w }).catch(() => {});
  }

  kill(): void {
    if (this.#exit) return;
    void this.#kill().catch(() => {});
  }
}

/** A foreground exec in flight; `dispose()` waits for it (removing the container ends it). */
interface RunningExec {
  done: Promise<void>;
}

// --- the sandbox --------------------------------------------------------------------------------

class DockerSandbox implements Sandbox {
  readonly kind = 'docker';
  readonly workspace: string;
  readonly #docker: Dockerode;
  readonly #image: string;
  readonly #network: boolean;
  readonly #limits: DockerSandboxLimits;
  readonly #user: string;
  readonly #env: Record<string, string> | undefined;
  readonly #timeoutMs: number;
  readonly #maxOutputBytes: number;
  readonly #graceMs: number;
  readonly #backgroundBytes: number;
  readonly #running = new Set<RunningExec>();
  readonly #background: DockerBackgroundProcess[] = [];
  readonly #ptys = new Set<DockerPty>();
  readonly #removals = new Set<Promise<unknown>>();
  #container: Promise<Dockerode.Container> | undefined;
  #current: Dockerode.Container | undefined;
  #nextId = 1;
  #disposed = false;
  #disposing: Promise<void> | undefined;

  constructor(options: DockerSandboxOptions) {
    this.workspace = realpathSync(path.resolve(options.workspace));
    this.#docker = options.docker ?? new Dockerode();
    this.#image = options.image ?? DEFAULT_DOCKER_IMAGE;
    this.#network = options.network ?? true;
    this.#limits = { ...DEFAULT_DOCKER_LIMITS, ...options.limits };
    this.#user = options.user ?? DEFAULT_DOCKER_USER;
    if (/^(0|root)(:|$)/.test(this.#user)) throw new Error('The Docker sandbox must not run as root.');
    this.#env = options.env;
    this.#timeoutMs = options.defaultTimeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
    this.#maxOutputBytes = options.defaultMaxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    this.#graceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    this.#backgroundBytes = options.backgroundBufferBytes ?? DEFAULT_BACKGROUND_BUFFER;
  }

  #assertOpen(): void {
    if (this.#disposed) throw new Error('The sandbox has been disposed; no more commands can run in it.');
  }

  /** `cwd` is relative to the workspace and must stay inside it, symlinks included → container path. */
  #workingDir(cwd: string | undefined): string {
    if (cwd === undefined || cwd === '' || cwd === '.') return CONTAINER_WORKSPACE;
    if (path.isAbsolute(cwd)) throw new Error(`cwd must be relative to the workspace, got "${cwd}".`);
    let real: string;
    try {
      real = realpathSync(path.resolve(this.workspace, cwd));
    } catch {
      throw new Error(`cwd "${cwd}" does not exist in the workspace.`);
    }
    if (!isInside(this.workspace, real)) throw new Error(`cwd "${cwd}" is outside the workspace.`);
    if (!statSync(real).isDirectory()) throw new Error(`cwd "${cwd}" is not a directory.`);
    const relative = path.relative(this.workspace, real).split(path.sep).join('/');
    return relative === '' ? CONTAINER_WORKSPACE : `${CONTAINER_WORKSPACE}/${relative}`;
  }

  #graceSteps(): string {
    return String(Math.max(0, Math.ceil(this.#graceMs / 100)));
  }

  #containerEnv(): string[] {
    const env = buildCommandEnv(process.env);
    for (const name of HOST_ONLY_ENV) delete env[name];
    return envList({ ...env, ...this.#env });
  }

  #createOptions(): Dockerode.ContainerCreateOptions {
    const { memoryBytes, pids, cpus, openFiles } = this.#limits;
    const hostConfig: Dockerode.HostConfig = {
      Binds: [`${this.workspace}:${CONTAINER_WORKSPACE}:rw`],
      NetworkMode: this.#network ? 'bridge' : 'none',
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      // Docker adds noexec to tmpfs mounts by default; build tools run things from /tmp.
      Tmpfs: { '/tmp': 'rw,exec,nosuid,nodev,size=512m' },
      // The root filesystem stays writable (npm caches, HOME) but only for what uid 1000 owns.
      ReadonlyRootfs: false,
      AutoRemove: false,
      // docker-init as PID 1 reaps the orphans of killed commands (`sleep` would not).
      Init: true,
    };
    if (memoryBytes) {
      hostConfig.Memory = memoryBytes;
      hostConfig.MemorySwap = memoryBytes;
    }
    if (pids) hostConfig.PidsLimit = pids;
    if (cpus) hostConfig.NanoCpus = Math.round(cpus * 1e9);
    if (openFiles) hostConfig.Ulimits = [{ Name: 'nofile', Soft: openFiles, Hard: openFiles }];
    return {
      Image: this.#image,
      Cmd: ['sleep', 'infinity'],
      WorkingDir: CONTAINER_WORKSPACE,
      User: this.#user,
      Env: this.#containerEnv(),
      Tty: false,
      OpenStdin: false,
      Labels: { 'aura.sandbox': '1', 'aura.workspace': this.workspace },
      HostConfig: hostConfig,
    };
  }

  async #ping(): Promise<void> {
    try {
      await this.#docker.ping();
    } catch (error) {
      const endpoint = await describeEndpoint(this.#docker);
      throw new Error(
        `Docker is not reachable at ${endpoint}: is the engine running? (${messageOf(error)})`,
        {
          cause: error,
        },
      );
    }
  }

  async #ensureImage(): Promise<void> {
    try {
      await this.#docker.getImage(this.#image).inspect();
      return;
    } catch (error) {
      if (statusCodeOf(error) !== 404) {
        throw new Error(`Could not inspect the image ${this.#image}: ${messageOf(error)}`, { cause: error });
      }
    }
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.#docker.pull(this.#image);
    } catch (error) {
      throw new Error(`Could not pull the image ${this.#image}: ${messageOf(error)}`, { cause: error });
    }
    await new Promise<void>((resolve, reject) => {
      this.#docker.modem.followProgress(stream, (error: Error | null, events: unknown[]) => {
        // Registry failures arrive as `{"error": …}` events in a 200 stream, not as stream errors.
        const failed = events.find((event) => isRecord(event) && typeof event.error === 'string');
        const reason = error ? error.message : isRecord(failed) ? String(failed.error) : undefined;
        if (reason === undefined) resolve();
        else reject(new Error(`Could not pull the image ${this.#image}: ${reason}`));
      });
    });
  }

  async #startContainer(): Promise<Dockerode.Container> {
    await this.#ping();
    await this.#ensureImage();
    const container = await this.#docker.createContainer(this.#createOptions());
    try {
      await container.start();
    } catch (error) {
      await container.remove({ force: true }).catch(() => {});
      throw new Error(`Could not start the sandbox container: ${messageOf(error)}`, { cause: error });
    }
    if (this.#disposed) {
      await container.remove({ force: true, v: true }).catch(() => {});
      throw new Error('The sandbox has been disposed; no more commands can run in it.');
    }
    this.#current = container;
    return container;
  }

  #ensureContainer(): Promise<Dockerode.Container> {
    if (this.#disposed) {
      return Promise.reject(new Error('The sandbox has been disposed; no more commands can run in it.'));
    }
    if (!this.#container) {
      const starting = this.#startContainer();
      this.#container = starting;
      starting.catch(() => {
        if (this.#container === starting) this.#container = undefined;
      });
    }
    return this.#container;
  }

  /** The container died or vanished (engine restart, OOM of its init): drop it, start afresh. */
  #forget(container: Dockerode.Container): void {
    if (this.#current !== container) return;
    this.#current = undefined;
    this.#container = undefined;
    const removal = container.remove({ force: true, v: true }).catch(() => {});
    this.#removals.add(removal);
    void removal.finally(() => this.#removals.delete(removal));
  }

  async #createExec(spec: Dockerode.ExecCreateOptions): Promise<Dockerode.Exec> {
    const container = await this.#ensureContainer();
    try {
      return await container.exec(spec);
    } catch (error) {
      const status = statusCodeOf(error);
      if (status !== 404 && status !== 409) throw error;
      this.#forget(container);
      const fresh = await this.#ensureContainer();
      return await fresh.exec(spec);
    }
  }

  /** Creates and starts an exec with its attach stream (hijacked connection). */
  async #attach(spec: {
    cmd: string[];
    workingDir: string;
    env: Record<string, string>;
    stdin: boolean;
    tty: boolean;
    size?: { cols: number; rows: number };
  }): Promise<Attached> {
    const token = newToken();
    const create: Dockerode.ExecCreateOptions = {
      Cmd: spec.cmd,
      AttachStdin: spec.stdin,
      AttachStdout: true,
      AttachStderr: true,
      Tty: spec.tty,
      WorkingDir: spec.workingDir,
      Env: envList({ ...spec.env, [EXEC_MARKER_ENV]: token }),
    };
    if (spec.size) create.ConsoleSize = [spec.size.rows, spec.size.cols];
    const exec = await this.#createExec(create);
    // `Tty` in the start body decides whether the engine multiplexes the stream.
    const stream = await exec.start({ hijack: true, stdin: spec.stdin, Tty: spec.tty });
    stream.on('error', () => {});
    return { exec, stream, token };
  }

  /** Stops every process carrying `token`, via a second exec. */
  async #killMarked(token: string): Promise<void> {
    const container = this.#current;
    if (!container) return;
    const exec = await container.exec({
      Cmd: ['/bin/sh', '-c', KILL_SCRIPT, 'aura-kill', token, this.#graceSteps()],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    stream.on('error', () => {});
    stream.resume();
    await streamDone(stream);
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.#assertOpen();
    if (opts.signal?.aborted) throw abortError('The command was cancelled before it started.');
    const workingDir = this.#workingDir(opts.cwd);
    const timeoutMs = opts.timeoutMs ?? this.#timeoutMs;
    const capture = new CappedCapture(opts.maxOutputBytes ?? this.#maxOutputBytes);
    const started = performance.now();

    let timedOut = false;
    let aborted = false;
    let attached: Attached | undefined;
    let killing: Promise<void> | undefined;
    let dropTimer: NodeJS.Timeout | undefined;
    const kill = () => {
      if (!attached || killing) return;
      const { stream, token } = attached;
      killing = this.#killMarked(token)
        .catch(() => {})
        .then(() => {
          // The processes are gone; if the engine still holds the stream open, stop waiting for it.
          if (!stream.destroyed) dropTimer = setTimeout(() => stream.destroy(), STREAM_CLOSE_GRACE_MS);
        });
    };
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      aborted = true;
      kill();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    let resolveDone: () => void = () => {};
    const entry: RunningExec = { done: new Promise<void>((resolve) => (resolveDone = resolve)) };
    this.#running.add(entry);
    try {
      attached = await this.#attach({
        cmd: ['/bin/sh', '-c', COMMAND_WRAPPER, 'aura-exec', command, this.#graceSteps(), LEFTOVERS],
        workingDir,
        env: opts.env ?? {},
        stdin: opts.stdin !== undefined,
        tty: false,
      });
      const { exec, stream } = attached;
      const demuxer = new DockerStreamDemuxer((kind, payload) => capture.push(kind, payload));
      stream.on('data', (chunk: Buffer) => demuxer.push(chunk));
      const done = streamDone(stream);
      // The clock starts with the command, not with the container start or an image pull.
      timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, timeoutMs);
      if (aborted) kill();
      if (opts.stdin !== undefined) stream.end(opts.stdin);
      await done;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      await killing;
      clearTimeout(dropTimer);
      const code = await exitCodeOf(exec);
      const killed = (timedOut || aborted) && signalOfStatus(code) !== null;
      return {
        exitCode: killed ? null : code,
        signal: killed ? signalOfStatus(code) : null,
        timedOut,
        aborted,
        stdout: capture.text('stdout'),
        stderr: capture.text('stderr'),
        truncated: capture.truncated,
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      this.#running.delete(entry);
      resolveDone();
    }
  }

  async spawnBackground(
    command: string,
    opts: Omit<ExecOptions, 'timeoutMs' | 'stdin'> = {},
  ): Promise<BackgroundProcess> {
    this.#assertOpen();
    if (opts.signal?.aborted) throw abortError('The command was cancelled before it started.');
    const workingDir = this.#workingDir(opts.cwd);
    const attached = await this.#attach({
      cmd: ['/bin/sh', '-c', COMMAND_WRAPPER, 'aura-exec', command, this.#graceSteps(), LEFTOVERS],
      workingDir,
      env: opts.env ?? {},
      stdin: false,
      tty: false,
    });
    const id = `bg-${this.#nextId++}`;
    const ringBytes = opts.maxOutputBytes ?? this.#backgroundBytes;
    const proc = new DockerBackgroundProcess(id, command, attached, ringBytes, () =>
      this.#killMarked(attached.token),
    );
    this.#background.push(proc);
    opts.signal?.addEventListener('abort', () => void proc.stop(), { once: true });
    return proc;
  }

  listBackground(): BackgroundProcess[] {
    return [...this.#background];
  }

  async openPty(opts: PtyOptions): Promise<PtyProcess> {
    this.#assertOpen();
    const workingDir = this.#workingDir(opts.cwd);
    const cols = Math.max(1, Math.floor(opts.cols));
    const rows = Math.max(1, Math.floor(opts.rows));
    const cmd =
      opts.command === undefined
        ? ['/bin/sh', '-c', PTY_SHELL]
        : ['/bin/sh', '-c', PTY_COMMAND, 'aura-pty', opts.command];
    const attached = await this.#attach({
      cmd,
      workingDir,
      // A terminal wants colours and a terminal type; NO_COLOR="" means "not set" to tools.
      env: { TERM: 'xterm-256color', COLORTERM: 'truecolor', NO_COLOR: '', ...opts.env },
      stdin: true,
      tty: true,
      size: { cols, rows },
    });
    // ConsoleSize is honoured from API 1.42; resizing once started covers older engines.
    await attached.exec.resize({ h: rows, w: cols }).catch(() => {});
    const pty = new DockerPty(attached, () => this.#killMarked(attached.token));
    this.#ptys.add(pty);
    void pty.exited.then(() => this.#ptys.delete(pty));
    return pty;
  }

  /** The container's own address on its network: the server connects there (no published ports). */
  async endpoint(port: number): Promise<Endpoint> {
    const info = await (await this.#ensureContainer()).inspect();
    // Engines before API 1.44 also report the default bridge's address at the top level.
    const settings = info.NetworkSettings as typeof info.NetworkSettings & { IPAddress?: string };
    const address =
      Object.values(settings?.Networks ?? {})
        .map((network) => network.IPAddress)
        .find(Boolean) || settings?.IPAddress;
    if (!address)
      throw new Error(
        'The sandbox has no network address (its network is off): its dev server cannot be reached.',
      );
    return { host: address, port };
  }

  async describe(): Promise<SandboxDescription> {
    const { memoryBytes, pids, cpus, openFiles } = this.#limits;
    const limits: SandboxLimit[] = [];
    const sandboxWide = (
      name: SandboxLimit['name'],
      value: number,
      unit: SandboxLimit['unit'],
      mechanism: string,
    ) => limits.push({ name, value, unit, mechanism, scope: 'sandbox' });
    if (memoryBytes) sandboxWide('memory', memoryBytes, 'bytes', 'cgroup memory (no swap)');
    if (pids) sandboxWide('processes', pids, 'count', 'cgroup pids');
    if (cpus) sandboxWide('cpus', cpus, 'cpus', 'cgroup cpu quota');
    if (openFiles) {
      limits.push({
        name: 'open-files',
        value: openFiles,
        unit: 'count',
        mechanism: 'rlimit NOFILE',
        scope: 'process',
      });
    }
    limits.push(
      { name: 'timeout', value: this.#timeoutMs, unit: 'ms', mechanism: 'wall clock', scope: 'command' },
      {
        name: 'output',
        value: this.#maxOutputBytes,
        unit: 'bytes',
        mechanism: 'capture cap',
        scope: 'command',
      },
    );
    const notes = [
      `Container from ${this.#image}, created on first use; the workspace is bind-mounted at ${CONTAINER_WORKSPACE}; all capabilities dropped, no-new-privileges.`,
    ];
    try {
      await this.#docker.ping();
    } catch (error) {
      notes.push(`Docker is not reachable at ${await describeEndpoint(this.#docker)}: ${messageOf(error)}`);
    }
    const ids = numericUser(this.#user);
    const serverUid = process.getuid?.();
    if (!ids)
      notes.push(
        `The container user "${this.#user}" is not a numeric uid:gid; files cannot be handed to it.`,
      );
    else if (serverUid !== 0 && serverUid !== ids.uid) {
      notes.push(
        `The server (uid ${serverUid}) cannot hand files to uid ${ids.uid}: the workspace must be writable by it.`,
      );
    }
    return {
      kind: this.kind,
      isolated: true,
      network: this.#network,
      user: ids ? { ...ids, name: `container user ${this.#user}` } : undefined,
      workspacePath: CONTAINER_WORKSPACE,
      limits,
      notes,
    };
  }

  /** The bind mount shares host uids: a root server chowns what it wrote to the container user. */
  async chownToSandbox(target: string): Promise<void> {
    const absolute = path.resolve(this.workspace, target);
    const real = path.join(realpathSync(path.dirname(absolute)), path.basename(absolute));
    if (!isInside(this.workspace, real)) throw new Error(`"${target}" is outside the workspace.`);
    const ids = numericUser(this.#user);
    if (!ids || process.getuid?.() !== 0) return;
    // Race-safe and leaves hard-linked files (the shared template cache) alone.
    await adoptTree(this.workspace, real, ids);
  }

  dispose(): Promise<void> {
    this.#disposing ??= this.#dispose();
    return this.#disposing;
  }

  async #dispose(): Promise<void> {
    this.#disposed = true;
    const starting = this.#container;
    if (starting) await starting.catch(() => {});
    const running = [...this.#running];
    // Dev servers get their SIGTERM and grace period; then the container goes, with everything in it.
    await Promise.all(this.#background.map((proc) => proc.stop()));
    const container = this.#current;
    this.#current = undefined;
    this.#container = undefined;
    if (container) {
      await container.remove({ force: true, v: true }).catch((error: unknown) => {
        if (statusCodeOf(error) !== 404) throw error;
      });
    }
    await Promise.all([
      ...running.map((entry) => entry.done),
      ...[...this.#ptys].map((pty) => pty.exited),
      ...this.#removals,
    ]);
  }
}

/** A sandbox whose commands run in a dedicated, unprivileged container (created on first use). */
export function createDockerSandbox(options: DockerSandboxOptions): Sandbox {
  return new DockerSandbox(options);
}
