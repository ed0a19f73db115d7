import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { unzipSync, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveError, extractZip, importFolder, readZip, zipWorkspace } from './index.ts';

let root: string;

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'aura-archive-')));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

interface RawEntry {
  name: string;
  data?: Buffer;
  /** Overrides the size written in both headers. */
  declaredSize?: number;
  /** External attributes (unix mode << 16 with madeBy 3). */
  attrs?: number;
  deflate?: boolean;
}

/** A zip written byte by byte, so tests can say things real tools refuse to. */
function craftZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = entry.data ?? Buffer.alloc(0);
    const stored = entry.deflate ? deflateRawSync(data) : data;
    const name = Buffer.from(entry.name, 'utf8');
    const size = entry.declaredSize ?? data.length;
    const method = entry.deflate ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(entry.deflate ? stored.length : size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(entry.deflate ? stored.length : size, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(entry.attrs ?? (0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += 30 + name.length + stored.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

function tree(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const visit = (absolute: string, relative: string) => {
    for (const name of readdirSync(absolute).sort()) {
      const full = path.join(absolute, name);
      const rel = relative ? `${relative}/${name}` : name;
      const info = lstatSync(full);
      if (info.isSymbolicLink()) result[rel] = `link:${readlinkSync(full)}`;
      else if (info.isDirectory()) visit(full, rel);
      else result[rel] = `${info.mode & 0o111 ? 'x' : '-'}:${readFileSync(full).toString('base64')}`;
    }
  };
  visit(dir, '');
  return result;
}

const fresh = () => path.join(root, `dest-${randomBytes(3).toString('hex')}`);

describe('zip import', () => {
  it('unpacks files from a zip written by another tool, keeping bytes and the exec bit', async () => {
    const binary = randomBytes(50_000);
    const zip = zipSync({
      'index.html': new TextEncoder().encode('<h1>hi</h1>'),
      'src/': new Uint8Array(0),
      'src/ünï code.ts': new TextEncoder().encode('export {};\n'),
      'assets/blob.bin': binary,
      'run.sh': [new TextEncoder().encode('#!/bin/sh\n'), { os: 3, attrs: (0o100755 << 16) >>> 0 }],
      'node_modules/x/index.js': new TextEncoder().encode('skipped'),
      '.aura/config.json': new TextEncoder().encode('{"permissions":[]}'),
    });
    const dest = fresh();
    const summary = await extractZip(zip, dest);
    expect(summary).toEqual({ files: 4, bytes: 11 + 11 + binary.length + 10, skipped: 2 });
    expect(Object.keys(tree(dest))).toEqual(['assets/blob.bin', 'index.html', 'run.sh', 'src/ünï code.ts']);
    expect(readFileSync(path.join(dest, 'assets/blob.bin')).equals(binary)).toBe(true);
    expect(lstatSync(path.join(dest, 'run.sh')).mode & 0o111).not.toBe(0);
    expect(lstatSync(path.join(dest, 'index.html')).mode & 0o111).toBe(0);
  });

  const probes: [string, RawEntry[], ArchiveError['code']][] = [
    ['a parent-directory escape', [{ name: '../evil', data: Buffer.from('x') }], 'unsafe_entry'],
    ['an escape in the middle', [{ name: 'a/../../evil', data: Buffer.from('x') }], 'unsafe_entry'],
    ['an absolute path', [{ name: '/abs', data: Buffer.from('x') }], 'unsafe_entry'],
    ['a drive letter with backslashes', [{ name: 'C:\\evil', data: Buffer.from('x') }], 'unsafe_entry'],
    ['a drive letter', [{ name: 'C:/evil', data: Buffer.from('x') }], 'unsafe_entry'],
    ['backslash separators', [{ name: 'a\\..\\..\\evil', data: Buffer.from('x') }], 'unsafe_entry'],
    ['a "." segment', [{ name: './x', data: Buffer.from('x') }], 'unsafe_entry'],
    ['an empty segment', [{ name: 'a//x', data: Buffer.from('x') }], 'unsafe_entry'],
    ['a NUL in the name', [{ name: 'a\0b', data: Buffer.from('x') }], 'unsafe_entry'],
    [
      'a symlink entry',
      [{ name: 'link', data: Buffer.from('/etc/passwd'), attrs: (0o120777 << 16) >>> 0 }],
      'unsafe_entry',
    ],
    ['a device entry', [{ name: 'dev', attrs: (0o020644 << 16) >>> 0 }], 'unsafe_entry'],
    [
      'duplicate names',
      [
        { name: 'a.txt', data: Buffer.from('1') },
        { name: 'a.txt', data: Buffer.from('2') },
      ],
      'unsafe_entry',
    ],
    [
      'a file that is also a directory',
      [
        { name: 'a', data: Buffer.from('1') },
        { name: 'a/b', data: Buffer.from('2') },
      ],
      'unsafe_entry',
    ],
    [
      'a declared size over the limit',
      [{ name: 'bomb', data: Buffer.from('x'), declaredSize: 0xfffffffe }],
      'too_large',
    ],
  ];

  it.each(probes)('refuses %s and writes nothing', async (_what, entries, code) => {
    const dest = fresh();
    const before = readdirSync(root);
    const error = await extractZip(craftZip(entries), dest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as ArchiveError).code).toBe(code);
    expect(readdirSync(root)).toEqual(before);
    expect(existsSync(path.join(path.dirname(root), 'evil'))).toBe(false);
  });

  it('refuses an entry that inflates past its declared size, removing what it had written', async () => {
    const dest = fresh();
    const zip = craftZip([
      { name: 'ok.txt', data: Buffer.from('fine') },
      { name: 'bomb.txt', data: Buffer.alloc(5_000_000), declaredSize: 10, deflate: true },
    ]);
    await expect(extractZip(zip, dest)).rejects.toMatchObject({ code: 'bad_archive' });
    expect(existsSync(dest)).toBe(false);
  });

  it('refuses too many entries before reading them, and corrupt or foreign data', async () => {
    const many = craftZip(Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('x') })));
    expect(() => readZip(many, { maxEntries: 10, maxTotalBytes: 1000 })).toThrow(
      expect.objectContaining({ code: 'too_many_entries' }),
    );
    expect(() => readZip(Buffer.from('not a zip at all, just text'))).toThrow(
      expect.objectContaining({ code: 'bad_archive' }),
    );
    const good = craftZip([{ name: 'a.txt', data: Buffer.from('abc') }]);
    const corrupt = Buffer.from(good);
    corrupt[30 + 5 + 1] = 0x41; // flip a data byte: the CRC no longer matches
    await expect(extractZip(corrupt, fresh())).rejects.toMatchObject({ code: 'bad_archive' });
    const overlapping = Buffer.from(
      craftZip([
        { name: 'a', data: Buffer.from('1') },
        { name: 'b', data: Buffer.from('2') },
      ]),
    );
    // Point the second central entry at the first local header: overlapping entries.
    const cd = overlapping.indexOf(
      Buffer.from([0x50, 0x4b, 1, 2]),
      overlapping.indexOf(Buffer.from([0x50, 0x4b, 1, 2])) + 4,
    );
    overlapping.writeUInt32LE(0, cd + 42);
    expect(() => readZip(overlapping)).toThrow(expect.objectContaining({ code: 'bad_archive' }));
  });
});

