import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';

/** What the bubblewrap driver needs from the host, found once per process. */

/** Directories searched besides PATH: a service's PATH often lacks the sbin directories. */
const SYSTEM_DIRS = ['/usr/local/bin', '/usr/bin', '/bin', '/usr/local/sbin', '/usr/sbin', '/sbin'];

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findExecutable(name: string, searchPath = process.env.PATH ?? ''): string | undefined {
  const dirs = [...searchPath.split(path.delimiter).filter((dir) => path.isAbsolute(dir)), ...SYSTEM_DIRS];
  return dirs.map((dir) => path.join(dir, name)).find(isExecutable);
}

function readSysctl(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Why unprivileged user namespaces (what bwrap needs without setuid) are off, if they are. */
export function userNamespaceProblem(): string | undefined {
  if (readSysctl('/proc/sys/user/max_user_namespaces') === '0')
    return 'user namespaces are disabled (sysctl user.max_user_namespaces = 0)';
  if (readSysctl('/proc/sys/kernel/unprivileged_userns_clone') === '0')
    return 'unprivileged user namespaces are disabled (sysctl kernel.unprivileged_userns_clone = 0)';
  return undefined;
}

/** Hard rlimits of this process (inherited by what it spawns); undefined means unlimited. */
export interface HardLimits {
  processes?: number;
  openFiles?: number;
  dataBytes?: number;
  cpuSeconds?: number;
}

export function hardLimits(): HardLimits {
  let text: string;
  try {
    text = readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return {};
  }
  const hard = (label: string) => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(label));
    const value = line?.slice(label.length).trim().split(/\s+/)[1];
    return value === undefined || value === 'unlimited' ? undefined : Number(value);
  };
  return {
    processes: hard('Max processes'),
    openFiles: hard('Max open files'),
    dataBytes: hard('Max data size'),
    cpuSeconds: hard('Max cpu time'),
  };
}

/** The uid/gid sandboxed commands run as. */
export interface SandboxUser {
  uid: number;
  gid: number;
  name: string;
  /** True when the server is root and commands drop to this (unprivileged) user. */
  dropsPrivileges: boolean;
}

export const SANDBOX_USER_NAME = 'aura-sandbox';

function lookupPasswd(name: string): { uid: number; gid: number } | undefined {
  let passwd: string;
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined)
      return { uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

function run(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 30_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(stderr.trim() || error.message));
      else resolve();
    });
  });
}

const users = new Map<string, Promise<SandboxUser>>();

/**
 * The user sandboxed commands run as. As root that is a dedicated system user (created when
 * missing): bubblewrap run as root isolates nothing, since the child keeps root's capabilities.
 * Otherwise commands run as the server's own user.
 */
export function sandboxUser(name = SANDBOX_USER_NAME): Promise<SandboxUser> {
  let user = users.get(name);
  if (!user) {
    user = resolveSandboxUser(name);
    users.set(name, user);
    user.catch(() => users.delete(name));
  }
  return user;
}

async function resolveSandboxUser(name: string): Promise<SandboxUser> {
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  if (uid === undefined || gid === undefined) throw new Error('Sandboxing needs a POSIX host.');
  if (uid !== 0) return { uid, gid, name: userInfo().username, dropsPrivileges: false };
  let entry = lookupPasswd(name);
  if (!entry) {
    const useradd = findExecutable('useradd');
    if (!useradd) throw new Error(`The sandbox user "${name}" does not exist and useradd is not available.`);
    try {
      await run(useradd, ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
    } catch (error) {
      // Another server process may have created it in the meantime.
      if (!lookupPasswd(name))
        throw new Error(`Could not create the sandbox user "${name}": ${(error as Error).message}`);
    }
    entry = lookupPasswd(name);
    if (!entry) throw new Error(`The sandbox user "${name}" was created but cannot be found in /etc/passwd.`);
  }
  if (entry.uid === 0 || entry.gid === 0)
    throw new Error(`The sandbox user "${name}" must not have uid or gid 0.`);
  return { uid: entry.uid, gid: entry.gid, name, dropsPrivileges: true };
}
