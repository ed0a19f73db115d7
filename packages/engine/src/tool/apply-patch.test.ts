import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPatchTool, patchPaths } from './apply-patch.ts';
import { createTestWorkspace, type TestWorkspace } from './test-utils.ts';

let ws: TestWorkspace;

beforeEach(() => {
  ws = createTestWorkspace({
    'src/a.ts': 'export const a = 1;\nexport const b = 2;\n',
    'src/b.ts': 'line one\nline two\nline three\n',
    'old.txt': 'remove me\n',
  });
});
afterEach(() => ws.cleanup());

const read = (relative: string) => readFileSync(path.join(ws.root, relative), 'utf8');

const multiFile = [
  '--- a/src/a.ts',
  '+++ b/src/a.ts',
  '@@ -1,2 +1,2 @@',
  ' export const a = 1;',
  '-export const b = 2;',
  '+export const b = 3;',
  '--- a/src/b.ts',
  '+++ b/src/b.ts',
  '@@ -1,3 +1,4 @@',
  ' line one',
  '+line one and a half',
  ' line two',
  ' line three',
  '--- /dev/null',
  '+++ b/src/new/c.ts',
  '@@ -0,0 +1,1 @@',
  '+export const c = 1;',
  '--- a/old.txt',
  '+++ /dev/null',
  '@@ -1 +0,0 @@',
  '-remove me',
  '',
].join('\n');

describe('apply_patch', () => {
  it('applies a multi-file patch', async () => {
    const result = await ws.run(applyPatchTool, { patch: multiFile });
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toBe(
      'Patch applied to 4 files:\nM src/a.ts\nM src/b.ts\nA src/new/c.ts\nD old.txt',
    );
    expect(read('src/a.ts')).toBe('export const a = 1;\nexport const b = 3;\n');
    expect(read('src/b.ts')).toBe('line one\nline one and a half\nline two\nline three\n');
    expect(read('src/new/c.ts')).toBe('export const c = 1;\n');
    expect(existsSync(path.join(ws.root, 'old.txt'))).toBe(false);
    expect(result.metadata?.files).toEqual([
      { path: 'src/a.ts', status: 'modified' },
      { path: 'src/b.ts', status: 'modified' },
      { path: 'src/new/c.ts', status: 'added' },
      { path: 'old.txt', status: 'deleted' },
    ]);
    expect(result.metadata?.diff).toContain('+export const b = 3;');
    expect(result.metadata?.diff).toContain('--- /dev/null\n+++ b/src/new/c.ts');
    // No temp files are left behind.
    expect(readdirSync(path.join(ws.root, 'src')).filter((name) => name.includes('aura'))).toEqual([]);
  });

  it('changes nothing when one hunk fails', async () => {
    const broken = multiFile.replace(' line two\n line three', ' line 2\n line 3');
    const result = await ws.run(applyPatchTool, { patch: broken });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/src\/b.ts/);
    expect(result.output).toMatch(/Nothing was changed/);
    expect(read('src/a.ts')).toBe('export const a = 1;\nexport const b = 2;\n');
    expect(existsSync(path.join(ws.root, 'old.txt'))).toBe(true);
    expect(existsSync(path.join(ws.root, 'src/new'))).toBe(false);
  });

  it('refuses paths outside the workspace', async () => {
    symlinkSync(ws.outside, path.join(ws.root, 'out'));
    const escapes = [
      '--- a/../outside/secret.txt\n+++ b/../outside/secret.txt\n@@ -1 +1 @@\n-TOP SECRET\n+pwned\n',
      '--- a/out/secret.txt\n+++ b/out/secret.txt\n@@ -1 +1 @@\n-TOP SECRET\n+pwned\n',
      '--- /dev/null\n+++ b/out/planted.txt\n@@ -0,0 +1 @@\n+pwned\n',
      '--- /dev/null\n+++ /etc/planted\n@@ -0,0 +1 @@\n+pwned\n',
    ];
    for (const patch of escapes) {
      const result = await ws.run(applyPatchTool, { patch });
      expect(result.ok, patch).toBe(false);
      expect(result.output).toMatch(/outside the workspace|symbolic link|absolute/);
    }
    expect(read('../outside/secret.txt')).toBe('TOP SECRET\n');
    expect(existsSync(path.join(ws.outside, 'planted.txt'))).toBe(false);
  });

  it('renames with git headers', async () => {
    const patch = [
      'diff --git a/src/b.ts b/src/renamed.ts',
      'similarity index 90%',
      'rename from src/b.ts',
      'rename to src/renamed.ts',
      '--- a/src/b.ts',
      '+++ b/src/renamed.ts',
      '@@ -1,3 +1,3 @@',
      ' line one',
      '-line two',
      '+line 2',
      ' line three',
      '',
    ].join('\n');
    const result = await ws.run(applyPatchTool, { patch });
    expect(result.ok, result.output).toBe(true);
    expect(existsSync(path.join(ws.root, 'src/b.ts'))).toBe(false);
    expect(read('src/renamed.ts')).toBe('line one\nline 2\nline three\n');
  });

  it('lists the paths a patch touches for permission checks', () => {
    expect(patchPaths(multiFile)).toEqual(['src/a.ts', 'src/b.ts', 'src/new/c.ts', 'old.txt']);
    expect(applyPatchTool.subjects?.({ patch: multiFile })).toHaveLength(4);
  });
});

describe('patchPaths for permission checks', () => {
  it('names the file of a git deletion that has no ---/+++ lines', () => {
    const deletion = 'diff --git a/.aura/config.yaml b/.aura/config.yaml\ndeleted file mode 100644\n';
    expect(patchPaths(deletion)).toEqual(['.aura/config.yaml']);
  });
});
