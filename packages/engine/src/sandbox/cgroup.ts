import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { processAlive } from './process-group.ts';

/**
 * Per-sandbox cgroup v1 limits. One cgroup per controller, created under the server's own cgroup (so
 * whatever limits the server has still apply), named after the server's pid so leftovers of a crashed
 * server can be recognised and removed. Processes join by writing their pid to `cgroup.procs` before
 * they exec bwrap, so everything a command starts is counted from its first fork.
 */

export interface CgroupRequest {
  pids?: number;
  memoryBytes?: number;
  /** CPU share in cores (CFS quota). */
  cpus?: number;
}

export interface SandboxCgroup {
  /** `cgroup.procs` files a launcher writes its pid to. */
  readonly procsFiles: string[];
  /** The limits that are in force. */
  readonly active: CgroupRequest;
  /** Why a requested limit is not in force. */
  readonly notes: string[];
  /** SIGKILLs whatever is left in the cgroups and removes them. */
  remove(): Promise<void>;
}

const PREFIX = 'aura-sandbox-';
const CFS_PERIOD_US = 100_000;

/** Where each v1 controller's hierarchy is mounted: controller → {mount point, mount root}. */
function v1Mounts(): Map<string, { mountPoint: string; root: string }> {
  const mounts = new Map<string, { mountPoint: string; root: string }>();
  let info: string;
  try {
    info = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return mounts;
  }
  for (const line of info.split('\n')) {
    // "id parent major:minor root mountpoint options … - fstype source superoptions"
    const [before, after] = line.split(' - ');
    if (!before || !after) continue;
    const [fsType, , superOptions = ''] = after.split(' ');
    if (fsType !== 'cgroup') continue;
    const fields = before.split(' ');
    const root = fields[3];
    const mountPoint = fields[4];
    if (!root || !mountPoint) continue;
    for (const option of superOptions.split(',')) mounts.set(option, { mountPoint, root });
  }
  return mounts;
}

/** The server's own cgroup directory for a v1 controller, or undefined. */
function ownCgroupDir(controller: string, mounts: Map<string, { mountPoint: string; root: string }>) {
  const mount = mounts.get(controller);
  if (!mount) return undefined;
  let membership: string;
  try {
    membership = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of membership.split('\n')) {
    const [, controllers, cgroupPath] = line.split(':');
    if (!controllers || cgroupPath === undefined) continue;
    if (!controllers.split(',').includes(controller)) continue;
    const relative =
      mount.root !== '/' && cgroupPath.startsWith(mount.root)
        ? cgroupPath.slice(mount.root.length)
        : cgroupPath;
    return path.join(mount.mountPoint, relative);
  }
  return undefined;
}

/**
 * Removes cgroups left behind by servers that are no longer running, killing what is still in them:
 * a server killed while a sandbox was starting can leave that sandbox without a parent to die with.
 */
function removeStale(parent: string): void {
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of entries) {
    if (!name.startsWith(PREFIX)) continue;
    const owner = Number(name.slice(PREFIX.length).split('-')[0]);
    if (Number.isInteger(owner) && owner !== process.pid && !processAlive(owner))
      void removeCgroups([path.join(parent, name)]);
  }
}

async function writeLimit(dir: string, file: string, value: string): Promise<void> {
  await writeFile(path.join(dir, file), value);
}

interface Controller {
  name: 'pids' | 'memory' | 'cpu';
  wanted: boolean;
  apply(dir: string): Promise<void>;
}

/**
 * `joiner`: the uid/gid that will write its own pid to `cgroup.procs` (commands join after dropping
 * privileges). Only that file is handed over, never the limits.
 */
export async function createSandboxCgroup(
  request: CgroupRequest,
  joiner?: { uid: number; gid: number },
): Promise<SandboxCgroup> {
  const mounts = v1Mounts();
  const name = `${PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`;
  const controllers: Controller[] = [
    {
      name: 'pids',
      wanted: (request.pids ?? 0) > 0,
      apply: (dir) => writeLimit(dir, 'pids.max', String(request.pids)),
    },
    {
      name: 'memory',
      wanted: (request.memoryBytes ?? 0) > 0,
      apply: async (dir) => {
        await writeLimit(dir, 'memory.limit_in_bytes', String(request.memoryBytes));
        // With swap accounting, cap memory + swap too, or the limit only moves pages to swap.
        if (existsSync(path.join(dir, 'memory.memsw.limit_in_bytes')))
          await writeLimit(dir, 'memory.memsw.limit_in_bytes', String(request.memoryBytes)).catch(() => {});
      },
    },
    {
      name: 'cpu',
      wanted: (request.cpus ?? 0) > 0,
      apply: async (dir) => {
        await writeLimit(dir, 'cpu.cfs_period_us', String(CFS_PERIOD_US));
        await writeLimit(dir, 'cpu.cfs_quota_us', String(Math.round((request.cpus ?? 1) * CFS_PERIOD_US)));
      },
    },
  ];

  const dirs: string[] = [];
  const active: CgroupRequest = {};
  const notes: string[] = [];
  for (const controller of controllers) {
    if (!controller.wanted) continue;
    const parent = ownCgroupDir(controller.name, mounts);
    if (!parent) {
      notes.push(`cgroup v1 ${controller.name}: controller not mounted`);
      continue;
    }
    removeStale(parent);
    const dir = path.join(parent, name);
    try {
      await mkdir(dir);
    } catch (error) {
      notes.push(
        `cgroup v1 ${controller.name}: ${parent} is not writable (${(error as NodeJS.ErrnoException).code})`,
      );
      continue;
    }
    try {
      await controller.apply(dir);
      if (joiner) await chown(path.join(dir, 'cgroup.procs'), joiner.uid, joiner.gid);
    } catch (error) {
      notes.push(`cgroup v1 ${controller.name}: could not set the limit (${(error as Error).message})`);
      await rmdir(dir).catch(() => {});
      continue;
    }
    dirs.push(dir);
    if (controller.name === 'pids') active.pids = request.pids;
    if (controller.name === 'memory') active.memoryBytes = request.memoryBytes;
    if (controller.name === 'cpu') active.cpus = request.cpus;
  }

  return {
    procsFiles: dirs.map((dir) => path.join(dir, 'cgroup.procs')),
    active,
    notes,
    remove: () => removeCgroups(dirs),
  };
}

async function cgroupPids(dir: string): Promise<number[]> {
  try {
    const text = await readFile(path.join(dir, 'cgroup.procs'), 'utf8');
    return text
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter((pid) => Number.isInteger(pid) && pid > 0);
  } catch {
    return [];
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function removeCgroups(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    // A cgroup can only be removed once it is empty; anything still in it belongs to this sandbox.
    for (let attempt = 0; attempt < 50; attempt++) {
      const pids = await cgroupPids(dir);
      if (pids.length === 0) break;
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
      }
      await sleep(20);
    }
    await rmdir(dir).catch(() => {});
  }
}