describe('workspace export', () => {
  it('zips the regular files without dependencies, VCS data, .aura or links, and round-trips', async () => {
    const workspace = path.join(root, 'ws');
    const files: Record<string, Buffer> = {
      'index.html': Buffer.from('<h1>hi</h1>\n'),
      'src/app.ts': Buffer.from('export const a = 1;\n'),
      'assets/noise.bin': randomBytes(100_000),
      'empty.txt': Buffer.alloc(0),
      'names/spaced ünï.md': Buffer.from('# title\n'),
    };
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
      writeFileSync(path.join(workspace, name), data);
    }
    for (const excluded of ['node_modules/dep/x.js', '.git/HEAD', '.aura/config.json', 'dist/out.js']) {
      mkdirSync(path.dirname(path.join(workspace, excluded)), { recursive: true });
      writeFileSync(path.join(workspace, excluded), 'excluded');
    }
    symlinkSync('/etc/passwd', path.join(workspace, 'passwd-link'));
    chmodSync(path.join(workspace, 'src/app.ts'), 0o755);

    const zip = await zipWorkspace(workspace);
    expect(zip.files).toBe(5);
    const bytes = new Uint8Array(await new Response(zip.stream).arrayBuffer());
    const unpacked = unzipSync(bytes);
    expect(Object.keys(unpacked).sort()).toEqual(Object.keys(files).sort());
    for (const [name, data] of Object.entries(files))
      expect(Buffer.from(unpacked[name]!).equals(data)).toBe(true);

    const dest = fresh();
    await extractZip(bytes, dest);
    const expected = tree(workspace);
    for (const key of Object.keys(expected)) {
      if (/^(node_modules|\.git|\.aura|dist)\/|^passwd-link$/.test(key)) delete expected[key];
    }
    expect(tree(dest)).toEqual(expected);
  });

  it('refuses a workspace over the limits before producing anything', async () => {
    const workspace = path.join(root, 'ws');
    mkdirSync(workspace);
    writeFileSync(path.join(workspace, 'a'), Buffer.alloc(2000));
    await expect(zipWorkspace(workspace, { maxEntries: 10, maxTotalBytes: 1000 })).rejects.toMatchObject({
      code: 'too_large',
    });
  });
});

