import { homedir } from 'node:os';
import { join } from 'node:path';
import { RemoteError } from './errors.ts';
import { FileTokenStore } from './file-store.ts';
import { readPrivateJson, writePrivateJson } from './private-file.ts';
import { type KeychainLookup, SecretServiceStore } from './secret-service.ts';
import { normalizeServer } from './server-url.ts';

export interface RemoteUser {
  email: string | null;
  name: string | null;
}

export type TokenStoreKind = 'keychain' | 'file';

/** What is known about a server without reading its token (it may sit in a locked keychain). */
export interface SavedServer {
  server: string;
  store: TokenStoreKind;
  user?: RemoteUser;
  /** `aura_pat_` and six more characters, as the web IDE lists tokens: enough to tell them apart. */
  tokenPrefix: string;
  savedAt: number;
  isDefault: boolean;
}

export interface Credentials {
  server: string;
  token: string;
  user?: RemoteUser;
  /** Where the token came from: AURA_TOKEN, the keychain or the file. */
  source: 'env' | TokenStoreKind;
}

export interface SaveResult {
  store: TokenStoreKind;
  /** Where, in words: "the system keychain (Secret Service)" or the file's path. */
  location: string;
  /** Why the keychain was not used, when it was not. */
  fallbackReason?: string;
}

interface ServerIndex {
  default?: string;
  servers: Record<string, Omit<SavedServer, 'server' | 'isDefault'>>;
}

/**
 * `$XDG_CONFIG_HOME/aura`, where config.yaml also lives (the engine's userConfigPath), worked out
 * here so that auth commands do not load the engine.
 */
function configDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'aura');
}

/** `aura_pat_` plus six: what the server itself shows of a token. */
export const tokenPrefixOf = (token: string) => token.slice(0, 'aura_pat_'.length + 6);

/**
 * The CLI's logins: a token per server in the system keychain (Secret Service) when one works,
 * else in `credentials.json` (mode 0600), plus `servers.json`, which holds no secret: which store
 * has each server's token, who it belongs to, and the default server (the last logged in).
 * `AURA_TOKEN` / `AURA_SERVER` override both, for CI.
 *
 * `AURA_CREDENTIALS_STORE=file` never uses the keychain; `=keychain` requires it.
 */
