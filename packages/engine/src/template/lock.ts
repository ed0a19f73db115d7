import { randomBytes } from 'node:crypto';
import { link, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';

/**
 * A lock file shared by processes (and hosts, on a shared data dir): created with O_EXCL, holding
 * its owner's pid, host and a random token, its mtime refreshed by a heartbeat. A lock whose
 * owner died (same host, pid gone) or whose heartbeat stopped (older than `staleMs`) can be
 * broken. Breaking is careful (rename, then check the token) but not perfect: in a rare race two
 * owners may both proceed, so what the lock guards must stay correct without it (the dependency
 * cache commits with an atomic rename; the lock only avoids duplicate installs).
 */
export interface LockOwner {
  pid: number;
  host: string;
  token: string;
}

export interface HeldLock {
  readonly path: string;
  readonly token: string;
  release(): Promise<void>;
}

const ownerOf = (text: string): LockOwner | undefined => {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') {
      return { pid: value.pid, host: value.host, token: value.token };
    }
  } catch {
    // a lock file cut short by a crash between create and write
  }
  return undefined;
};

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates the lock if nobody holds it; undefined when somebody does. */
export async function tryLock(path: string, staleMs: number): Promise<HeldLock | undefined> {
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') };
  try {
    await writeFile(path, JSON.stringify(owner), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  const beat = setInterval(
    () => {
      const now = new Date();
      utimes(path, now, now).catch(() => {});
    },
    Math.max(100, Math.floor(staleMs / 4)),
  );
  beat.unref();
  return {
    path,
    token: owner.token,
    async release() {
      clearInterval(beat);
      // Only remove our own lock (it may have been broken and re-taken meanwhile).
      const current = ownerOf(await readFile(path, 'utf8').catch(() => ''));
      if (current?.token === owner.token) await unlink(path).catch(() => {});
    },
  };
}

/** Whether the lock at `path` is held by a live owner; false also when there is no lock. */
async function isStale(path: string, staleMs: number): Promise<LockOwner | 'unreadable' | false> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, { mtimeMs }] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
  } catch {
    return false;
  }
  const owner = ownerOf(text);
  const silent = Date.now() - mtimeMs > staleMs;
  if (!owner) return silent ? 'unreadable' : false;
  if (owner.host === hostname() && !processAlive(owner.pid)) return owner;
  return silent ? owner : false;
}

/** Removes the lock at `path` if its owner is dead or silent; true when it did. */
export async function breakStaleLock(path: string, staleMs: number): Promise<boolean> {
  const stale = await isStale(path, staleMs);
  if (!stale) return false;
  const aside = `${path}.broken-${randomBytes(6).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return false; // someone else broke or released it first
  }
  const moved = ownerOf(await readFile(aside, 'utf8').catch(() => ''));
  const same = stale === 'unreadable' ? moved === undefined : moved?.token === stale.token;
  if (!same) {
    // We moved a lock taken after our check: put it back unless yet another one exists.
    await link(aside, path).catch(() => {});
    await unlink(aside).catch(() => {});
    return false;
  }
  await unlink(aside).catch(() => {});
  return true;
}