describe('folder import', () => {
  function makeFolder(): string {
    const source = path.join(root, 'source');
    mkdirSync(path.join(source, 'src/lib'), { recursive: true });
    writeFileSync(path.join(source, 'src/lib/a.ts'), 'export const a = 1;\n');
    writeFileSync(path.join(source, 'readme.md'), '# readme\n');
    writeFileSync(path.join(source, 'tool.sh'), '#!/bin/sh\n');
    chmodSync(path.join(source, 'tool.sh'), 0o755);
    mkdirSync(path.join(source, 'node_modules/dep'), { recursive: true });
    writeFileSync(path.join(source, 'node_modules/dep/index.js'), 'dep');
    return source;
  }

  it('copies the folder, recreating links that stay inside as relative links', async () => {
    const source = makeFolder();
    symlinkSync('src/lib/a.ts', path.join(source, 'a-link.ts'));
    symlinkSync(path.join(source, 'src'), path.join(source, 'src-abs'));
    symlinkSync('missing-file', path.join(source, 'dangling'));
    const dest = fresh();
    const summary = await importFolder(source, dest);
    expect(summary).toEqual({ files: 3, bytes: 20 + 9 + 10, skipped: 1 });
    expect(tree(dest)).toEqual({
      'a-link.ts': 'link:src/lib/a.ts',
      'readme.md': `-:${Buffer.from('# readme\n').toString('base64')}`,
      'src-abs': 'link:src',
      'src/lib/a.ts': `-:${Buffer.from('export const a = 1;\n').toString('base64')}`,
      'tool.sh': `x:${Buffer.from('#!/bin/sh\n').toString('base64')}`,
    });
  });

  it.each([
    ['an absolute link outside', () => '/etc'],
    ['a relative link outside', () => '../../outside'],
    ['a link to the folder above', () => '../..'],
  ])('refuses %s and writes nothing', async (_what, target) => {
    const source = makeFolder();
    mkdirSync(path.join(root, 'outside'), { recursive: true });
    symlinkSync(target(), path.join(source, 'src', 'escape'));
    const dest = fresh();
    await expect(importFolder(source, dest)).rejects.toMatchObject({ code: 'unsafe_entry' });
    expect(existsSync(dest)).toBe(false);
  });

  it('refuses a relative path, a missing folder and one overlapping forbidden directories', async () => {
    const source = makeFolder();
    await expect(importFolder('source', fresh())).rejects.toMatchObject({ code: 'bad_source' });
    await expect(importFolder(path.join(root, 'nope'), fresh())).rejects.toMatchObject({
      code: 'bad_source',
    });
    await expect(
      importFolder(source, fresh(), { forbidden: [path.join(source, 'src')] }),
    ).rejects.toMatchObject({
      code: 'bad_source',
    });
    await expect(
      importFolder(path.join(source, 'src'), fresh(), { forbidden: [source] }),
    ).rejects.toMatchObject({
      code: 'bad_source',
    });
    const viaLink = path.join(root, 'link-to-source');
    symlinkSync(source, viaLink);
    await expect(importFolder(viaLink, fresh(), { forbidden: [source] })).rejects.toMatchObject({
      code: 'bad_source',
    });
  });
});
