import { describe, expect, it } from 'vitest';
import {
  type BwrapPlan,
  bwrapArgs,
  ETC_ALLOWLIST,
  hostLayout,
  INSIDE,
  identityFiles,
  insidePath,
  ulimitArgs,
} from './bwrap-args.ts';

const plan: BwrapPlan = {
  layout: { system: ['--symlink', 'usr/bin', '/bin'], etc: ['/etc/hosts', '/etc/ssl'] },
  workspaceSource: '/data/workspaces/p1',
  network: true,
  pty: false,
  nodeSource: '/opt/node-24',
  stateDir: '/tmp/state/sb-1',
  extraBinds: [{ source: '/var/cache/npm', target: '/cache/npm', readOnly: true }],
  cwd: '/workspace/src',
};

/** The `--flag a b` triples of an argument list, for order-independent checks. */
function binds(args: string[], flag: string): [string, string][] {
  const found: [string, string][] = [];
  args.forEach((arg, index) => {
    if (arg === flag) found.push([args[index + 1] ?? '', args[index + 2] ?? '']);
  });
  return found;
}

describe('bwrapArgs', () => {
  it('unshares every namespace, shares the network only when on', () => {
    const online = bwrapArgs(plan);
    expect(online).toEqual(
      expect.arrayContaining([
        '--unshare-all',
        '--share-net',
        '--unshare-user',
        '--disable-userns',
        '--die-with-parent',
      ]),
    );
    expect(online).toContain('--new-session');
    const offline = bwrapArgs({ ...plan, network: false });
    expect(offline).toContain('--unshare-all');
    expect(offline).not.toContain('--share-net');
  });

  it('keeps the controlling terminal for terminals', () => {
    expect(bwrapArgs({ ...plan, pty: true })).not.toContain('--new-session');
  });

  it('mounts the system read-only, the workspace read-write at /workspace and nothing else of the host', () => {
    const args = bwrapArgs(plan);
    expect(binds(args, '--ro-bind')).toEqual([
      ['/usr', '/usr'],
      ['/etc/hosts', '/etc/hosts'],
      ['/etc/ssl', '/etc/ssl'],
      ['/tmp/state/sb-1/passwd', '/etc/passwd'],
      ['/tmp/state/sb-1/group', '/etc/group'],
      ['/opt/node-24', INSIDE.node],
      ['/var/cache/npm', '/cache/npm'],
    ]);
    expect(binds(args, '--bind')).toEqual([
      ['/tmp/state/sb-1/tmp', '/tmp'],
      ['/tmp/state/sb-1/home', INSIDE.home],
      ['/data/workspaces/p1', '/workspace'],
    ]);
    expect(args.join(' ')).not.toMatch(/\/etc\/shadow|\/root/);
  });

  it('makes the root read-only once everything is mounted, then enters the cwd', () => {
    const args = bwrapArgs(plan);
    const remount = args.indexOf('--remount-ro');
    expect(args[remount + 1]).toBe('/');
    const lastMount = Math.max(
      ...['--bind', '--ro-bind', '--symlink', '--proc', '--dev'].map((flag) => args.lastIndexOf(flag)),
    );
    expect(remount).toBeGreaterThan(lastMount);
    expect(args.slice(-7)).toEqual([
      '--chdir',
      '/workspace/src',
      '--setenv',
      'PWD',
      '/workspace/src',
      '--unsetenv',
      'OLDPWD',
    ]);
  });
});

describe('hostLayout', () => {
  it('takes only allowlisted /etc entries that exist', () => {
    const layout = hostLayout();
    for (const entry of layout.etc) expect(ETC_ALLOWLIST).toContain(entry.replace('/etc/', ''));
    expect(layout.etc).not.toContain('/etc/shadow');
    expect(ETC_ALLOWLIST).not.toContain('shadow');
    expect(ETC_ALLOWLIST).not.toContain('passwd');
  });
});

describe('identityFiles', () => {
  it('names the sandbox user and none of the host accounts', () => {
    const { passwd, group } = identityFiles(999, 995);
    expect(passwd).toContain(`sandbox:x:999:995:Aura sandbox:${INSIDE.home}:/bin/bash`);
    expect(passwd.trim().split('\n')).toHaveLength(3);
    expect(group).toContain('sandbox:x:995:');
  });
});

describe('insidePath', () => {
  it('maps host paths in the workspace to /workspace', () => {
    expect(insidePath('/data/w', '/data/w')).toBe('/workspace');
    expect(insidePath('/data/w', '/data/w/src/app')).toBe('/workspace/src/app');
  });
});

describe('ulimitArgs', () => {
  it('spells the process limit the way the launch shell does', () => {
    const limits = { processes: 64, openFiles: 1024, dataBytes: 1024 * 1024 * 1024, cpuSeconds: 10 };
    expect(ulimitArgs('/bin/dash', limits)).toEqual(['-p', '64', '-n', '1024', '-d', '1048576', '-t', '10']);
    expect(ulimitArgs('/bin/bash', limits).slice(0, 2)).toEqual(['-u', '64']);
    expect(ulimitArgs('/bin/dash', {})).toEqual([]);
  });
});
