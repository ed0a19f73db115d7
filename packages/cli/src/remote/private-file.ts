import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RemoteError } from './errors.ts';

/**
 * Reads a JSON file only its owner may read (mode 0600 or narrower, a regular file owned by this
 * user); undefined when it does not exist. Anything wider is refused rather than used: the file
 * may hold tokens that others could already have copied.
 */
export async function readPrivateJson(path: string): Promise<unknown> {
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RemoteError('credentials', `Cannot read ${path}: ${(error as Error).message}`);
  }
  if (!info.isFile())
    throw new RemoteError('credentials', `${path} is not a regular file: refusing to read tokens from it.`);
  const mode = info.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new RemoteError(
      'credentials',
      `${path} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}), so aura refuses to use it. Run chmod 600 ${path}, or delete it and log in again (and revoke the tokens it held if others may have read them).`,
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid)
    throw new RemoteError('credentials', `${path} belongs to another user: refusing to read tokens from it.`);
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new RemoteError('credentials', `${path} is not valid JSON. Delete it and log in again.`);
  }
}

/** Writes JSON atomically (a private temporary file renamed over the target), mode 0600. */
export async function writePrivateJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new RemoteError('credentials', `Cannot write ${path}: ${(error as Error).message}`);
  }
}
