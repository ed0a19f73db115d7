import { closeSync, openSync, symlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTool } from './read.ts';
import { createTestWorkspace, type TestWorkspace } from './test-utils.ts';

let ws: TestWorkspace;

beforeEach(() => {
  ws = createTestWorkspace();
});
afterEach(() => ws.cleanup());

const lines = (count: number, prefix = 'line') =>
  Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}`).join('\n');

/** A PNG header for a 640×480 image followed by binary data. */
function png(): Buffer {
  const header = Buffer.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
  ]);
  const size = Buffer.alloc(8);
  size.writeUInt32BE(640, 0);
  size.writeUInt32BE(480, 4);
  return Buffer.concat([header, size, Buffer.alloc(2000, 0)]);
}

describe('read', () => {
  it('returns line-numbered content', async () => {
    ws.write('a.ts', 'const a = 1;\r\n\tindented\nlast');
    const result = await ws.run(readTool, { path: 'a.ts' });
    expect(result.ok).toBe(true);
    expect(result.output).toBe('   1\tconst a = 1;\n   2\t\tindented\n   3\tlast');
    expect(result.metadata).toMatchObject({
      path: 'a.ts',
      startLine: 1,
      endLine: 3,
      totalLines: 3,
      truncated: false,
    });
  });

  it('honours offset and limit and says how to continue', async () => {
    ws.write('big.txt', `${lines(100)}\n`);
    const result = await ws.run(readTool, { path: 'big.txt', offset: 10, limit: 3 });
    expect(result.output).toBe(
      '  10\tline 10\n  11\tline 11\n  12\tline 12\n\n[Showing lines 10-12 of 100. Use offset: 13 to read more.]',
    );
    const tail = await ws.run(readTool, { path: 'big.txt', offset: 99 });
    expect(tail.output).toBe('  99\tline 99\n 100\tline 100');
  });

  it('reads at most 2000 lines by default', async () => {
    ws.write('long.txt', lines(2500));
    const result = await ws.run(readTool, { path: 'long.txt' });
    expect(result.output).toContain('2000\tline 2000');
    expect(result.output).not.toContain('line 2001');
    expect(result.output).toContain('[Showing lines 1-2000 of 2500. Use offset: 2001 to read more.]');
  });

  it('cuts very long lines and caps the total output', async () => {
    ws.write('wide.txt', `${'x'.repeat(5000)}\nshort\n`);
    const wide = await ws.run(readTool, { path: 'wide.txt' });
    expect(wide.output).toContain('[line truncated, 3000 more characters]');
    expect(wide.output).toContain('   2\tshort');

    ws.write('many.txt', lines(1500, 'y'.repeat(100)));
    const many = await ws.run(readTool, { path: 'many.txt' });
    expect(Buffer.byteLength(many.output)).toBeLessThan(60 * 1024);
    expect(many.output).toMatch(
      /\[Output capped at 50\.0 KB: showing lines 1-\d+ of 1500\. Use offset: \d+ to continue\.\]/,
    );
  });

  it('describes binary files instead of dumping them', async () => {
    ws.write('logo.png', png());
    const image = await ws.run(readTool, { path: 'logo.png' });
    expect(image.ok).toBe(true);
    expect(image.output).toMatch(/"logo.png" is a binary file \(PNG image, 640×480, 2\.0 KB\)/);
    ws.write('blob.bin', Buffer.from([1, 2, 3, 0, 5, 6]));
    expect((await ws.run(readTool, { path: 'blob.bin' })).output).toMatch(/binary data \(\.bin\), 6 B/);
  });

  it('refuses a 50 MB file without offset/limit, and slices it without loading it', async () => {
    const file = path.join(ws.root, 'huge.log');
    const fd = openSync(file, 'w');
    const chunk = Buffer.from(`${'z'.repeat(99)}\n`.repeat(10_000));
    for (let i = 0; i < 50; i++) writeSync(fd, chunk);
    closeSync(fd);

    const whole = await ws.run(readTool, { path: 'huge.log' });
    expect(whole.ok).toBe(false);
    expect(whole.output).toMatch(/47\.7 MB, over the 10\.0 MB limit.*offset and limit.*grep/);

    const before = process.memoryUsage();
    const started = Date.now();
    const slice = await ws.run(readTool, { path: 'huge.log', offset: 1000, limit: 2 });
    const after = process.memoryUsage();
    expect(slice.ok).toBe(true);
    expect(slice.output).toContain(`1000\t${'z'.repeat(99)}`);
    expect(slice.output).toContain('[Showing lines 1000-1001. Use offset: 1002 to read more.]');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(10 * 1024 * 1024);
  });

  it('handles a huge file that is one enormous line', async () => {
    const file = path.join(ws.root, 'oneline.txt');
    const fd = openSync(file, 'w');
    const chunk = Buffer.alloc(1024 * 1024, 'q');
    for (let i = 0; i < 20; i++) writeSync(fd, chunk);
    closeSync(fd);
    const result = await ws.run(readTool, { path: 'oneline.txt', offset: 1, limit: 1 });
    expect(result.ok).toBe(true);
    expect(result.output).toMatch(/^ {3}1\tq{2000}… \[line truncated, 20969520 more characters\]$/);
  });

  it('treats a sparse 50 MB file of NUL bytes as binary', async () => {
    const fd = openSync(path.join(ws.root, 'sparse.img'), 'w');
    writeSync(fd, Buffer.from([0]), 0, 1, 50 * 1024 * 1024 - 1);
    closeSync(fd);
    const result = await ws.run(readTool, { path: 'sparse.img' });
    expect(result.output).toMatch(/binary file \(binary data \(\.img\), 50\.0 MB\)/);
  });

  it('explains empty files, directories, offsets past the end and missing files', async () => {
    ws.write('empty.txt', '');
    ws.write('dir/x.txt', 'x');
    ws.write('three.txt', 'a\nb\nc\n');
    expect((await ws.run(readTool, { path: 'empty.txt' })).output).toBe('"empty.txt" is empty.');
    expect((await ws.run(readTool, { path: 'dir' })).output).toMatch(/is a directory. Use list/);
    const past = await ws.run(readTool, { path: 'three.txt', offset: 10 });
    expect(past.ok).toBe(false);
    expect(past.output).toMatch(/offset 10 is past the end of "three.txt", which has 3 lines/);
    expect((await ws.run(readTool, { path: 'nope.txt' })).output).toMatch(/does not exist/);
  });

  it('refuses symlinks leading outside', async () => {
    symlinkSync('/etc/passwd', path.join(ws.root, 'passwd'));
    symlinkSync(ws.outside, path.join(ws.root, 'out'));
    for (const probe of ['passwd', 'out/secret.txt', '../outside/secret.txt', '/etc/passwd']) {
      const result = await ws.run(readTool, { path: probe });
      expect(result.ok, probe).toBe(false);
      expect(result.output).not.toContain('root:');
      expect(result.output).not.toContain('TOP SECRET');
    }
  });
});
