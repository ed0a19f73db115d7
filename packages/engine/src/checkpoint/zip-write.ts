import { realpath } from 'node:fs/promises';
import { Zip, ZipDeflate } from 'fflate';
import { ArchiveError } from './errors.ts';
import { listTree, openInside, type TreeEntry } from './tree.ts';
import type { ArchiveLimits } from './zip-read.ts';

export const defaultExportLimits: ArchiveLimits = { maxEntries: 50_000, maxTotalBytes: 512 * 1024 * 1024 };

export interface WorkspaceZip {
  /** The archive, produced file by file as it is read. */
  stream: ReadableStream<Uint8Array>;
  files: number;
  bytes: number;
}

const earliestZipTime = Date.UTC(1980, 0, 2);

/**
 * A zip of the workspace's regular files, without excluded directories (node_modules, .git, .aura,
 * caches) and without symbolic links. Limits are checked before the first byte is produced.
 */
export async function zipWorkspace(
  workspace: string,
  limits: ArchiveLimits = defaultExportLimits,
): Promise<WorkspaceZip> {
  const root = await realpath(workspace);
  const files = (await listTree(root, limits)).filter((entry) => entry.kind === 'file');
  const queue: Uint8Array[] = [];
  let finished = false;
  let failure: Error | undefined;
  const zip = new Zip((error, chunk, final) => {
    if (error) failure = error;
    else queue.push(chunk);
    if (final) finished = true;
  });
  let next = 0;

  async function add(entry: TreeEntry): Promise<void> {
    const handle = await openInside(root, entry.absolute);
    // Gone, or no longer a regular file inside the workspace: left out.
    if (!handle) return;
    try {
      const data = await handle.readFile();
      const file = new ZipDeflate(entry.relative, { level: 6 });
      file.os = 3;
      file.attrs = (0o100000 | (entry.mode & 0o111 ? 0o755 : 0o644)) << 16;
      file.mtime = Math.max(entry.mtimeMs, earliestZipTime);
      zip.add(file);
      file.push(data, true);
    } finally {
      await handle.close();
    }
  }

  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        while (queue.length === 0 && !finished && !failure) {
          const entry = files[next++];
          if (entry) await add(entry);
          else zip.end();
        }
      } catch (error) {
        failure = error instanceof Error ? error : new ArchiveError('bad_source', String(error));
      }
      if (failure) {
        controller.error(failure);
        return;
      }
      for (const chunk of queue.splice(0)) controller.enqueue(chunk);
      if (finished) controller.close();
    },
    cancel() {
      zip.terminate();
    },
  });
  return { stream, files: files.length, bytes: files.reduce((sum, f) => sum + f.size, 0) };
}
