import { type BigIntStats, constants, type Dirent, lstatSync, readdirSync } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Workspace ownership when the server (root) and the sandbox (an unprivileged uid) share a workspace.
 * The server writes files (REST API, agent tools, templates, checkpoint restores); commands must be
 * able to edit them, so such files are handed to the sandbox user. Root can read everything anyway.
 *
 * Handing over is race-safe against a sandboxed process swapping a directory for a symlink mid-walk:
 * every entry is opened without following a final symlink, its real path is read back from
 * /proc/self/fd and checked to be inside the workspace, and only then is it chowned through the fd.
 * Regular files with several hard links are left alone: a shared inode (a package cache) must never
 * become writable by one sandbox.
 */

export interface Owner {
  uid: number;
  gid: number;
}

/** Directories whose contents are assumed to be the sandbox's once the directory itself is. */
const TRUSTED_SUBTREES = new Set(['node_modules', '.git']);
const CONCURRENCY = 32;

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function needsChown(stats: { uid: number; gid: number; nlink: number; isFile(): boolean }, owner: Owner) {
  if (stats.uid === owner.uid && stats.gid === owner.gid) return false;
  return !(stats.isFile() && stats.nlink > 1);
}

/** Chowns one entry (never through a symlink, never outside `root`). True when it changed. */
export async function adoptEntry(root: string, target: string, owner: Owner): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(
      target,
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY,
    );
  } catch {
    // Symlinks (ELOOP), sockets (ENXIO) and entries that vanished are skipped.
    return false;
  }
  try {
    const stats = await handle.stat();
    if (!needsChown(stats, owner)) return false;
    const real = await readlink(`/proc/self/fd/${handle.fd}`);
    if (!isInside(root, real)) return false;
    await handle.chown(owner.uid, owner.gid);
    return true;
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}

/** Runs `task` over a growing queue with bounded concurrency. */
async function drain<T>(queue: T[], task: (item: T, push: (item: T) => void) => Promise<void>) {
  const push = (item: T) => queue.push(item);
  let busy = 0;
  const workers = Array.from({ length: CONCURRENCY }, async () => {
    for (;;) {
      const item = queue.pop();
      if (item === undefined) {
        // Others may still add work; yield until every worker is idle.
        if (busy === 0) return;
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      busy += 1;
      try {
        await task(item, push);
      } finally {
        busy -= 1;
      }
    }
  });
  await Promise.all(workers);
}

/**
 * Hands `target` and everything under it to `owner`. Returns how many entries changed.
 * `root` is the workspace's real path; nothing outside it is ever touched.
 */
export async function adoptTree(root: string, target: string, owner: Owner): Promise<number> {
  let changed = 0;
  await drain([target], async (entry, push) => {
    let stats: Awaited<ReturnType<typeof lstat>>;
    try {
      stats = await lstat(entry);
    } catch {
      return;
    }
    if (stats.isSymbolicLink()) return;
    if (needsChown(stats, owner) && (await adoptEntry(root, entry, owner))) changed += 1;
    if (!stats.isDirectory()) return;
    let names: string[];
    try {
      names = await readdir(entry);
    } catch {
      return;
    }
    for (const name of names) push(path.join(entry, name));
  });
  return changed;
}

interface KnownDir {
  ctimeNs: bigint;
  subdirs: string[];
}

/**
 * Finds, cheaply and repeatedly, what the server created in the workspace since the last look.
 * A directory whose ctime has not changed has had no entry added, removed or renamed, so only its
 * subdirectories are visited; `node_modules` and `.git` owned by the sandbox are not descended into.
 */
export class OwnershipTracker {
  readonly #root: string;
  readonly #owner: Owner;
  readonly #known = new Map<string, KnownDir>();

  constructor(root: string, owner: Owner) {
    this.#root = root;
    this.#owner = owner;
  }

  #stat(target: string): BigIntStats | undefined {
    try {
      return lstatSync(target, { bigint: true });
    } catch {
      return undefined;
    }
  }

  /** Entries and whole subtrees that need handing over (synchronous: usually a few lstat calls). */
  scan(): { entries: string[]; trees: string[] } {
    const entries: string[] = [];
    const trees: string[] = [];
    const owner = { uid: BigInt(this.#owner.uid), gid: BigInt(this.#owner.gid) };
    const stack = [this.#root];
    for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
      const stats = this.#stat(dir);
      if (!stats?.isDirectory()) {
        this.#known.delete(dir);
        continue;
      }
      if (stats.uid !== owner.uid) {
        trees.push(dir);
        this.#known.delete(dir);
        continue;
      }
      const known = this.#known.get(dir);
      if (known && known.ctimeNs === stats.ctimeNs) {
        stack.push(...known.subdirs);
        continue;
      }
      const subdirs: string[] = [];
      const pending = entries.length + trees.length;
      let dirents: Dirent[];
      try {
        dirents = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const dirent of dirents) {
        const child = path.join(dir, dirent.name);
        if (dirent.isSymbolicLink()) continue;
        if (dirent.isDirectory() && !TRUSTED_SUBTREES.has(dirent.name)) {
          subdirs.push(child);
          continue;
        }
        const childStats = this.#stat(child);
        if (!childStats) continue;
        if (dirent.isDirectory()) {
          if (childStats.uid !== owner.uid) trees.push(child);
        } else if (
          (childStats.uid !== owner.uid || childStats.gid !== owner.gid) &&
          !(childStats.isFile() && childStats.nlink > 1n)
        ) {
          entries.push(child);
        }
      }
      // A directory with entries still to hand over is listed again next time (scan has no side
      // effects a failed hand-over could hide).
      const clean = entries.length + trees.length === pending;
      this.#known.set(dir, { ctimeNs: clean ? stats.ctimeNs : -1n, subdirs });
      stack.push(...subdirs);
    }
    return { entries, trees };
  }

  /**
   * Hands over whatever the server created since the last sweep; resolves to how many entries
   * changed. Undefined when there is nothing to do, so callers can skip an await on the hot path.
   */
  sweep(): Promise<number> | undefined {
    const { entries, trees } = this.scan();
    if (entries.length === 0 && trees.length === 0) return undefined;
    return this.#adopt(entries, trees);
  }

  async #adopt(entries: string[], trees: string[]): Promise<number> {
    let changed = 0;
    for (const entry of entries) if (await adoptEntry(this.#root, entry, this.#owner)) changed += 1;
    for (const tree of trees) changed += await adoptTree(this.#root, tree, this.#owner);
    return changed;
  }
}
