import { describe, expect, it } from 'vitest';
import { toolDiff } from './tool-diff.ts';

describe('toolDiff', () => {
  it('prefers the diff the server recorded', () => {
    const diff = '--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-a\n+b\n';
    const result = toolDiff('edit', { path: 'a.ts', old_string: 'x', new_string: 'y' }, { diff });
    expect(result?.source).toBe('result');
    expect(result?.files[0]).toMatchObject({ newPath: 'a.ts', added: 1, removed: 1 });
    expect(toolDiff('write', { path: 'a.ts', content: 'same' }, { diff: '' })).toEqual({
      files: [],
      source: 'result',
    });
  });

  it('diffs an edit from its old and new strings, without file line numbers', () => {
    const result = toolDiff('edit', { path: 'a.ts', old_string: 'a\nb\n', new_string: 'a\nc\n' }, null);
    expect(result?.source).toBe('input');
    expect(result?.files[0]).toMatchObject({
      oldPath: 'a.ts',
      newPath: 'a.ts',
      added: 1,
      removed: 1,
      numbered: false,
    });
  });

  it('shows what a write puts down and what a patch changes', () => {
    const write = toolDiff('write', { path: 'n.txt', content: 'one\ntwo\n' }, null);
    expect(write?.files[0]).toMatchObject({
      oldPath: null,
      newPath: 'n.txt',
      added: 2,
      removed: 0,
      numbered: true,
    });
    const patch = toolDiff('apply_patch', { patch: '--- a/p\n+++ b/p\n@@ -1 +1 @@\n-x\n+y\n' }, null);
    expect(patch?.files.map((f) => f.newPath)).toEqual(['p']);
  });

  it('has nothing for other tools or unreadable input', () => {
    expect(toolDiff('exec', { command: 'ls' }, null)).toBeNull();
    expect(toolDiff('edit', { path: 'a.ts' }, null)).toBeNull();
    expect(toolDiff('write', 'raw', null)).toBeNull();
  });
});
