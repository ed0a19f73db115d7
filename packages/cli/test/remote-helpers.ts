import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliResult, runProgram } from './cli-helpers.ts';

/** Test-only helpers for remote mode: aura with stdin, a TCP proxy that can cut connections, a headless keychain. */

/** A loopback TCP proxy in front of `target`; `cut()` destroys every open connection, like a network failure. */
export interface CuttableProxy {
  readonly url: string;
  /** How many connections have been accepted so far. */
  readonly accepted: number;
  cut(): void;
  close(): Promise<void>;
}

export async function cuttableProxy(target: string): Promise<CuttableProxy> {
  const { hostname, port } = new URL(target);
  const open = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted += 1;
    const upstream = connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    get accepted() {
      return accepted;
    },
    cut() {
      for (const socket of open) socket.destroy();
    },
    async close() {
      for (const socket of open) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/**
 * A private D-Bus session bus with an unlocked GNOME Keyring on it, as a desktop session has:
 * `dbus-daemon` (a session bus) and `gnome-keyring-daemon --foreground --unlock --components=secrets`
 * (Debian packages dbus, gnome-keyring, libsecret-tools for secret-tool). Each runs until `stop()`.
 */
export interface HeadlessKeychain {
  /** DBUS_SESSION_BUS_ADDRESS and the HOME / XDG_RUNTIME_DIR the keyring keeps its files in. */
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startHeadlessKeychain(): Promise<HeadlessKeychain> {
  const home = await mkdtemp(join(tmpdir(), 'aura-keyring-'));
  const baseEnv = { PATH: process.env.PATH, HOME: home, XDG_RUNTIME_DIR: home, LANG: 'C.UTF-8' };
  const busConfig = join(home, 'bus.conf');
  await writeFile(busConfig, busConfigWithoutActivation(home));
  const bus = spawn('dbus-daemon', [`--config-file=${busConfig}`, '--nofork', '--print-address=1'], {
    env: baseEnv,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const address = await firstLine(bus);
  const env = { ...baseEnv, DBUS_SESSION_BUS_ADDRESS: address };
  const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
    env,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // The login keyring's password, on stdin: it is created and unlocked without a prompt.
  keyring.stdin.end('test-keyring-password');
  await waitForSecretService(env);
  return {
    env,
    async stop() {
      for (const child of [keyring, bus]) {
        if (child.exitCode === null) {
          child.kill('SIGTERM');
          await once(child, 'exit');
        }
      }
    },
  };
}

/**
 * A session bus that starts no service on demand. With the standard session config, a lookup made
 * before our keyring has claimed its name makes the bus launch Debian's own gnome-keyring-daemon,
 * whose login collection is locked: every later store then fails with "locked collection".
 */
function busConfigWithoutActivation(directory: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${directory}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`dbus-daemon exited (${code}) before printing its address`)));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const newline = text.indexOf('\n');
      if (newline !== -1) resolve(text.slice(0, newline).trim());
    });
  });
}

/** Polls with secret-tool until the keyring answers a lookup (it registers on the bus asynchronously). */
async function waitForSecretService(env: NodeJS.ProcessEnv): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const result = await secretTool(
      ['store', '--label=probe', 'service', 'aura-test', 'probe', '1'],
      env,
      'x',
    );
    if (result.code === 0) return;
    if (Date.now() > deadline) throw new Error(`the keyring did not come up: ${result.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs secret-tool with `input` on stdin. */
export function secretTool(args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<CliResult> {
  return runProgram('secret-tool', args, { env, input });
}
