import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { editTool } from './edit.ts';
import { createTestWorkspace, type TestWorkspace } from './test-utils.ts';

let ws: TestWorkspace;

beforeEach(() => {
  ws = createTestWorkspace({
    'src/app.ts': 'function greet() {\n  return "hi";\n}\n\nfunction part() {\n  return "hi";\n}\n',
  });
});
afterEach(() => ws.cleanup());

const read = (relative: string) => readFileSync(path.join(ws.root, relative), 'utf8');

describe('edit', () => {
  it('replaces a unique match and reports a diff', async () => {
    const result = await ws.run(editTool, {
      path: 'src/app.ts',
      old_string: 'function greet() {\n  return "hi";',
      new_string: 'function greet() {\n  return "hello";',
    });
    expect(result.ok).toBe(true);
    expect(result.output).toBe('Edited src/app.ts: 1 replacement, +1 -1 lines.');
    expect(read('src/app.ts')).toContain('return "hello";\n}\n\nfunction part() {\n  return "hi";');
    expect(result.metadata).toMatchObject({ strategy: 'exact', replacements: 1, added: 1, removed: 1 });
    expect(result.metadata?.diff).toBe(
      '--- a/src/app.ts\n+++ b/src/app.ts\n@@ -1,5 +1,5 @@\n function greet() {\n-  return "hi";\n+  return "hello";\n }\n \n function part() {\n',
    );
  });

  it('passes the edit engine error through when old_string is ambiguous', async () => {
    const result = await ws.run(editTool, {
      path: 'src/app.ts',
      old_string: 'return "hi";',
      new_string: 'return 1;',
    });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/^Edit of src\/app.ts failed: /);
    expect(result.output).toMatch(/old_string matches 2 places in the file \(lines 2, 6\)/);
    expect(read('src/app.ts')).toContain('return "hi";');
  });

  it('replaces every occurrence with replace_all', async () => {
    const result = await ws.run(editTool, {
      path: 'src/app.ts',
      old_string: '"hi"',
      new_string: '"yo"',
      replace_all: true,
    });
    expect(result.metadata?.replacements).toBe(2);
    expect(read('src/app.ts')).not.toContain('"hi"');
  });

  it('refuses binary, missing and escaping files', async () => {
    ws.write('bin.dat', Buffer.from([0, 1, 2, 3]));
    const binary = await ws.run(editTool, { path: 'bin.dat', old_string: 'a', new_string: 'b' });
    expect(binary.output).toMatch(/binary file.*cannot be edited/);
    expect((await ws.run(editTool, { path: 'nope.ts', old_string: 'a', new_string: 'b' })).output).toMatch(
      /does not exist/,
    );
    expect(
      (await ws.run(editTool, { path: '../outside/secret.txt', old_string: 'TOP', new_string: 'x' })).ok,
    ).toBe(false);
    expect(readFileSync(path.join(ws.outside, 'secret.txt'), 'utf8')).toBe('TOP SECRET\n');
  });
});
