import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

const cache = new Map<string, string | undefined>();

/** Finds an executable on PATH (like `which`), or undefined. Results are cached per PATH value. */
export function findExecutable(name: string, searchPath = process.env.PATH ?? ''): string | undefined {
  const key = `${name}\0${searchPath}`;
  if (cache.has(key)) return cache.get(key);
  let found: string | undefined;
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (!statSync(candidate).isFile()) continue;
      found = candidate;
      break;
    } catch {
      // not here
    }
  }
  cache.set(key, found);
  return found;
}
