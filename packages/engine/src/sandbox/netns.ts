import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { chown, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findExecutable } from './host.ts';
import type { Endpoint } from './types.ts';

/**
 * A network namespace of its own for one sandbox, so commands with the network on reach the
 * internet (package installs) but not the host's loopback services (databases, Aura itself, other
 * projects' dev servers) nor other sandboxes.
 *
 * pasta (passt) creates the namespace as the sandbox user and NATs its traffic through host
 * sockets; `--no-map-gw` keeps the host's loopback out of reach, and no port is forwarded in
 * either direction. A `sleep` inside holds the namespace; commands join it with nsenter (as root,
 * before dropping to the sandbox user). The server reaches a dev server listening inside through
 * a per-port UNIX socket that socat serves from within the namespace.
 */

export interface NetnsTools {
  pasta: string;
  nsenter: string;
  socat: string;
  setpriv: string;
}

/** Whether sandboxes of a server can have a network of their own: the tools, or why not. */
export function privateNetworkSupport(
  dropsPrivileges: boolean,
  setpriv: string | undefined,
): { tools: NetnsTools } | { reason: string } {
  if (!dropsPrivileges)
    return { reason: 'a server that is not root cannot give sandboxes a network namespace of their own' };
  const tools = findNetnsTools(setpriv);
  return 'missing' in tools ? { reason: `missing ${tools.missing}` } : { tools };
}

/** The tools a private network needs, or which are missing. */
export function findNetnsTools(setpriv: string | undefined): NetnsTools | { missing: string } {
  const found = {
    pasta: findExecutable('pasta'),
    nsenter: findExecutable('nsenter'),
    socat: findExecutable('socat'),
    setpriv,
  };
  const missing = Object.entries(found)
    .filter(([, file]) => file === undefined)
    .map(([name]) => (name === 'pasta' ? 'pasta (apt-get install passt)' : name));
  if (missing.length > 0) return { missing: missing.join(', ') };
  return found as NetnsTools;
}

interface Forward {
  child: ChildProcess;
  socketPath: string;
  ready: Promise<void>;
}

const START_TIMEOUT_MS = 5_000;
/** Without an IPv4 route on the host, pasta configures none either: stop waiting for one. */
const ROUTE_WAIT_MS = 2_000;

export class SandboxNetwork {
  readonly #tools: NetnsTools;
  readonly #user: { uid: number; gid: number };
  readonly #pasta: ChildProcess;
  readonly #holder: number;
  readonly #socketDir: string;
  readonly #forwards = new Map<number, Forward>();
  #disposed = false;

  private constructor(
    tools: NetnsTools,
    user: { uid: number; gid: number },
    pasta: ChildProcess,
    holder: number,
    socketDir: string,
  ) {
    this.#tools = tools;
    this.#user = user;
    this.#pasta = pasta;
    this.#holder = holder;
    this.#socketDir = socketDir;
  }

