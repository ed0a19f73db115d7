import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeBinary, looksBinary, SNIFF_BYTES } from './binary.ts';
import { formatBytes } from './text.ts';
import { ToolError } from './types.ts';

/** Text files larger than this are not loaded whole (read streams slices; edit refuses). */
export const MAX_TEXT_FILE_BYTES = 10 * 1024 * 1024;

/** A temp file next to `target`, so the final rename stays on one filesystem. */
export function tempPathFor(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.aura-${randomBytes(6).toString('hex')}.tmp`,
  );
}

/** Writes a file's full content in place atomically (temp + rename), creating parent directories. */
export async function atomicWriteFile(target: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temp = await writeTemp(target, content);
  try {
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

/** Writes `content` to a fresh temp file beside `target` (keeping an existing target's mode). */
export async function writeTemp(target: string, content: string | Uint8Array): Promise<string> {
  const temp = tempPathFor(target);
  let mode: number | undefined;
  try {
    mode = (await stat(target)).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  try {
    await writeFile(temp, content, { flag: 'wx', mode: mode ?? 0o666 });
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  return temp;
}

export async function readSample(handle: FileHandle, bytes = SNIFF_BYTES): Promise<Uint8Array> {
  const buffer = Buffer.alloc(bytes);
  const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
  return buffer.subarray(0, bytesRead);
}

/**
 * Reads a whole text file for editing: refuses directories, binaries and files over the size cap
 * with a message saying why.
 */
export async function readTextForEdit(absolute: string, displayPath: string): Promise<string> {
  const handle = await open(absolute, 'r');
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new ToolError(`"${displayPath}" is a directory, not a file.`);
    if (!info.isFile()) throw new ToolError(`"${displayPath}" is not a regular file.`);
    if (info.size > MAX_TEXT_FILE_BYTES) {
      throw new ToolError(
        `"${displayPath}" is ${formatBytes(info.size)}, larger than the ${formatBytes(MAX_TEXT_FILE_BYTES)} limit for editing text files.`,
      );
    }
    const sample = await readSample(handle);
    if (looksBinary(sample)) {
      throw new ToolError(
        `"${displayPath}" is a binary file (${describeBinary(sample, info.size, displayPath)}); it cannot be edited as text.`,
      );
    }
    return (await handle.readFile()).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Reads an existing text file for a diff, or undefined when it is missing, binary or too large. */
export async function readTextIfSmall(absolute: string): Promise<string | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(absolute, 'r');
  } catch {
    return undefined;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > MAX_TEXT_FILE_BYTES) return undefined;
    if (looksBinary(await readSample(handle))) return undefined;
    return (await handle.readFile()).toString('utf8');
  } finally {
    await handle.close();
  }
}
