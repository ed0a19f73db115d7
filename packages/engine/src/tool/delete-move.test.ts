import { existsSync, lstatSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteTool } from './delete.ts';
import { moveTool } from './move.ts';
import { createTestWorkspace, type TestWorkspace } from './test-utils.ts';

let ws: TestWorkspace;

beforeEach(() => {
  ws = createTestWorkspace({ 'a.txt': 'a', 'dir/inner/b.txt': 'b', 'dir/c.txt': 'c' });
});
afterEach(() => ws.cleanup());

const exists = (relative: string) => existsSync(path.join(ws.root, relative));

describe('delete', () => {
  it('deletes files and whole directories', async () => {
    expect((await ws.run(deleteTool, { path: 'a.txt' })).output).toBe('Deleted file a.txt.');
    expect((await ws.run(deleteTool, { path: 'dir' })).output).toBe(
      'Deleted directory dir and its contents.',
    );
    expect(exists('a.txt') || exists('dir')).toBe(false);
  });

  it('refuses the root, missing and escaping paths', async () => {
    symlinkSync(ws.outside, path.join(ws.root, 'out'));
    for (const probe of [
      '.',
      './',
      'dir/..',
      '../outside',
      '../outside/secret.txt',
      '/tmp',
      'out/secret.txt',
      'nope',
    ]) {
      const result = await ws.run(deleteTool, { path: probe });
      expect(result.ok, probe).toBe(false);
    }
    expect((await ws.run(deleteTool, { path: '.' })).output).toMatch(/workspace root/);
    expect(existsSync(path.join(ws.outside, 'secret.txt'))).toBe(true);
    expect(exists('a.txt')).toBe(true);
  });

  it('removes a symlink without touching its target', async () => {
    symlinkSync(ws.outside, path.join(ws.root, 'out'));
    const result = await ws.run(deleteTool, { path: 'out' });
    expect(result.output).toBe('Deleted symlink out.');
    expect(existsSync(path.join(ws.outside, 'secret.txt'))).toBe(true);
  });
});

describe('move', () => {
  it('moves files and creates destination directories', async () => {
    const result = await ws.run(moveTool, { from: 'a.txt', to: 'new/place/a.txt' });
    expect(result.output).toBe('Moved a.txt to new/place/a.txt.');
    expect(readFileSync(path.join(ws.root, 'new/place/a.txt'), 'utf8')).toBe('a');
    expect(exists('a.txt')).toBe(false);
  });

  it('refuses to overwrite, to move a directory into itself, and to escape', async () => {
    expect((await ws.run(moveTool, { from: 'a.txt', to: 'dir/c.txt' })).output).toMatch(/already exists/);
    expect((await ws.run(moveTool, { from: 'dir', to: 'dir/inner/dir' })).output).toMatch(/into itself/);
    symlinkSync(ws.outside, path.join(ws.root, 'out'));
    const probes = [
      { from: 'a.txt', to: '../outside/a.txt' },
      { from: 'a.txt', to: 'out/a.txt' },
      { from: '../outside/secret.txt', to: 'stolen.txt' },
      { from: 'out/secret.txt', to: 'stolen.txt' },
      { from: '.', to: 'elsewhere' },
    ];
    for (const probe of probes) {
      const result = await ws.run(moveTool, probe);
      expect(result.ok, JSON.stringify(probe)).toBe(false);
    }
    expect(exists('stolen.txt')).toBe(false);
    expect(existsSync(path.join(ws.outside, 'a.txt'))).toBe(false);
    expect(moveTool.subjects?.({ from: 'a', to: 'b' })).toEqual(['a', 'b']);
  });

  it('moves a symlink as a link', async () => {
    symlinkSync(ws.outside, path.join(ws.root, 'out'));
    await ws.run(moveTool, { from: 'out', to: 'links/out' });
    expect(lstatSync(path.join(ws.root, 'links/out')).isSymbolicLink()).toBe(true);
  });
});