  /** Starts pasta and waits until the namespace has its interface configured. */
  static async start(
    tools: NetnsTools,
    user: { uid: number; gid: number },
    stateDir: string,
  ): Promise<SandboxNetwork> {
    const socketDir = path.join(stateDir, 'ports');
    await mkdir(socketDir, { mode: 0o700 });
    await chown(socketDir, user.uid, user.gid);
    // Both pasta and the holder die with their parent, so a crashed server leaves neither behind.
    const pasta = spawn(
      tools.setpriv,
      [
        '--pdeathsig=KILL',
        '--',
        tools.pasta,
        '--foreground',
        '--quiet',
        '--config-net',
        '--no-map-gw',
        ...['--tcp-ports', 'none', '--udp-ports', 'none', '--tcp-ns', 'none', '--udp-ns', 'none'],
        '--',
        tools.setpriv,
        '--pdeathsig=KILL',
        '--',
        'sleep',
        'infinity',
      ],
      { uid: user.uid, gid: user.gid, stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: '/usr/bin:/bin' } },
    );
    let stderr = '';
    pasta.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    const spawnError = new Promise<Error>((resolve) => pasta.once('error', resolve));
    try {
      const holder = await Promise.race([
        waitForHolder(pasta),
        spawnError.then((error) => Promise.reject(error)),
      ]);
      return new SandboxNetwork(tools, user, pasta, holder, socketDir);
    } catch (error) {
      pasta.kill('SIGKILL');
      const detail = meaningfulLines(stderr) || (error as Error).message;
      throw new Error(`Could not give the sandbox its own network (pasta): ${detail}`);
    }
  }

  /** The namespace file commands join (`nsenter --net=…`). */
  get path(): string {
    return `/proc/${this.#holder}/ns/net`;
  }

  get alive(): boolean {
    return !this.#disposed && this.#pasta.exitCode === null && this.#pasta.signalCode === null;
  }

  /** `nsenter --net=… --`: put in front of a command to run it inside the namespace. */
  enter(): string[] {
    if (!this.alive) throw new Error('The sandbox network has stopped; restart the sandbox.');
    return [this.#tools.nsenter, `--net=${this.path}`, '--'];
  }

  /** A UNIX socket on the host that connects to 127.0.0.1:`port` inside the namespace. */
  async endpoint(port: number): Promise<Endpoint> {
    if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`Invalid port ${port}.`);
    let forward = this.#forwards.get(port);
    if (!forward || forward.child.exitCode !== null || forward.child.signalCode !== null) {
      forward = this.#forward(port);
      this.#forwards.set(port, forward);
    }
    await forward.ready;
    return { socketPath: forward.socketPath };
  }

  #forward(port: number): Forward {
    const socketPath = path.join(this.#socketDir, `${port}.sock`);
    const { uid, gid } = this.#user;
    const child = spawn(
      this.#tools.nsenter,
      [
        `--net=${this.path}`,
        '--',
        this.#tools.setpriv,
        `--reuid=${uid}`,
        `--regid=${gid}`,
        '--clear-groups',
        '--no-new-privs',
        '--pdeathsig=KILL',
        '--',
        this.#tools.socat,
        `UNIX-LISTEN:${socketPath},fork,mode=600,unlink-early`,
        `TCP:127.0.0.1:${port}`,
      ],
      { stdio: 'ignore', env: { PATH: '/usr/bin:/bin' } },
    );
    child.on('error', () => {});
    const ready = (async () => {
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (!existsSync(socketPath)) {
        if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline)
          throw new Error(`Could not reach port ${port} inside the sandbox (socat did not start).`);
        await sleep(5);
      }
    })();
    ready.catch(() => {});
    return { child, socketPath, ready };
  }

  dispose(): void {
    this.#disposed = true;
    for (const forward of this.#forwards.values()) forward.child.kill('SIGKILL');
    this.#forwards.clear();
    // pasta exits with its holder; killing both makes it immediate.
    try {
      process.kill(this.#holder, 'SIGKILL');
    } catch {}
    this.#pasta.kill('SIGKILL');
  }
}

/** The holder is pasta's child; it is ready once it sits in a namespace of its own with a route. */
async function waitForHolder(pasta: ChildProcess): Promise<number> {
  const started = Date.now();
  const ownNamespace = readlinkSync('/proc/self/ns/net');
  let holder: number | undefined;
  for (;;) {
    if (pasta.exitCode !== null || pasta.signalCode !== null)
      throw new Error(`pasta exited (${pasta.exitCode ?? pasta.signalCode})`);
    const elapsed = Date.now() - started;
    if (elapsed > START_TIMEOUT_MS) throw new Error('pasta did not set up the namespace in time');
    holder ??= childOf(pasta.pid);
    if (holder !== undefined && namespaceOf(holder) !== undefined && namespaceOf(holder) !== ownNamespace) {
      if (hasRoute(holder) || elapsed > ROUTE_WAIT_MS) return holder;
    }
    await sleep(5);
  }
}

function childOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

function namespaceOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined;
  }
}

function hasRoute(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/net/route`, 'utf8').trim().split('\n').length > 1;
  } catch {
    return false;
  }
}

/** pasta's stderr without its syslog noise. */
function meaningfulLines(text: string): string {
  return text
    .split('\n')
    .filter((line) => line.trim() && !/syslog/i.test(line))
    .join('; ');
}
