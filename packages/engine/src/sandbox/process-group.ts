import { readdirSync, readFileSync } from 'node:fs';

/**
 * Process-group signalling. Commands are spawned detached, so each is the leader of its own group
 * and signalling `-pid` reaches every process it started (pipelines, test runners' workers, `sleep &`).
 */

/** Sends `signal` to the whole group. Returns false when no process of the group is left. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: the group exists but we may not signal all of it; treat as alive.
    return true;
  }
}

/** `/proc/<pid>/stat` → state and process group, or undefined when the process is gone. */
export function procStat(pid: number): { state: string; pgrp: number; session: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp session …" — comm may contain spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', pgrp: Number(fields[2]), session: Number(fields[3]) };
}

/** True when the process exists and is not a zombie waiting to be reaped. */
export function processAlive(pid: number): boolean {
  const stat = procStat(pid);
  if (stat) return stat.state !== 'Z' && stat.state !== 'X';
  try {
    process.kill(pid, 0);
    return process.platform !== 'linux';
  } catch {
    return false;
  }
}

/**
 * Whether any live (non-zombie) process remains in the group. Orphans are re-parented to PID 1, which
 * in containers often never reaps them, so `kill(-pgid, 0)` alone would report zombies as alive.
 */
export function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  const members = livePids((stat) => stat.pgrp === pgid);
  return members === undefined || members.length > 0;
}

/** Live (non-zombie) pids whose stat matches, or undefined when /proc cannot be read. */
function livePids(match: (stat: { pgrp: number; session: number }) => boolean): number[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const pids: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = procStat(pid);
    if (stat && match(stat) && stat.state !== 'Z' && stat.state !== 'X') pids.push(pid);
  }
  return pids;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** SIGTERM the group, wait up to `graceMs` for it to go away, then SIGKILL what is left. */
export async function terminateGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(Math.min(40, Math.max(1, deadline - Date.now())));
    if (!groupAlive(pgid)) return;
  }
  signalGroup(pgid, 'SIGKILL');
}

/**
 * Stops a terminal's whole session. An interactive shell puts each job in its own process group, so
 * signalling the shell's group would miss them; every process of the session is hung up, then killed.
 */
export async function terminateSession(sid: number, graceMs: number): Promise<void> {
  const members = () => livePids((stat) => stat.session === sid) ?? [sid];
  const signalAll = (signal: NodeJS.Signals) => {
    for (const pid of members()) {
      try {
        process.kill(pid, signal);
      } catch {}
    }
  };
  signalAll('SIGHUP');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(Math.min(40, Math.max(1, deadline - Date.now())));
    if (members().length === 0) return;
  }
  signalAll('SIGKILL');
}
