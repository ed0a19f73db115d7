import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type HostLayout, hostLayout } from './bwrap-args.ts';
import {
  findExecutable,
  type HardLimits,
  hardLimits,
  isExecutable,
  type SandboxUser,
  sandboxUser,
  userNamespaceProblem,
} from './host.ts';

/** Everything the bubblewrap driver found on this host, probed once per process. */
export interface BwrapHost {
  bwrap: string;
  /** The launch shell: dash when present (fast), else bash. */
  shell: string;
  /** util-linux `setpriv`: terminals drop from root to the sandbox user with it. */
  setpriv: string | undefined;
  /** Rlimits cannot be raised past these (commands set them after dropping privileges). */
  hardLimits: HardLimits;
  user: SandboxUser;
  layout: HostLayout;
}

export type BwrapProbe = { ok: true; host: BwrapHost } | { ok: false; reason: string };

export interface BwrapProbeOptions {
  /** Path to bwrap (default: found on PATH). */
  bwrapPath?: string;
  /** Sandbox user name when the server is root (default `aura-sandbox`). */
  user?: string;
}

/** The uid-dropping prefix for terminals: `setpriv --reuid … --` when the server is root, nothing otherwise. */
export function dropPrivileges(host: BwrapHost): string[] {
  if (!host.user.dropsPrivileges || !host.setpriv) return [];
  return [
    host.setpriv,
    `--reuid=${host.user.uid}`,
    `--regid=${host.user.gid}`,
    '--clear-groups',
    '--no-new-privs',
    '--',
  ];
}

function trial(file: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 15_000, env: { PATH: '/usr/bin:/bin' } }, (error, _stdout, stderr) => {
      resolve(error ? stderr.trim() || error.message : undefined);
    });
  });
}

async function probe(options: BwrapProbeOptions): Promise<BwrapProbe> {
  const bwrap = options.bwrapPath
    ? isExecutable(options.bwrapPath)
      ? options.bwrapPath
      : undefined
    : findExecutable('bwrap');
  if (!bwrap) return { ok: false, reason: 'bubblewrap (bwrap) is not installed' };
  const namespaces = userNamespaceProblem();
  let user: SandboxUser;
  try {
    user = await sandboxUser(options.user);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  const shell = ['/bin/dash', '/bin/bash', '/usr/bin/bash'].find((candidate) => existsSync(candidate));
  if (!shell) return { ok: false, reason: 'neither /bin/dash nor /bin/bash is installed' };
  const host: BwrapHost = {
    bwrap,
    shell,
    setpriv: findExecutable('setpriv'),
    hardLimits: hardLimits(),
    user,
    layout: hostLayout(),
  };
  if (user.dropsPrivileges && !host.setpriv)
    return { ok: false, reason: 'setpriv (util-linux) is needed to drop from root to the sandbox user' };
  // The only reliable test (sysctls, AppArmor's userns restriction, seccomp'd containers): try it.
  const chain = [
    ...dropPrivileges(host),
    bwrap,
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--die-with-parent',
    '--ro-bind',
    '/usr',
    '/usr',
    ...host.layout.system,
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--',
    '/usr/bin/true',
  ];
  const failure = await trial(chain[0] ?? bwrap, chain.slice(1));
  if (failure) {
    const why = namespaces
      ? `${namespaces}; bwrap says: ${failure}`
      : `bwrap cannot create a sandbox: ${failure}`;
    return { ok: false, reason: why };
  }
  return { ok: true, host };
}

const probes = new Map<string, Promise<BwrapProbe>>();

/** Probes once per (bwrap path, user) and caches the answer for the life of the process. */
export function probeBwrap(options: BwrapProbeOptions = {}): Promise<BwrapProbe> {
  const key = `${options.bwrapPath ?? ''}\0${options.user ?? ''}`;
  let result = probes.get(key);
  if (!result) {
    result = probe(options);
    probes.set(key, result);
  }
  return result;
}
