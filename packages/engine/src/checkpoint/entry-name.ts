import { ArchiveError } from './errors.ts';
import { excludedDirNames } from './excludes.ts';

/**
 * Checks a path taken from an archive and returns it without a trailing slash. Anything that is
 * not a plain relative path is refused: absolute paths, drive letters, backslashes, `.`/`..` or
 * empty segments, control characters. These are exactly the names that could land outside the
 * destination (zip-slip) or mean different files on different systems.
 */
export function checkEntryName(raw: string): string {
  const name = raw.endsWith('/') ? raw.slice(0, -1) : raw;
  const refuse = (why: string): never => {
    throw new ArchiveError(
      'unsafe_entry',
      `Refused archive entry ${JSON.stringify(raw.slice(0, 300))}: ${why}.`,
    );
  };
  if (name === '') refuse('empty name');
  if (/[\u0000-\u001f\u007f]/.test(name)) refuse('control characters in the name');
  if (name.includes('\\')) refuse('backslashes are not path separators here');
  if (name.startsWith('/')) refuse('absolute path');
  if (/^[a-zA-Z]:/.test(name)) refuse('drive letter');
  if (Buffer.byteLength(name) > 4096) refuse('name longer than 4096 bytes');
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') refuse('empty, "." or ".." path segment');
    if (Buffer.byteLength(segment) > 255) refuse('a name segment longer than 255 bytes');
  }
  return name;
}

/** Entries that are checked but not written: dependencies, caches, VCS data, Aura settings. */
export function skippedOnImport(name: string, isDir: boolean): boolean {
  const segments = name.split('/');
  const dirs = isDir ? segments : segments.slice(0, -1);
  return dirs.some((segment) => excludedDirNames.has(segment)) || segments[0] === '__MACOSX';
}
