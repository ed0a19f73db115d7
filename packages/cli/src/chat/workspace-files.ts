import { walkWorkspace } from '@aura/engine';

/** How long a listing is reused: completion asks on every keystroke, files rarely appear that fast. */
const CACHE_MS = 5_000;
/** Enough for large repositories; beyond it completion offers what it saw. */
const MAX_ENTRIES = 200_000;
const DEFAULT_LIMIT = 50;

/**
 * Workspace files for `@file` completion: .gitignore respected, `.git` and `node_modules` never
 * entered, symbolic links not followed. Listed once, then served from memory for a few seconds.
 */
export class WorkspaceFiles {
  readonly #workspace: string;
  #cached: { at: number; files: Promise<Listed[]> } | undefined;

  constructor(workspace: string) {
    this.#workspace = workspace;
  }

  /**
   * Paths starting with `prefix` first, then paths whose name starts with it, then paths containing
   * it (the last two ignoring case); shallow paths before deep ones in each group.
   */
  async complete(prefix: string, limit = DEFAULT_LIMIT): Promise<string[]> {
    const files = await this.#files();
    const wanted = prefix.replace(/^\.\//, '');
    if (wanted === '') return files.slice(0, limit).map((file) => file.path);
    const lower = wanted.toLowerCase();
    const groups: string[][] = [[], [], []];
    for (const file of files) {
      if (file.path.startsWith(wanted)) groups[0]!.push(file.path);
      else if (file.lowerName.startsWith(lower)) groups[1]!.push(file.path);
      else if (file.lowerPath.includes(lower)) groups[2]!.push(file.path);
    }
    return groups.flat().slice(0, limit);
  }

  #files(): Promise<Listed[]> {
    const now = Date.now();
    if (!this.#cached || now - this.#cached.at > CACHE_MS) {
      this.#cached = { at: now, files: listFiles(this.#workspace) };
    }
    return this.#cached.files;
  }
}

/** A path with the lowercase forms matching needs, computed once per listing, not per keystroke. */
interface Listed {
  path: string;
  lowerPath: string;
  lowerName: string;
}

async function listFiles(workspace: string): Promise<Listed[]> {
  const files: string[] = [];
  try {
    for await (const entry of walkWorkspace(workspace, { gitignore: true, maxEntries: MAX_ENTRIES })) {
      if (entry.kind === 'file') files.push(entry.relative);
    }
  } catch {
    // A workspace that vanished (or cannot be read) simply offers nothing to complete.
    return [];
  }
  const depth = (path: string) => path.split('/').length;
  files.sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0));
  return files.map((path) => {
    const lowerPath = path.toLowerCase();
    return { path, lowerPath, lowerName: lowerPath.slice(lowerPath.lastIndexOf('/') + 1) };
  });
}
