import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { RemoteError } from './errors.ts';

/** A keychain that does not answer within this long (a locked one waiting on a prompt) is not used. */
const TOOL_TIMEOUT_MS = 10_000;

interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The keychain store, or why it is not used. */
export type KeychainLookup = { store: SecretServiceStore } | { store?: undefined; reason: string };

/**
 * Tokens in the desktop keychain through the Secret Service (GNOME Keyring, KWallet, KeePassXC),
 * driven by libsecret's `secret-tool` with the attributes `service=aura server=<origin>`. The
 * token goes to the tool on stdin, never in its arguments, where other users could see it.
 */
export class SecretServiceStore {
  readonly #tool: string;
  readonly #env: NodeJS.ProcessEnv;

  constructor(tool: string, env: NodeJS.ProcessEnv) {
    this.#tool = tool;
    this.#env = env;
  }

  /**
   * The store when `secret-tool` is on PATH and a session bus is set; otherwise why not, for the
   * person to read. Enough to read or delete a token: a broken keychain says so when used.
   */
  static async locate(env: NodeJS.ProcessEnv): Promise<KeychainLookup> {
    if (!env.DBUS_SESSION_BUS_ADDRESS)
      return { reason: 'no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)' };
    const tool = await findOnPath('secret-tool', env.PATH ?? '');
    if (!tool) return { reason: 'secret-tool is not installed (Debian/Ubuntu: libsecret-tools)' };
    return { store: new SecretServiceStore(tool, env) };
  }

  /**
   * As locate, and only when a write-read-delete round trip works: where a new token goes, so a
   * keychain that cannot keep it is never chosen.
   */
  static async detect(env: NodeJS.ProcessEnv): Promise<KeychainLookup> {
    const located = await SecretServiceStore.locate(env);
    if (!located.store) return located;
    const problem = await located.store.#probe();
    return problem ? { reason: `the keychain did not work: ${problem}` } : located;
  }

  async get(server: string): Promise<string | undefined> {
    const result = await this.#run(['lookup', 'service', 'aura', 'server', server]);
    const token = result.stdout.trim();
    if (result.code === 0 && token) return token;
    // secret-tool says nothing when there is no such item, and explains real failures on stderr.
    if (!result.stderr.trim()) return undefined;
    throw new RemoteError(
      'credentials',
      `The system keychain could not be read: ${firstLine(result.stderr)}`,
    );
  }

  async set(server: string, token: string): Promise<void> {
    const result = await this.#run(
      ['store', `--label=Aura API token for ${server}`, 'service', 'aura', 'server', server],
      token,
    );
    if (result.code !== 0)
      throw new RemoteError(
        'credentials',
        `The token could not be saved in the system keychain: ${firstLine(result.stderr) || `secret-tool exited with ${result.code}`}`,
      );
  }

  async delete(server: string): Promise<boolean> {
    const existed = (await this.get(server)) !== undefined;
    const result = await this.#run(['clear', 'service', 'aura', 'server', server]);
    if (result.code !== 0 && result.stderr.trim())
      throw new RemoteError(
        'credentials',
        `The system keychain could not be changed: ${firstLine(result.stderr)}`,
      );
    return existed;
  }

  /** Stores, reads back and clears a throwaway item; a problem description, or undefined when it worked. */
  async #probe(): Promise<string | undefined> {
    const attributes = ['service', 'aura', 'probe', randomBytes(6).toString('hex')];
    const value = randomBytes(12).toString('hex');
    try {
      const stored = await this.#run(['store', '--label=Aura keychain check', ...attributes], value);
      if (stored.code !== 0)
        return firstLine(stored.stderr) || `secret-tool store exited with ${stored.code}`;
      const read = await this.#run(['lookup', ...attributes]);
      if (read.stdout.trim() !== value) return firstLine(read.stderr) || 'a stored value did not read back';
      await this.#run(['clear', ...attributes]);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  #run(args: string[], input?: string): Promise<ToolResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.#tool, args, { env: this.#env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new RemoteError(
            'credentials',
            `the system keychain did not answer within ${TOOL_TIMEOUT_MS / 1000} s`,
          ),
        );
      }, TOOL_TIMEOUT_MS);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new RemoteError('credentials', `secret-tool could not be started: ${error.message}`));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      child.stdin.on('error', () => {});
      child.stdin.end(input ?? '');
    });
  }
}

async function findOnPath(name: string, path: string): Promise<string | undefined> {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}
