import { readPrivateJson, writePrivateJson } from './private-file.ts';

interface TokenFile {
  servers: Record<string, { token: string; savedAt: number }>;
}

/** Tokens in a JSON file only the user can read: the store when no system keychain is available. */
export class FileTokenStore {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  async get(server: string): Promise<string | undefined> {
    const entry = (await this.#read()).servers[server];
    return typeof entry?.token === 'string' ? entry.token : undefined;
  }

  async set(server: string, token: string): Promise<void> {
    const file = await this.#read();
    file.servers[server] = { token, savedAt: Date.now() };
    await writePrivateJson(this.path, file);
  }

  async delete(server: string): Promise<boolean> {
    const file = await this.#read();
    if (!(server in file.servers)) return false;
    delete file.servers[server];
    await writePrivateJson(this.path, file);
    return true;
  }

  async #read(): Promise<TokenFile> {
    const raw = await readPrivateJson(this.path);
    const servers = (raw as Partial<TokenFile> | undefined)?.servers;
    return { servers: servers && typeof servers === 'object' ? { ...servers } : {} };
  }
}
