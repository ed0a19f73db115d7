import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { checkEntryName, skippedOnImport } from './entry-name.ts';
import { ArchiveError } from './errors.ts';

export interface ArchiveLimits {
  /** Most files and directories an archive may hold. */
  maxEntries: number;
  /** Most bytes its files may hold once unpacked. */
  maxTotalBytes: number;
}

export const defaultImportLimits: ArchiveLimits = { maxEntries: 10_000, maxTotalBytes: 200 * 1024 * 1024 };

export interface ZipEntry {
  /** Checked relative path, without a trailing slash. */
  name: string;
  isDir: boolean;
  executable: boolean;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's compressed data. */
  dataStart: number;
  /** A dependency, cache, VCS or `.aura` entry: checked like the rest, never written. */
  skipped: boolean;
}

export interface ImportSummary {
  files: number;
  bytes: number;
  /** Entries left out (dependencies, caches, VCS data, Aura settings, unresolvable links). */
  skipped: number;
}

const sig = { end: 0x06054b50, central: 0x02014b50, local: 0x04034b50, zip64Locator: 0x07064b50 };
const typeMask = 0o170000;
const types = { file: 0o100000, dir: 0o040000, link: 0o120000 };

const bad = (message: string) => new ArchiveError('bad_archive', `Not a usable zip archive: ${message}.`);

function findEnd(buf: Buffer): number {
  const lowest = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= lowest; i--) {
    if (buf.readUInt32LE(i) === sig.end && i + 22 + buf.readUInt16LE(i + 20) === buf.length) return i;
  }
  throw bad('no end-of-central-directory record');
}

function decodeName(bytes: Buffer, flags: number): string {
  if (flags & 0x800) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new ArchiveError('unsafe_entry', 'Refused an archive entry whose name is not valid UTF-8.');
    }
  }
  // Without the UTF-8 flag a name is in an unknown legacy code page: only ASCII reads the same everywhere.
  if (bytes.some((b) => b >= 0x80)) {
    throw new ArchiveError(
      'unsafe_entry',
      'Refused an archive entry with a non-ASCII name not marked UTF-8.',
    );
  }
  return bytes.toString('latin1');
}

/**
 * Reads and checks a zip archive's directory without unpacking anything. Refuses unsafe names
 * (see checkEntryName), symbolic links and special files, duplicates and file/directory clashes,
 * encryption, ZIP64, multi-disk and overlapping entries, and archives over the limits by their
 * declared sizes. Unpacking (extractZip) then holds every entry to its declared size and CRC.
 */
export function readZip(bytes: Uint8Array, limits: ArchiveLimits = defaultImportLimits): ZipEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 22) throw bad('too short');
  const end = findEnd(buf);
  if (end >= 20 && buf.readUInt32LE(end - 20) === sig.zip64Locator)
    throw bad('ZIP64 archives are not supported');
  const count = buf.readUInt16LE(end + 10);
  const cdSize = buf.readUInt32LE(end + 12);
  const cdOffset = buf.readUInt32LE(end + 16);
  if (
    buf.readUInt16LE(end + 4) !== 0 ||
    buf.readUInt16LE(end + 6) !== 0 ||
    buf.readUInt16LE(end + 8) !== count
  )
    throw bad('multi-disk archives are not supported');
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)
    throw bad('ZIP64 archives are not supported');
  if (count > limits.maxEntries) {
    throw new ArchiveError(
      'too_many_entries',
      `The archive has ${count} entries; at most ${limits.maxEntries} can be imported.`,
    );
  }
  const cdEnd = cdOffset + cdSize;
  if (cdEnd > end) throw bad('central directory out of bounds');

  const entries: (ZipEntry & { headerOffset: number; nameBytes: Buffer })[] = [];
  let declared = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdEnd || buf.readUInt32LE(p) !== sig.central) throw bad('corrupt central directory');
    const madeBy = buf.readUInt16LE(p + 4);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const external = buf.readUInt32LE(p + 38);
    const headerOffset = buf.readUInt32LE(p + 42);
    const nameBytes = buf.subarray(p + 46, p + 46 + nameLength);
    p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    if (p > cdEnd) throw bad('corrupt central directory');

    const raw = decodeName(nameBytes, flags);
    const name = checkEntryName(raw);
    const mode = external >>> 16;
    const type = mode & typeMask;
    if (type === types.link) {
      throw new ArchiveError(
        'unsafe_entry',
        `Refused archive entry ${JSON.stringify(name)}: symbolic links are not imported.`,
      );
    }
    if (type !== 0 && type !== types.file && type !== types.dir) {
      throw new ArchiveError(
        'unsafe_entry',
        `Refused archive entry ${JSON.stringify(name)}: not a regular file or directory.`,
      );
    }
    const dosDir = madeBy >> 8 === 0 && (external & 0x10) !== 0;
    const isDir = raw.endsWith('/') || type === types.dir || dosDir;
    if (flags & 0x41) throw bad(`${name} is encrypted`);
    if (method !== 0 && method !== 8)
      throw bad(`${name} uses compression method ${method} (only stored and deflate)`);
    if (compressedSize === 0xffffffff || size === 0xffffffff) throw bad('ZIP64 entries are not supported');
    if (isDir && size !== 0) throw bad(`directory ${name} has contents`);
    if (method === 0 && compressedSize !== size) throw bad(`${name} has inconsistent sizes`);
    declared += size;
    if (declared > limits.maxTotalBytes) {
      throw new ArchiveError(
        'too_large',
        `The archive unpacks to more than ${limits.maxTotalBytes} bytes (by its declared sizes); that is the import limit.`,
      );
    }
    entries.push({
      name,
      isDir,
      executable: !isDir && (mode & 0o111) !== 0,
      method,
      crc,
      compressedSize,
      size,
      dataStart: 0,
      skipped: skippedOnImport(name, isDir),
      headerOffset,
      nameBytes,
    });
  }
  checkNames(entries);
  locateData(buf, entries, cdOffset);
  return entries.map(({ headerOffset: _h, nameBytes: _n, ...entry }) => entry);
}

