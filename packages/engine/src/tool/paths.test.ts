import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveInWorkspace, resolveWorkspacePath } from './paths.ts';
import { createTestWorkspace, type TestWorkspace } from './test-utils.ts';
import { ToolError } from './types.ts';

let ws: TestWorkspace;

beforeEach(() => {
  ws = createTestWorkspace({ 'src/a.ts': 'a\n', 'file.txt': 'x\n' });
});
afterEach(() => ws.cleanup());

function refusal(userPath: string, options = {}): string {
  try {
    resolveWorkspacePath(ws.root, userPath, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ToolError);
    return (error as Error).message;
  }
  throw new Error(`expected "${userPath}" to be refused`);
}

describe('resolveInWorkspace', () => {
  it('resolves plain relative paths to real absolute paths', async () => {
    expect(await resolveInWorkspace(ws.root, 'src/a.ts')).toBe(path.join(ws.root, 'src/a.ts'));
    expect(await resolveInWorkspace(ws.root, './src/../src/a.ts')).toBe(path.join(ws.root, 'src/a.ts'));
    expect(await resolveInWorkspace(ws.root, '.')).toBe(ws.root);
    expect(await resolveInWorkspace(ws.root, 'new/dir/file.ts', { forWrite: true })).toBe(
      path.join(ws.root, 'new/dir/file.ts'),
    );
  });

  it('refuses escapes with messages that say what to do', () => {
    expect(refusal('../x')).toMatch(/outside the workspace.*relative to the workspace root/);
    expect(refusal('a/../../x')).toMatch(/outside the workspace/);
    expect(refusal('/etc/passwd')).toMatch(/is absolute.*relative to the workspace root/);
    expect(refusal('src/\0evil')).toMatch(/NUL byte/);
    expect(refusal('~/.ssh/id_rsa')).toMatch(/home directory/);
  });

  it('refuses a symlinked file that points outside', () => {
    symlinkSync('/etc/passwd', path.join(ws.root, 'passwd'));
    expect(refusal('passwd')).toMatch(/symbolic link that points outside/);
    expect(refusal('passwd', { mustExist: true })).toMatch(/symbolic link/);
  });

  it('refuses a symlinked directory in the middle of a path', () => {
    symlinkSync('/etc', path.join(ws.root, 'link'));
    expect(refusal('link/passwd')).toMatch(/symbolic link that points outside/);
    mkdirSync(path.join(ws.root, 'deep'));
    symlinkSync(ws.outside, path.join(ws.root, 'deep/out'));
    expect(refusal('deep/out/secret.txt')).toMatch(/symbolic link/);
    // A path that does not exist yet but whose nearest existing ancestor is a link outside.
    expect(refusal('deep/out/new/dir/file.txt', { forWrite: true })).toMatch(/symbolic link/);
  });

  it('refuses writing through a dangling symlink that points outside', () => {
    const target = path.join(ws.outside, 'created-by-attack.txt');
    symlinkSync(target, path.join(ws.root, 'dangling'));
    expect(refusal('dangling', { forWrite: true })).toMatch(/symbolic link/);
    expect(existsSync(target)).toBe(false);
    // A chain: link → link → outside.
    symlinkSync('dangling', path.join(ws.root, 'chain'));
    expect(refusal('chain', { forWrite: true })).toMatch(/symbolic link/);
  });

  it('follows symlinks that stay inside the workspace', () => {
    symlinkSync('src', path.join(ws.root, 'source'));
    symlinkSync(path.join(ws.root, 'src/missing.ts'), path.join(ws.root, 'pending'));
    expect(resolveWorkspacePath(ws.root, 'source/a.ts').absolute).toBe(path.join(ws.root, 'src/a.ts'));
    const pending = resolveWorkspacePath(ws.root, 'pending', { forWrite: true });
    expect(pending.absolute).toBe(path.join(ws.root, 'src/missing.ts'));
    expect(pending.stats).toBeUndefined();
  });

  it('treats the final link as the link itself when followFinal is false', () => {
    symlinkSync('/etc/passwd', path.join(ws.root, 'passwd'));
    const resolved = resolveWorkspacePath(ws.root, 'passwd', { followFinal: false, mustExist: true });
    expect(resolved.absolute).toBe(path.join(ws.root, 'passwd'));
    expect(resolved.stats?.isSymbolicLink()).toBe(true);
    symlinkSync('/etc', path.join(ws.root, 'etc'));
    expect(refusal('etc/passwd', { followFinal: false })).toMatch(/symbolic link/);
  });

  it('explains missing files, files used as directories, directories used as files and loops', () => {
    expect(refusal('src/nope.ts', { mustExist: true })).toMatch(/does not exist.*glob or list/);
    expect(refusal('file.txt/child', { forWrite: true })).toMatch(/"file.txt" is a file, not a directory/);
    expect(refusal('src', { forWrite: true })).toMatch(/is a directory/);
    symlinkSync('loop-b', path.join(ws.root, 'loop-a'));
    symlinkSync('loop-a', path.join(ws.root, 'loop-b'));
    expect(refusal('loop-a')).toMatch(/loop/);
  });

  it('reports display paths relative to the workspace', () => {
    expect(resolveWorkspacePath(ws.root, './src//a.ts').relative).toBe('src/a.ts');
    expect(resolveWorkspacePath(ws.root, '').relative).toBe('.');
  });
});
