import { stat } from 'node:fs/promises';
import { walkWorkspace } from '../tool/walk.ts';

/** path → size:mtime of every file outside skipped dirs, to tell which files a phase changed. */
export async function snapshotFiles(workspace: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for await (const entry of walkWorkspace(workspace, { maxEntries: 20_000 })) {
    if (entry.kind !== 'file' || entry.relative.startsWith('.aura/')) continue;
    const info = await stat(entry.absolute).catch(() => undefined);
    if (info) files.set(entry.relative, `${info.size}:${info.mtimeMs}`);
  }
  return files;
}

export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = [...after].filter(([path, sig]) => before.get(path) !== sig).map(([path]) => path);
  const deleted = [...before.keys()].filter((path) => !after.has(path));
  return [...changed, ...deleted].sort();
}
