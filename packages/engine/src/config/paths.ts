import { homedir } from 'node:os';
import { join } from 'node:path';

export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'aura', 'config.yaml');
}

export function projectConfigPath(dir: string): string {
  return join(dir, '.aura', 'config.yaml');
}
