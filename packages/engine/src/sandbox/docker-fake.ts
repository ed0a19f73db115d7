/**
 * A fake Docker Engine for tests: an HTTP server on a unix socket speaking the subset of the Engine
 * API that the Docker sandbox driver uses through dockerode. It records every request (method, path,
 * query, body) so tests can assert the API shape, and it really runs exec'd commands on the host with
 * child_process — in the directory the container's bind mount maps WorkingDir to — so stdout/stderr,
 * exit codes, stdin and kills behave for real. It does NOT isolate anything: User, limits, network
 * mode and capabilities are recorded, not enforced. A Tty exec gets pipes, not a terminal.
 *
 * Faithful details: `POST /exec/:id/start` with `Upgrade: tcp` answers `101 UPGRADED` and hijacks the
 * connection (the JSON body arrives with the upgraded bytes and is split off by Content-Length; what
 * follows is stdin, and the client's half-close closes the process's stdin); frames are multiplexed
 * unless the start body says `Tty: true`; exit codes of killed processes are 128 + signal.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { constants as osConstants, tmpdir } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import Dockerode from 'dockerode';

export interface FakeDockerOptions {
  /** Images already present (`name:tag`). Default: none, so first use pulls. */
  images?: string[];
  /**
   * The "image's" environment, under the container's and the exec's. Default: the host PATH and an
   * empty HOME of the fake's own (so no host dotfiles: bash sources ~/.bashrc when its stdin is a
   * socket, which Node's stdio pipes are).
   */
  imageEnv?: string[];
  /** When set, `POST /images/create` streams this registry error (with status 200, as Docker does). */
  pullError?: string;
  /** After an exec exits, this many `GET /exec/:id/json` calls still report it running (engine race). */
  inspectLag?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path without the API version prefix and query. */
  path: string;
  query: Record<string, string>;
  headers: { contentType?: string; upgrade?: string; connection?: string };
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
}

interface FakeContainer {
  id: string;
  config: Record<string, unknown>;
  running: boolean;
  execs: Set<FakeExec>;
}

interface FakeExec {
  id: string;
  container: FakeContainer;
  config: Record<string, unknown>;
  started: boolean;
  running: boolean;
  exitCode: number | null;
  pid: number;
  lagLeft: number;
  size: { h: number; w: number } | undefined;
  child: ChildProcess | undefined;
}

/** Where output goes: a hijacked socket, or a plain HTTP response body. */
interface Sink {
  write(chunk: Buffer): void;
  end(): void;
}

export interface FakeDockerEngine {
  readonly socketPath: string;
  readonly requests: readonly RecordedRequest[];
  /** A dockerode client connected to this engine. */
  client(): Dockerode;
  /** Resolves with the first request (already recorded or still to come) matching `predicate`. */
  waitForRequest(predicate: (request: RecordedRequest) => boolean): Promise<RecordedRequest>;
  /** Simulates the container dying behind the driver's back (OOM, engine restart). */
  killContainer(id: string): void;
  /** Ids of the containers that exist (not removed). */
  containerIds(): string[];
  close(): Promise<void>;
}

const FAKE_CGROUP_ENV = 'AURA_FAKE_CONTAINER';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function newId(): string {
  return randomBytes(32).toString('hex');
}

function normalizeImage(name: string): string {
  const lastSlash = name.lastIndexOf('/');
  return name.slice(lastSlash + 1).includes(':') ? name : `${name}:latest`;
}

