import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, sandboxDriverFromEnv } from './create.ts';
import type { Sandbox } from './types.ts';

let workspace: string;
const created: Sandbox[] = [];
const make = (options: Parameters<typeof createSandbox>[0]) => {
  const sandbox = createSandbox(options);
  created.push(sandbox);
  return sandbox;
};

beforeEach(() => {
  workspace = realpathSync(mkdtempSync(path.join(tmpdir(), 'aura-create-')));
});

afterEach(async () => {
  await Promise.all(created.splice(0).map((sandbox) => sandbox.dispose()));
  rmSync(workspace, { recursive: true, force: true });
});

describe('sandboxDriverFromEnv', () => {
  it('defaults to bwrap and maps unisolated to the local driver', () => {
    expect(sandboxDriverFromEnv(undefined)).toEqual({ driver: 'bwrap' });
    expect(sandboxDriverFromEnv('')).toEqual({ driver: 'bwrap' });
    expect(sandboxDriverFromEnv('Docker')).toEqual({ driver: 'docker' });
    expect(sandboxDriverFromEnv('unisolated')).toEqual({ driver: 'local' });
    expect(() => sandboxDriverFromEnv('chroot')).toThrow(/bwrap, docker or unisolated/);
  });
});

describe('createSandbox', () => {
  it('refuses every command, with what to do, when bubblewrap is missing', async () => {
    const sandbox = make({ workspace, bwrapPath: '/nonexistent/bwrap' });
    expect(sandbox.kind).toBe('bwrap');
    const message =
      'Commands are disabled: bubblewrap is not available on this host. Install it (apt-get install bubblewrap) or start the server with AURA_SANDBOX=unisolated to run commands without isolation.';
    await expect(sandbox.exec('true')).rejects.toThrow(message);
    await expect(sandbox.spawnBackground('sleep 1')).rejects.toThrow(message);
    await expect(sandbox.openPty({ cols: 80, rows: 24 })).rejects.toThrow(message);
    expect(sandbox.listBackground()).toEqual([]);
    const description = await sandbox.describe?.();
    expect(description).toMatchObject({ kind: 'bwrap', isolated: false, notes: [message] });
  });

  it('falls back to the unisolated driver only when allowed', async () => {
    const sandbox = make({ workspace, bwrapPath: '/nonexistent/bwrap', allowUnisolated: true });
    const result = await sandbox.exec('pwd');
    expect(result.stdout).toBe(`${workspace}\n`);
    expect(sandbox.kind).toBe('local');
    expect((await sandbox.describe?.())?.isolated).toBe(false);
  });

  it('gives the local driver when asked', async () => {
    const sandbox = make({ workspace, driver: 'local' });
    expect(sandbox.kind).toBe('local');
    expect((await sandbox.exec('echo hi')).stdout).toBe('hi\n');
  });

  it('gives the docker driver when asked, without touching an engine until used', () => {
    const sandbox = createSandbox({ workspace, driver: 'docker' });
    expect(sandbox.kind).toBe('docker');
    expect(sandbox.workspace).toBe(workspace);
  });
});
