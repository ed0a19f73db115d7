import { chmodSync, existsSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestWorkspace, type TestWorkspace } from './test-utils.ts';
import { writeTool } from './write.ts';

let ws: TestWorkspace;

beforeEach(() => {
  ws = createTestWorkspace();
});
afterEach(() => ws.cleanup());

describe('write', () => {
  it('creates files and parent directories', async () => {
    const result = await ws.run(writeTool, { path: 'src/deep/new.ts', content: 'export const x = 1;\n' });
    expect(result.ok).toBe(true);
    expect(result.output).toBe('Created src/deep/new.ts (20 B, 1 line).');
    expect(readFileSync(path.join(ws.root, 'src/deep/new.ts'), 'utf8')).toBe('export const x = 1;\n');
    expect(result.metadata).toMatchObject({ path: 'src/deep/new.ts', bytes: 20, created: true });
    expect(result.metadata?.diff).toBe(
      '--- /dev/null\n+++ b/src/deep/new.ts\n@@ -0,0 +1 @@\n+export const x = 1;\n',
    );
  });

  it('overwrites with a diff and keeps the file mode', async () => {
    const file = ws.write('run.sh', 'echo one\necho two\n');
    chmodSync(file, 0o755);
    const result = await ws.run(writeTool, { path: 'run.sh', content: 'echo one\necho 2\n' });
    expect(result.output).toBe('Overwrote run.sh (16 B, 2 lines).');
    expect(result.metadata?.created).toBe(false);
    expect(result.metadata?.diff).toBe(
      '--- a/run.sh\n+++ b/run.sh\n@@ -1,2 +1,2 @@\n echo one\n-echo two\n+echo 2\n',
    );
    expect(statSync(file).mode & 0o777).toBe(0o755);
  });

  it('refuses directories and escaping paths', async () => {
    ws.write('dir/x', '');
    expect((await ws.run(writeTool, { path: 'dir', content: 'x' })).output).toMatch(/is a directory/);
    symlinkSync(path.join(ws.outside, 'planted.txt'), path.join(ws.root, 'dangling'));
    symlinkSync(ws.outside, path.join(ws.root, 'out'));
    for (const probe of ['../escape.txt', '/tmp/escape.txt', 'dangling', 'out/new.txt', 'out/secret.txt']) {
      const result = await ws.run(writeTool, { path: probe, content: 'pwned' });
      expect(result.ok, probe).toBe(false);
    }
    expect(existsSync(path.join(ws.outside, 'planted.txt'))).toBe(false);
    expect(existsSync(path.join(ws.outside, 'new.txt'))).toBe(false);
    expect(readFileSync(path.join(ws.outside, 'secret.txt'), 'utf8')).toBe('TOP SECRET\n');
  });

  it('writes through a symlink that stays inside the workspace', async () => {
    ws.write('real.txt', 'old');
    symlinkSync('real.txt', path.join(ws.root, 'alias.txt'));
    await ws.run(writeTool, { path: 'alias.txt', content: 'new' });
    expect(readFileSync(path.join(ws.root, 'real.txt'), 'utf8')).toBe('new');
  });
});