/** No name twice, and no file where another entry needs a directory. */
function checkNames(entries: ZipEntry[]): void {
  const seen = new Set<string>();
  const files = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.name)) {
      throw new ArchiveError(
        'unsafe_entry',
        `Refused archive entry ${JSON.stringify(entry.name)}: it appears twice.`,
      );
    }
    seen.add(entry.name);
    if (!entry.isDir) files.add(entry.name);
  }
  for (const entry of entries) {
    const segments = entry.name.split('/');
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join('/');
      if (files.has(parent)) {
        throw new ArchiveError(
          'unsafe_entry',
          `Refused archive entry ${JSON.stringify(entry.name)}: ${parent} is also a file.`,
        );
      }
    }
  }
}

/** Finds each entry's data behind its local header; entries must not overlap or reach the directory. */
function locateData(
  buf: Buffer,
  entries: (ZipEntry & { headerOffset: number; nameBytes: Buffer })[],
  cdOffset: number,
): void {
  let previousEnd = 0;
  for (const entry of [...entries].sort((a, b) => a.headerOffset - b.headerOffset)) {
    const at = entry.headerOffset;
    if (at < previousEnd || at + 30 > cdOffset || buf.readUInt32LE(at) !== sig.local)
      throw bad(`bad or overlapping local header for ${entry.name}`);
    const nameLength = buf.readUInt16LE(at + 26);
    const localName = buf.subarray(at + 30, at + 30 + nameLength);
    if (!localName.equals(entry.nameBytes)) throw bad(`local and central names differ for ${entry.name}`);
    if (buf.readUInt16LE(at + 8) !== entry.method || buf.readUInt16LE(at + 6) & 0x41)
      throw bad(`local header of ${entry.name} disagrees with the directory`);
    entry.dataStart = at + 30 + nameLength + buf.readUInt16LE(at + 28);
    previousEnd = entry.dataStart + entry.compressedSize;
    if (previousEnd > cdOffset) throw bad(`data of ${entry.name} runs past the archive`);
  }
}

/** An entry's bytes, held to its declared size and CRC (a zip bomb cannot claim to be small). */
export function entryBytes(bytes: Uint8Array, entry: ZipEntry): Buffer {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stored = buf.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  let data: Buffer;
  if (entry.method === 0) data = stored;
  else {
    try {
      data = inflateRawSync(stored, { maxOutputLength: Math.max(entry.size, 1) });
    } catch {
      throw bad(`${entry.name} does not unpack to its declared ${entry.size} bytes`);
    }
  }
  if (data.length !== entry.size)
    throw bad(`${entry.name} does not unpack to its declared ${entry.size} bytes`);
  if (crc32(data) !== entry.crc) throw bad(`${entry.name} fails its CRC check`);
  return data;
}

/**
 * Unpacks a checked archive into `dest`, which must not exist yet (its parent must). Nothing is
 * written unless the whole directory passes readZip; an entry that then fails to unpack removes
 * `dest` again, so a refused archive leaves nothing behind.
 */
export async function extractZip(
  bytes: Uint8Array,
  dest: string,
  limits: ArchiveLimits = defaultImportLimits,
): Promise<ImportSummary> {
  const entries = readZip(bytes, limits);
  await mkdir(dest, { mode: 0o755 });
  const summary: ImportSummary = { files: 0, bytes: 0, skipped: 0 };
  try {
    for (const entry of entries) {
      if (entry.skipped) {
        summary.skipped += 1;
        continue;
      }
      const target = path.join(dest, ...entry.name.split('/'));
      if (entry.isDir) {
        await mkdir(target, { recursive: true, mode: 0o755 });
        continue;
      }
      const data = entryBytes(bytes, entry);
      await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
      // `wx`: never through something already there (dest is new, so nothing should be).
      await writeFile(target, data, { flag: 'wx', mode: entry.executable ? 0o755 : 0o644 });
      summary.files += 1;
      summary.bytes += data.length;
    }
  } catch (error) {
    await rm(dest, { recursive: true, force: true });
    throw error;
  }
  return summary;
}
