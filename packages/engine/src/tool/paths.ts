import { lstatSync, readlinkSync, realpathSync, type Stats } from 'node:fs';
import path from 'node:path';
import { ToolError } from './types.ts';

/**
 * Path confinement. Every path a model hands a tool is relative to the workspace and must end up
 * inside it after symlinks are resolved — at any position in the path, including a link in the
 * middle (`link/dir/file` with `link → /etc`) and a link that does not exist yet (a dangling link
 * whose target would be created outside). The resolved real path is what tools then operate on, so
 * the path that was checked is the path that is used.
 */

export interface ResolveOptions {
  /** The path must exist (reads, edits, deletes). */
  mustExist?: boolean;
  /** The path will be created or written: its nearest existing ancestor must be a directory. */
  forWrite?: boolean;
  /**
   * Resolve the parent directory but not the last component, so a symlink is treated as the link
   * itself (delete and move act on the link, never on what it points to). Default: follow.
   */
  followFinal?: boolean;
}

const MAX_LINK_HOPS = 40;

function isInside(root: string, candidate: string): boolean {
  if (candidate === root) return true;
  return candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function lstatOrUndefined(target: string): Stats | undefined {
  try {
    return lstatSync(target);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** Display form of a path relative to the workspace, always with `/` separators; `.` for the root. */
export function toWorkspaceRelative(workspace: string, absolute: string): string {
  const relative = path.relative(workspace, absolute);
  if (relative === '') return '.';
  return relative.split(path.sep).join('/');
}

/** True when `absolute` (already real) lies inside the real workspace root. */
export function isInsideWorkspace(workspace: string, absolute: string): boolean {
  return isInside(workspace, absolute);
}

/** Cheap checks on the text of a path, before touching the filesystem. */
export function checkPathSyntax(userPath: string, label = 'path'): void {
  if (userPath.includes('\0')) {
    throw new ToolError(
      `The ${label} contains a NUL byte. Pass a plain relative path such as "src/index.ts".`,
    );
  }
  if (path.isAbsolute(userPath) || /^[a-zA-Z]:[\\/]/.test(userPath)) {
    throw new ToolError(
      `The ${label} "${userPath}" is absolute. Use a path relative to the workspace root, e.g. "src/index.ts".`,
    );
  }
  if (userPath === '~' || userPath.startsWith('~/')) {
    throw new ToolError(
      `The ${label} "${userPath}" refers to a home directory. Only files inside the workspace are available; use a path relative to the workspace root.`,
    );
  }
}

function outsideError(userPath: string, viaLink: boolean, label: string): ToolError {
  if (viaLink) {
    return new ToolError(
      `The ${label} "${userPath}" goes through a symbolic link that points outside the workspace. Tools can only access files inside the workspace; use a path that does not go through that link.`,
    );
  }
  return new ToolError(
    `The ${label} "${userPath}" is outside the workspace. Use a path relative to the workspace root that does not climb above it with "..".`,
  );
}

/**
 * Resolves an absolute path whose tail may not exist: symlinks in the existing part are followed
 * (including a dangling one, whose target is where a write would land); the missing tail is appended.
 */
function resolveLoose(
  absolute: string,
  hops: number,
): { real: string; missing: string[]; existing: Stats | undefined } {
  if (hops > MAX_LINK_HOPS) {
    throw new ToolError('Too many levels of symbolic links while resolving the path.');
  }
  const missing: string[] = [];
  let existingPath = absolute;
  let stats = lstatOrUndefined(existingPath);
  while (!stats) {
    const parent = path.dirname(existingPath);
    missing.unshift(path.basename(existingPath));
    if (parent === existingPath) break;
    existingPath = parent;
    stats = lstatOrUndefined(existingPath);
  }
  let real: string;
  try {
    real = realpathSync(existingPath);
  } catch (error) {
    const code = errnoCode(error);
    if ((code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'ELOOP') || !stats?.isSymbolicLink())
      throw error;
    if (code === 'ELOOP') throw new ToolError('The path contains a symbolic link loop.');
    // A dangling link: resolve where it points, as a write through it would.
    const parentReal = realpathSync(path.dirname(existingPath));
    const target = path.resolve(parentReal, readlinkSync(existingPath));
    const inner = resolveLoose(target, hops + 1);
    return { real: inner.real, missing: [...inner.missing, ...missing], existing: inner.existing };
  }
  return { real, missing, existing: lstatOrUndefined(real) };
}

export interface ResolvedPath {
  /** Absolute real path to operate on. */
  absolute: string;
  /** Workspace-relative display path (`/` separators). */
  relative: string;
  /** lstat of the final path, when it exists. */
  stats: Stats | undefined;
}

/** Like resolveInWorkspace, but also returns the display path and stats. Synchronous. */
export function resolveWorkspacePath(
  workspace: string,
  userPath: string,
  options: ResolveOptions = {},
  label = 'path',
): ResolvedPath {
  checkPathSyntax(userPath, label);
  const root = realpathSync(workspace);
  const lexical = path.resolve(root, userPath);
  if (!isInside(root, lexical)) throw outsideError(userPath, false, label);

  const follow = options.followFinal ?? true;
  let absolute: string;
  let stats: Stats | undefined;
  let tailMissing: boolean;
  if (follow || lexical === root) {
    const resolved = resolveLoose(lexical, 0);
    absolute = resolved.missing.length > 0 ? path.join(resolved.real, ...resolved.missing) : resolved.real;
    tailMissing = resolved.missing.length > 0;
    stats = tailMissing ? undefined : resolved.existing;
    if (!isInside(root, absolute)) throw outsideError(userPath, true, label);
    if (tailMissing && resolved.existing && !resolved.existing.isDirectory()) {
      if (options.mustExist) throw notFound(userPath, label);
      const blocker = toWorkspaceRelative(root, resolved.real);
      throw new ToolError(
        `Cannot use "${userPath}": "${blocker}" is a file, not a directory, so nothing can exist beneath it.`,
      );
    }
  } else {
    const parent = resolveLoose(path.dirname(lexical), 0);
    const parentAbsolute =
      parent.missing.length > 0 ? path.join(parent.real, ...parent.missing) : parent.real;
    if (!isInside(root, parentAbsolute)) throw outsideError(userPath, true, label);
    absolute = path.join(parentAbsolute, path.basename(lexical));
    stats = parent.missing.length > 0 ? undefined : lstatOrUndefined(absolute);
    tailMissing = stats === undefined;
    if (parent.missing.length > 0 && parent.existing && !parent.existing.isDirectory()) {
      if (options.mustExist) throw notFound(userPath, label);
      const blocker = toWorkspaceRelative(root, parent.real);
      throw new ToolError(
        `Cannot use "${userPath}": "${blocker}" is a file, not a directory, so nothing can exist beneath it.`,
      );
    }
  }

  if (options.mustExist && tailMissing) throw notFound(userPath, label);
  if (options.forWrite && stats?.isDirectory()) {
    throw new ToolError(`The ${label} "${userPath}" is a directory; give the path of a file.`);
  }
  return { absolute, relative: toWorkspaceRelative(root, absolute), stats };
}

function notFound(userPath: string, label: string): ToolError {
  return new ToolError(
    `The ${label} "${userPath}" does not exist in the workspace. Check the spelling, or find the file with glob or list.`,
  );
}

/**
 * Resolves a model-supplied path against the workspace and returns the absolute real path to use,
 * or throws a ToolError explaining what to change (absolute path, `..` escape, NUL byte, symlink
 * leading outside, missing file).
 */
export async function resolveInWorkspace(
  workspace: string,
  userPath: string,
  options: ResolveOptions = {},
): Promise<string> {
  return resolveWorkspacePath(workspace, userPath, options).absolute;
}