/** Docker's stdcopy frame: type, three zero bytes, big-endian length, payload. */
function frame(type: 1 | 2, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function envObject(list: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of list) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/** Host PIDs whose environment has `entry` (the fake's stand-in for a container cgroup). */
function pidsWithEnv(entry: string): number[] {
  const needle = Buffer.from(`${entry}\0`);
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${name}/environ`);
      if (
        environ.subarray(0, needle.length).equals(needle) ||
        environ.includes(Buffer.from(`\0${entry}\0`))
      ) {
        pids.push(pid);
      }
    } catch {
      // gone, or not ours
    }
  }
  return pids;
}

function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0);
}

export async function startFakeDocker(options: FakeDockerOptions = {}): Promise<FakeDockerEngine> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aura-fake-docker-'));
  const socketPath = path.join(dir, 'docker.sock');
  const images = new Set((options.images ?? []).map(normalizeImage));
  const home = path.join(dir, 'home');
  mkdirSync(home);
  const imageEnv = options.imageEnv ?? [`PATH=${process.env.PATH ?? '/usr/bin:/bin'}`, `HOME=${home}`];
  const containers = new Map<string, FakeContainer>();
  const execs = new Map<string, FakeExec>();
  const requests: RecordedRequest[] = [];
  const waiters: {
    predicate: (request: RecordedRequest) => boolean;
    resolve: (r: RecordedRequest) => void;
  }[] = [];
  const hijacked = new Set<Duplex>();

  function record(req: IncomingMessage, url: URL, body: unknown): RecordedRequest {
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname.replace(/^\/v\d+\.\d+(?=\/)/, ''),
      query: Object.fromEntries(url.searchParams),
      headers: {
        contentType: req.headers['content-type'],
        upgrade: req.headers.upgrade,
        connection: req.headers.connection,
      },
      body,
    };
    requests.push(request);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(request)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(request);
      }
    }
    return request;
  }

  function parseBody(raw: Buffer): unknown {
    if (raw.length === 0) return undefined;
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch {
      return raw.toString('utf8');
    }
  }

  function killProcesses(container: FakeContainer): void {
    for (const pid of pidsWithEnv(`${FAKE_CGROUP_ENV}=${container.id}`)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** Maps a container path to the host through the container's bind mounts. */
  function hostPath(container: FakeContainer, containerPath: string): string {
    const hostConfig = isRecord(container.config.HostConfig) ? container.config.HostConfig : {};
    for (const bind of stringList(hostConfig.Binds)) {
      const [source, target] = bind.split(':');
      if (!source || !target) continue;
      if (containerPath === target) return source;
      if (containerPath.startsWith(`${target}/`))
        return path.join(source, containerPath.slice(target.length));
    }
    return containerPath;
  }

  function runExec(exec: FakeExec, sink: Sink, tty: boolean, stdin: Duplex | undefined): void {
    const { container, config } = exec;
    const [file, ...args] = stringList(config.Cmd);
    const workingDir =
      typeof config.WorkingDir === 'string' && config.WorkingDir !== ''
        ? config.WorkingDir
        : typeof container.config.WorkingDir === 'string'
          ? container.config.WorkingDir
          : '/';
    const env = envObject([
      ...imageEnv,
      ...stringList(container.config.Env),
      ...stringList(config.Env),
      `${FAKE_CGROUP_ENV}=${container.id}`,
    ]);
    const attachStdin = config.AttachStdin === true && stdin !== undefined;
    exec.started = true;
    exec.running = true;
    const send = (type: 1 | 2, chunk: Buffer) => sink.write(tty ? chunk : frame(type, chunk));
    const finish = (status: number) => {
      exec.running = false;
      exec.exitCode = status;
      exec.lagLeft = options.inspectLag ?? 0;
      sink.end();
    };
    if (!file) {
      send(2, Buffer.from('OCI runtime exec failed: no command specified\r\n'));
      finish(126);
      return;
    }
    const child = spawn(file, args, {
      cwd: hostPath(container, workingDir),
      env,
      detached: true,
      stdio: [attachStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    exec.child = child;
    exec.pid = child.pid ?? 0;
    child.stdout?.on('data', (chunk: Buffer) => send(1, chunk));
    child.stderr?.on('data', (chunk: Buffer) => send(tty ? 1 : 2, chunk));
    child.stdin?.on('error', () => {});
    if (attachStdin && stdin && child.stdin) {
      const input = child.stdin;
      stdin.on('data', (chunk: Buffer) => input.write(chunk));
      stdin.on('end', () => input.end());
    }
    child.once('error', (error) => {
      send(2, Buffer.from(`OCI runtime exec failed: ${error.message}\r\n`));
      finish(127);
    });
    child.once('close', (code, signal) => finish(exitStatus(code, signal)));
  }

  function json(res: ServerResponse, status: number, value: unknown): void {
    const body = JSON.stringify(value);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  function empty(res: ServerResponse, status: number): void {
    res.writeHead(status);
    res.end();
  }

  function imageRoute(request: RecordedRequest, res: ServerResponse): boolean {
    const inspect = request.method === 'GET' ? request.path.match(/^\/images\/(.+)\/json$/) : null;
    if (inspect) {
      const name = normalizeImage(decodeURIComponent(inspect[1]!));
      if (images.has(name)) json(res, 200, { Id: `sha256:${newId()}`, RepoTags: [name] });
      else json(res, 404, { message: `No such image: ${name}` });
      return true;
    }
    if (request.method !== 'POST' || request.path !== '/images/create') return false;
    const { fromImage = '', tag = 'latest' } = request.query;
    const name = normalizeImage(`${fromImage}:${tag}`);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(`${JSON.stringify({ status: `Pulling from library/${fromImage}`, id: tag })}\r\n`);
    if (options.pullError) {
      const message = options.pullError;
      res.end(`${JSON.stringify({ errorDetail: { message }, error: message })}\r\n`);
      return true;
    }
    res.write(`${JSON.stringify({ status: 'Downloading', progressDetail: { current: 1, total: 2 } })}\r\n`);
    images.add(name);
    res.end(`${JSON.stringify({ status: `Status: Downloaded newer image for ${name}` })}\r\n`);
    return true;
  }

  function createContainer(input: Record<string, unknown>, res: ServerResponse): void {
    const image = typeof input.Image === 'string' ? normalizeImage(input.Image) : '';
    if (!images.has(image)) {
      json(res, 404, { message: `No such image: ${image}` });
      return;
    }
    const id = newId();
    containers.set(id, { id, config: input, running: false, execs: new Set() });
    json(res, 201, { Id: id, Warnings: [] });
  }

  function removeContainer(container: FakeContainer, request: RecordedRequest, res: ServerResponse): void {
    const force = request.query.force === 'true' || request.query.force === '1';
    if (container.running && !force) {
      json(res, 409, {
        message: `cannot remove container: container ${container.id} is running: stop the container before removing or force remove`,
      });
      return;
    }
    container.running = false;
    killProcesses(container);
    containers.delete(container.id);
    for (const exec of container.execs) execs.delete(exec.id);
    empty(res, 204);
  }

  function createExec(container: FakeContainer, input: Record<string, unknown>, res: ServerResponse): void {
    if (!container.running) {
      json(res, 409, { message: `container ${container.id} is not running` });
      return;
    }
    const exec: FakeExec = {
      id: newId(),
      container,
      config: input,
      started: false,
      running: false,
      exitCode: null,
      pid: 0,
      lagLeft: 0,
      size: undefined,
      child: undefined,
    };
    execs.set(exec.id, exec);
    container.execs.add(exec);
    json(res, 201, { Id: exec.id });
  }

  function containerRoute(
    request: RecordedRequest,
    res: ServerResponse,
    input: Record<string, unknown>,
  ): boolean {
    if (request.method === 'POST' && request.path === '/containers/create') {
      createContainer(input, res);
      return true;
    }
    const match = request.path.match(/^\/containers\/([^/]+)(\/\w+)?$/);
    if (!match) return false;
    const container = containers.get(match[1]!);
    if (!container) {
      json(res, 404, { message: `No such container: ${match[1]}` });
      return true;
    }
    switch (`${request.method} ${match[2] ?? ''}`) {
      case 'POST /start':
        if (container.running) empty(res, 304);
        else {
          container.running = true;
          empty(res, 204);
        }
        return true;
      case 'GET /json':
        json(res, 200, {
          Id: container.id,
          Config: container.config,
          State: { Running: container.running },
          NetworkSettings: networkSettings(container.config),
        });
        return true;
      case 'POST /kill':
        if (!container.running) {
          json(res, 409, { message: `Container ${container.id} is not running` });
          return true;
        }
        container.running = false;
        killProcesses(container);
        empty(res, 204);
        return true;
      case 'DELETE ':
        removeContainer(container, request, res);
        return true;
      case 'POST /exec':
        createExec(container, input, res);
        return true;
      default:
        return false;
    }
  }

  /** Bridge containers get an address; the fake's processes run on the host, so it is loopback. */
  function networkSettings(config: Record<string, unknown>) {
    const host = config.HostConfig as { NetworkMode?: string } | undefined;
    if (host?.NetworkMode === 'none') return { Networks: { none: { IPAddress: '' } } };
    return { Networks: { bridge: { IPAddress: '127.0.0.1' } } };
  }

  function inspectExec(exec: FakeExec, res: ServerResponse): void {
    let running = exec.running;
    if (!running && exec.lagLeft > 0) {
      exec.lagLeft -= 1;
      running = true;
    }
    const cmd = stringList(exec.config.Cmd);
    json(res, 200, {
      ID: exec.id,
      Running: running,
      ExitCode: running || !exec.started ? null : exec.exitCode,
      Pid: exec.pid,
      ContainerID: exec.container.id,
      OpenStdin: exec.config.AttachStdin === true,
      OpenStdout: exec.config.AttachStdout === true,
      OpenStderr: exec.config.AttachStderr === true,
      CanRemove: false,
      DetachKeys: '',
      ProcessConfig: {
        tty: exec.config.Tty === true,
        entrypoint: cmd[0] ?? '',
        arguments: cmd.slice(1),
        privileged: false,
        user: typeof exec.config.User === 'string' ? exec.config.User : '',
      },
    });
  }

  /** `POST /exec/:id/start` without Upgrade: Detach runs it unattached, else output is the body. */
  function startExecPlain(exec: FakeExec, input: Record<string, unknown>, res: ServerResponse): void {
    if (exec.started) {
      json(res, 409, { message: 'exec already started' });
      return;
    }
    if (input.Detach === true) {
      runExec(exec, { write: () => {}, end: () => {} }, true, undefined);
      empty(res, 200);
      return;
    }
    const tty = input.Tty === true;
    res.writeHead(200, {
      'Content-Type': tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream',
    });
    runExec(exec, { write: (chunk) => res.write(chunk), end: () => res.end() }, tty, undefined);
  }

  function execRoute(request: RecordedRequest, res: ServerResponse, input: Record<string, unknown>): boolean {
    const match = request.path.match(/^\/exec\/([^/]+)\/(\w+)$/);
    if (!match) return false;
    const exec = execs.get(match[1]!);
    if (!exec) {
      json(res, 404, { message: `No such exec instance: ${match[1]}` });
      return true;
    }
    switch (`${request.method} ${match[2]}`) {
      case 'GET json':
        inspectExec(exec, res);
        return true;
      case 'POST resize': {
        const h = Number(request.query.h);
        const w = Number(request.query.w);
        if (!Number.isInteger(h) || !Number.isInteger(w))
          json(res, 400, { message: 'h and w must be integers' });
        else {
          exec.size = { h, w };
          empty(res, 200);
        }
        return true;
      }
      case 'POST start':
        startExecPlain(exec, input, res);
        return true;
      default:
        return false;
    }
  }

  function routeRequest(req: IncomingMessage, res: ServerResponse, url: URL, body: unknown): void {
    const request = record(req, url, body);
    const input = isRecord(body) ? body : {};
    if (request.path === '/_ping' && (request.method === 'GET' || request.method === 'HEAD')) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Api-Version': '1.47' });
      res.end('OK');
      return;
    }
    if (imageRoute(request, res) || containerRoute(request, res, input) || execRoute(request, res, input))
      return;
    json(res, 404, { message: 'page not found' });
  }

  /** `Upgrade: tcp` requests: the body comes with the upgraded bytes; the rest of them is stdin. */
  function routeUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    hijacked.add(socket);
    socket.on('close', () => hijacked.delete(socket));
    socket.on('error', () => {});
    const url = new URL(req.url ?? '/', 'http://docker');
    const length = Number(req.headers['content-length'] ?? 0);
    let buffered = head;
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length >= length) proceed();
    };
    const proceed = () => {
      socket.off('data', onData);
      const body = parseBody(buffered.subarray(0, length));
      const rest = buffered.subarray(length);
      const request = record(req, url, body);
      const match = `${request.method} ${request.path}`.match(/^POST \/exec\/([^/]+)\/start$/);
      const exec = match ? execs.get(match[1]!) : undefined;
      const rawError = (status: string, message: string) => {
        const text = JSON.stringify({ message });
        socket.end(
          `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
        );
      };
      if (!exec) {
        rawError('404 Not Found', match ? `No such exec instance: ${match[1]}` : 'page not found');
        return;
      }
      if (exec.started) {
        rawError('409 Conflict', 'exec already started');
        return;
      }
      const tty = isRecord(body) && body.Tty === true;
      const contentType = tty
        ? 'application/vnd.docker.raw-stream'
        : 'application/vnd.docker.multiplexed-stream';
      socket.write(
        `HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`,
      );
      if (rest.length > 0) socket.unshift(rest);
      const sink: Sink = {
        write: (chunk) => {
          if (socket.writable) socket.write(chunk);
        },
        end: () => {
          if (socket.writable) socket.end();
        },
      };
      runExec(exec, sink, tty, socket);
    };
    if (buffered.length >= length) proceed();
    else socket.on('data', onData);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () =>
      routeRequest(req, res, new URL(req.url ?? '/', 'http://docker'), parseBody(Buffer.concat(chunks))),
    );
  });
  server.on('upgrade', routeUpgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });

  return {
    socketPath,
    requests,
    client: () => new Dockerode({ socketPath }),
    waitForRequest(predicate) {
      const found = requests.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    killContainer(id) {
      const container = containers.get(id);
      if (!container) return;
      container.running = false;
      killProcesses(container);
    },
    containerIds: () => [...containers.keys()],
    async close() {
      for (const container of containers.values()) killProcesses(container);
      for (const socket of hijacked) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
