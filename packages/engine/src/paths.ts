import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where sessions live: `--data`, else AURA_DATA_DIR, else `$XDG_DATA_HOME/aura`. */
export function dataDir(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit);
  if (env.AURA_DATA_DIR) return resolve(env.AURA_DATA_DIR);
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'aura');
}

export function sqliteFile(dir: string): string {
  return join(dir, 'aura.db');
}