export class CredentialStore {
  readonly dir: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #file: FileTokenStore;
  /** Where new tokens go (probed), and where stored ones are read (located only). */
  #keychainForSaving: Promise<KeychainLookup> | undefined;
  #keychainForReading: Promise<KeychainLookup> | undefined;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.#env = env;
    this.dir = configDir(env);
    this.#file = new FileTokenStore(join(this.dir, 'credentials.json'));
  }

  get indexPath(): string {
    return join(this.dir, 'servers.json');
  }

  get filePath(): string {
    return this.#file.path;
  }

  /** Saves a verified token as the server's login and makes it the default server. */
  async save(serverUrl: string, token: string, user?: RemoteUser): Promise<SaveResult> {
    const server = normalizeServer(serverUrl);
    const index = await this.#readIndex();
    const previous = index.servers[server];
    this.#keychainForSaving ??= this.#chooseKeychain(SecretServiceStore.detect);
    const keychain = await this.#keychainForSaving;
    const store: TokenStoreKind = keychain.store ? 'keychain' : 'file';
    if (keychain.store) await keychain.store.set(server, token);
    else await this.#file.set(server, token);
    // A login that moved between stores must not leave the old token behind.
    if (previous && previous.store !== store)
      await this.#deleteToken(server, previous.store).catch(() => false);
    index.servers[server] = {
      store,
      ...(user ? { user } : {}),
      tokenPrefix: tokenPrefixOf(token),
      savedAt: Date.now(),
    };
    index.default = server;
    await writePrivateJson(this.indexPath, index);
    return {
      store,
      location: store === 'keychain' ? 'the system keychain (Secret Service)' : this.#file.path,
      ...(keychain.store ? {} : { fallbackReason: keychain.reason }),
    };
  }

  async list(): Promise<SavedServer[]> {
    const index = await this.#readIndex();
    return Object.entries(index.servers)
      .map(([server, entry]) => ({ server, ...entry, isDefault: server === index.default }))
      .sort((a, b) => b.savedAt - a.savedAt);
  }

  /** `AURA_SERVER`, else the last server logged in to. */
  async defaultServer(): Promise<string | undefined> {
    if (this.#env.AURA_SERVER) return normalizeServer(this.#env.AURA_SERVER);
    return (await this.#readIndex()).default;
  }

  /**
   * The token to use for `serverUrl` (default: `defaultServer()`). `AURA_TOKEN` is used for
   * `AURA_SERVER` when both are set, or for any server when only it is; otherwise the saved login.
   */
  async resolve(serverUrl?: string): Promise<Credentials> {
    const envServer = this.#env.AURA_SERVER ? normalizeServer(this.#env.AURA_SERVER) : undefined;
    const server = serverUrl ? normalizeServer(serverUrl) : await this.defaultServer();
    if (!server) {
      throw new RemoteError(
        'not_logged_in',
        'No server given and none logged in. Run: aura auth login --server URL (or set AURA_SERVER and AURA_TOKEN).',
      );
    }
    const envToken = this.#env.AURA_TOKEN?.trim();
    if (envToken && (!envServer || envServer === server)) return { server, token: envToken, source: 'env' };
    return this.saved(server);
  }

  /** The saved login for a server, whatever the environment says. */
  async saved(serverUrl: string): Promise<Credentials> {
    const server = normalizeServer(serverUrl);
    const entry = (await this.#readIndex()).servers[server];
    if (!entry)
      throw new RemoteError(
        'not_logged_in',
        `Not logged in to ${server}. Run: aura auth login --server ${server}`,
      );
    const token = await this.#readToken(server, entry.store);
    if (!token) {
      throw new RemoteError(
        'credentials',
        `The token for ${server} is missing from ${entry.store === 'keychain' ? 'the system keychain' : this.#file.path}. Run: aura auth login --server ${server}`,
      );
    }
    return { server, token, ...(entry.user ? { user: entry.user } : {}), source: entry.store };
  }

  /** Forgets a server's login (its token and its entry); undefined when there was none. */
  async remove(serverUrl: string): Promise<SavedServer | undefined> {
    const server = normalizeServer(serverUrl);
    const index = await this.#readIndex();
    const entry = index.servers[server];
    if (!entry) return undefined;
    await this.#deleteToken(server, entry.store);
    delete index.servers[server];
    if (index.default === server) {
      const newest = Object.entries(index.servers).sort(([, a], [, b]) => b.savedAt - a.savedAt)[0];
      if (newest) index.default = newest[0];
      else delete index.default;
    }
    await writePrivateJson(this.indexPath, index);
    return { server, ...entry, isDefault: false };
  }

  async #readToken(server: string, store: TokenStoreKind): Promise<string | undefined> {
    if (store === 'file') return this.#file.get(server);
    const keychain = await this.#storedTokensKeychain();
    if (!keychain.store) {
      throw new RemoteError(
        'credentials',
        `The token for ${server} is in the system keychain, which cannot be used here: ${keychain.reason}. Log in again to store it in a file, or set AURA_TOKEN.`,
      );
    }
    return keychain.store.get(server);
  }

  async #deleteToken(server: string, store: TokenStoreKind): Promise<boolean> {
    if (store === 'file') return this.#file.delete(server);
    const keychain = await this.#storedTokensKeychain();
    if (!keychain.store)
      throw new RemoteError(
        'credentials',
        `The token for ${server} is in the system keychain, which cannot be used here: ${keychain.reason}.`,
      );
    return keychain.store.delete(server);
  }

  /** The keychain holding stored tokens: no write test before each read, as saving has. */
  #storedTokensKeychain(): Promise<KeychainLookup> {
    this.#keychainForReading ??= this.#chooseKeychain(SecretServiceStore.locate);
    return this.#keychainForReading;
  }

  async #chooseKeychain(find: (env: NodeJS.ProcessEnv) => Promise<KeychainLookup>): Promise<KeychainLookup> {
    const choice = this.#env.AURA_CREDENTIALS_STORE;
    if (choice === 'file') return { reason: 'AURA_CREDENTIALS_STORE=file' };
    const detected = await find(this.#env);
    if (choice === 'keychain' && !detected.store)
      throw new RemoteError('credentials', `AURA_CREDENTIALS_STORE=keychain, but ${detected.reason}.`);
    return detected;
  }

  async #readIndex(): Promise<ServerIndex> {
    const raw = (await readPrivateJson(this.indexPath)) as Partial<ServerIndex> | undefined;
    const servers = raw?.servers && typeof raw.servers === 'object' ? { ...raw.servers } : {};
    return { ...(typeof raw?.default === 'string' ? { default: raw.default } : {}), servers };
  }
}
