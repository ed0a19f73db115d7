import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { chmod, chown, mkdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { findExecutable } from './host.ts';

/**
 * bwrap, run as the sandbox user, can only mount what that user can reach: every directory above a
 * bind source must grant it search permission (bwrap 0.8 resolves even `--bind-fd` sources by path).
 * A workspace under /root, or under a 0700 data dir, is out of reach. Such sources are "staged":
 * bind-mounted once (by the server, as root) onto a directory only root and the sandbox group can
 * traverse, and unmounted when the sandbox is disposed.
 *
 * Staged mount points are never removed recursively — an `rm -r` through a live bind mount would
 * delete the workspace — only unmounted and `rmdir`ed.
 */

interface Identity {
  uid: number;
  gid: number;
}

/** Whether `user` may traverse every directory above `target` (mode bits; ACLs are not consulted). */
export function reachableBy(target: string, user: Identity): boolean {
  let dir = path.dirname(path.resolve(target));
  for (;;) {
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(dir);
    } catch {
      return false;
    }
    const mode = stats.mode;
    const search =
      stats.uid === user.uid ? mode & 0o100 : stats.gid === user.gid ? mode & 0o010 : mode & 0o001;
    if (!search) return false;
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

function run(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 15_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(stderr.trim() || error.message));
      else resolve();
    });
  });
}

/** Mount points currently under `root`, deepest first. */
export function mountsUnder(root: string): string[] {
  let info: string;
  try {
    info = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return info
    .split('\n')
    .map((line) => line.split(' ')[4]?.replace(/\\040/g, ' '))
    .filter((point): point is string => point?.startsWith(prefix) === true)
    .sort((a, b) => b.length - a.length);
}

export class StagedMounts {
  readonly #dir: string;
  readonly #points: string[] = [];

  /** `dir`: a fresh directory for this sandbox's mount points. */
  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Takes a fresh, empty directory: root-owned, made traversable by the sandbox group only. */
  static async create(dir: string, user: Identity): Promise<StagedMounts> {
    await chown(dir, 0, user.gid);
    await chmod(dir, 0o710);
    return new StagedMounts(dir);
  }

  /** Bind-mounts `source` under the staging directory and returns where. */
  async stage(name: string, source: string): Promise<string> {
    const mount = findExecutable('mount');
    if (!mount)
      throw new Error(`${source} is not reachable by the sandbox user and mount(8) is not installed.`);
    const point = path.join(this.#dir, name);
    await mkdir(point);
    try {
      await run(mount, ['--bind', source, point]);
    } catch (error) {
      await rmdir(point).catch(() => {});
      throw new Error(`Could not stage ${source} for the sandbox: ${(error as Error).message}`);
    }
    this.#points.push(point);
    return point;
  }

  /** Unmounts everything staged (lazily if still busy) and removes the empty directories. */
  async release(): Promise<void> {
    await unmountAll([...this.#points].reverse());
    this.#points.length = 0;
    await rmdir(this.#dir).catch(() => {});
  }
}

/** Unmounts `points` (lazily when busy) and removes each now-empty mount point. */
export async function unmountAll(points: string[]): Promise<void> {
  const umount = findExecutable('umount');
  for (const point of points) {
    if (umount) await run(umount, [point]).catch(() => run(umount, ['-l', point]).catch(() => {}));
    await rmdir(point).catch(() => {});
  }
}
