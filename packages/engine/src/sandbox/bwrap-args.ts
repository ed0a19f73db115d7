import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * The filesystem and namespaces a bubblewrap sandbox gets. Pure functions of a plan, so the exact
 * command line is testable and documented in one place (docs/security.md, "Sandbox").
 */

/** Where things appear inside the sandbox. */
export const INSIDE = {
  workspace: '/workspace',
  home: '/home/sandbox',
  tmp: '/tmp',
  node: '/opt/aura/node',
  user: 'sandbox',
  hostname: 'aura',
} as const;

/**
 * /etc entries bound read-only when present: name resolution, TLS roots, time zone, the dynamic
 * linker's cache, the `alternatives` symlinks (awk, editor) and the shell's rc files. Everything
 * else in /etc (shadow, ssh keys, service configs with passwords) stays out. Each entry is a mount,
 * and mounts are most of bwrap's start-up cost, so the list is kept short.
 */
export const ETC_ALLOWLIST = [
  'alternatives',
  'bash.bashrc',
  'ca-certificates',
  'hosts',
  'inputrc',
  'ld.so.cache',
  'localtime',
  'nsswitch.conf',
  'os-release',
  'pki',
  'protocols',
  'resolv.conf',
  'services',
  'ssl',
];

/** Top-level system directories: bound read-only, or recreated as the symlinks they are (merged /usr). */
const SYSTEM_TOP = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];

export interface HostLayout {
  /** `--symlink`/`--ro-bind` arguments for /bin, /lib, … as they exist on this host. */
  system: string[];
  /** /etc entries from the allowlist that exist here. */
  etc: string[];
}

/** Looks at the host once: which system directories are symlinks, which /etc entries exist. */
export function hostLayout(): HostLayout {
  const system: string[] = [];
  for (const name of SYSTEM_TOP) {
    const hostPath = `/${name}`;
    try {
      const stats = lstatSync(hostPath);
      if (stats.isSymbolicLink()) system.push('--symlink', readlinkSync(hostPath), hostPath);
      else if (stats.isDirectory()) system.push('--ro-bind', hostPath, hostPath);
    } catch {}
  }
  let etcNames: string[] = [];
  try {
    etcNames = readdirSync('/etc');
  } catch {}
  const wanted = new Set(ETC_ALLOWLIST);
  const etc = etcNames.filter((name) => wanted.has(name)).sort();
  return { system, etc: etc.map((name) => `/etc/${name}`) };
}

export interface ExtraBind {
  /** Host path. */
  source: string;
  /** Absolute path inside the sandbox. */
  target: string;
  readOnly?: boolean;
}

export interface BwrapPlan {
  layout: HostLayout;
  /** Host directory bound read-write at /workspace (the workspace, or where it is staged). */
  workspaceSource: string;
  network: boolean;
  /** A terminal keeps its controlling tty (no --new-session) so job control works. */
  pty: boolean;
  /** Host directory of the Node toolchain (…/bin/node inside it), or undefined when it is under /usr. */
  nodeSource: string | undefined;
  /** Per-sandbox state on the host: `home`, `tmp`, `passwd`, `group` inside it. */
  stateDir: string;
  extraBinds: ExtraBind[];
  /** Working directory inside the sandbox. */
  cwd: string;
}

/** Maps a host path inside the workspace to where the sandbox sees it. */
export function insidePath(workspace: string, hostPath: string): string {
  const relative = path.relative(workspace, hostPath);
  return relative === '' ? INSIDE.workspace : path.posix.join(INSIDE.workspace, ...relative.split(path.sep));
}

/** The bwrap arguments (before `--` and the command). */
export function bwrapArgs(plan: BwrapPlan): string[] {
  const args = [
    '--unshare-all',
    ...(plan.network ? ['--share-net'] : []),
    '--unshare-user',
    '--disable-userns',
    '--die-with-parent',
    ...(plan.pty ? [] : ['--new-session']),
    '--hostname',
    INSIDE.hostname,
    '--ro-bind',
    '/usr',
    '/usr',
    ...plan.layout.system,
    ...plan.layout.etc.flatMap((entry) => ['--ro-bind', entry, entry]),
    '--ro-bind',
    path.join(plan.stateDir, 'passwd'),
    '/etc/passwd',
    '--ro-bind',
    path.join(plan.stateDir, 'group'),
    '/etc/group',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--bind',
    path.join(plan.stateDir, 'tmp'),
    INSIDE.tmp,
    '--symlink',
    INSIDE.tmp,
    '/var/tmp',
    '--bind',
    path.join(plan.stateDir, 'home'),
    INSIDE.home,
  ];
  if (plan.nodeSource) args.push('--ro-bind', plan.nodeSource, INSIDE.node);
  args.push('--bind', plan.workspaceSource, INSIDE.workspace);
  for (const bind of plan.extraBinds)
    args.push(bind.readOnly ? '--ro-bind' : '--bind', bind.source, bind.target);
  // Everything is mounted: the root itself (a tmpfs bwrap made) becomes read-only.
  args.push('--remount-ro', '/', '--chdir', plan.cwd, '--setenv', 'PWD', plan.cwd, '--unsetenv', 'OLDPWD');
  return args;
}

/** Synthetic /etc/passwd and /etc/group: the sandbox user and nothing of the host's accounts. */
export function identityFiles(uid: number, gid: number): { passwd: string; group: string } {
  const lines = [`root:x:0:0:root:/root:/usr/sbin/nologin`];
  if (uid !== 0) lines.push(`${INSIDE.user}:x:${uid}:${gid}:Aura sandbox:${INSIDE.home}:/bin/bash`);
  lines.push('nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin');
  const groups = ['root:x:0:'];
  if (gid !== 0) groups.push(`${INSIDE.user}:x:${gid}:`);
  groups.push('nogroup:x:65534:');
  return { passwd: `${lines.join('\n')}\n`, group: `${groups.join('\n')}\n` };
}

/**
 * The launcher's first stage, a POSIX sh: join the sandbox's cgroups (so everything the command
 * starts is counted from its first fork), set rlimits with the shell's `ulimit`, then exec the rest
 * (bwrap, or setpriv → bwrap). Arguments: cgroup.procs files `--` ulimit flag/value pairs `--` command.
 */
export const LAUNCH_SCRIPT = [
  'while [ "$1" != -- ]; do echo $$ > "$1" || { echo "aura: could not join cgroup $1" >&2; exit 125; }; shift; done; shift',
  'while [ "$1" != -- ]; do ulimit "$1" "$2" || { echo "aura: could not set limit $1 $2" >&2; exit 125; }; shift 2; done; shift',
  'exec "$@"',
].join('\n');

export interface Rlimits {
  processes?: number;
  openFiles?: number;
  dataBytes?: number;
  cpuSeconds?: number;
}

/** `ulimit` flag/value pairs for the launch shell (dash spells processes -p, bash -u). */
export function ulimitArgs(shell: string, limits: Rlimits): string[] {
  const args: string[] = [];
  if (limits.processes) args.push(path.basename(shell) === 'bash' ? '-u' : '-p', String(limits.processes));
  if (limits.openFiles) args.push('-n', String(limits.openFiles));
  if (limits.dataBytes) args.push('-d', String(Math.floor(limits.dataBytes / 1024)));
  if (limits.cpuSeconds) args.push('-t', String(limits.cpuSeconds));
  return args;
}
