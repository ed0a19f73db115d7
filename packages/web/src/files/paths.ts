/** Longest path the server accepts. */
const MAX_PATH = 4096;

/**
 * Why a path typed for a new, renamed or moved entry cannot be used, or null when it can. Checked
 * before calling the server, which refuses the same paths with a less friendly message.
 */
export function pathProblem(path: string): string | null {
  if (path.trim() === '') return 'Enter a name.';
  if (path !== path.trim()) return 'A name cannot start or end with spaces.';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path))
    return 'Use a path inside the project, like src/App.tsx.';
  if (path.includes('\\')) return 'Separate folders with “/”.';
  if (path.length > MAX_PATH) return `A path can be at most ${MAX_PATH} characters.`;
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'A name cannot contain control characters.';
  const segments = path.split('/');
  if (segments.some((segment) => segment === '.' || segment === '..'))
    return 'A path cannot contain “.” or “..” as a folder.';
  if (segments.some((segment) => segment === ''))
    return 'A path cannot have an empty part (“//” or a “/” at an end).';
  if (segments.some((segment) => segment !== segment.trim()))
    return 'A name cannot start or end with spaces.';
  return null;
}

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

export function isSameOrInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

/** Where `path` ends up when `from` (a file or a folder) moves to `to`; null when it does not move. */
export function movedPath(path: string, from: string, to: string): string | null {
  return isSameOrInside(path, from) ? to + path.slice(from.length) : null;
}

/** Every folder above `path`, outermost first. */
export function ancestorsOf(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, index) => parts.slice(0, index + 1).join('/'));
}

/** A POSIX shell word holding exactly `text`. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
