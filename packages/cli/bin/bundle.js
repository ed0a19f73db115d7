// The CLI's prebuilt bundle (packages/cli/dist, written by scripts/build-cli.ts) and whether it
// still matches what it was built from. Plain JS with node built-ins only: bin/aura.js decides
// before any TypeScript loads.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const bundleDirectory = fileURLToPath(new URL('../dist/', import.meta.url));
export const manifestName = 'manifest.json';
export const manifestFormat = 1;

/**
 * A file's identity as the file system keeps it. The change time moves on every write, rename or
 * re-install (npm gives every package file the same modification time, so that one would not).
 */
export function fileStamp(path) {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats ? `${stats.size}:${stats.ctimeMs}` : undefined;
}

/**
 * The bundle's entry file when every input the manifest lists is as it was at build time;
 * otherwise why the sources must run instead.
 */
export function checkBundle(directory = bundleDirectory) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(directory, manifestName), 'utf8'));
  } catch {
    return { stale: 'no bundle is built' };
  }
  if (manifest?.format !== manifestFormat || !Array.isArray(manifest.inputs)) {
    return { stale: 'the bundle was built by another version' };
  }
  for (const [path, stamp] of manifest.inputs) {
    const now = fileStamp(join(directory, path));
    if (now !== stamp) return { stale: `${path} ${now ? 'changed' : 'is gone'} since the bundle was built` };
  }
  return { entry: join(directory, manifest.entry) };
}
