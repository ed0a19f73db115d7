import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { globSource } from './glob-match.ts';

/** Directories no search descends into: VCS internals and installed dependencies. */
export const ALWAYS_SKIPPED_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules']);

interface Rule {
  /** Directory of the .gitignore, relative to the workspace ('' for the root). */
  base: string;
  regex: RegExp;
  negate: boolean;
  dirOnly: boolean;
  /** No slash in the pattern: matched against the name at any depth below `base`. */
  baseName: boolean;
}

/** Parses .gitignore text into rules scoped to `base`. */
export function parseGitignore(text: string, base: string): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
      line = line.slice(1);
    }
    let dirOnly = false;
    if (line.endsWith('/')) {
      dirOnly = true;
      line = line.slice(0, -1);
    }
    if (line === '') continue;
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    // `dir/**` matches everything inside dir but not dir itself, as in git.
    rules.push({ base, regex: new RegExp(`^${globSource(line)}$`), negate, dirOnly, baseName: !anchored });
  }
  return rules;
}

/**
 * .gitignore rules for a walk. Rules are added per directory as the walk enters it; later rules
 * (deeper directories, later lines) win, and `!pattern` re-includes.
 */
export class GitignoreRules {
  readonly #rules: Rule[] = [];

  /** Loads `<dir>/.gitignore` if there is one. `relativeDir` is '' for the workspace root. */
  async load(absoluteDir: string, relativeDir: string): Promise<void> {
    let text: string;
    try {
      text = await readFile(path.join(absoluteDir, '.gitignore'), 'utf8');
    } catch {
      return;
    }
    this.#rules.push(...parseGitignore(text, relativeDir));
  }

  get size(): number {
    return this.#rules.length;
  }

  ignores(relativePath: string, isDir: boolean): boolean {
    let ignored = false;
    for (const rule of this.#rules) {
      if (rule.dirOnly && !isDir) continue;
      if (ignored === !rule.negate) continue;
      let subject = relativePath;
      if (rule.base !== '') {
        if (!relativePath.startsWith(`${rule.base}/`)) continue;
        subject = relativePath.slice(rule.base.length + 1);
      }
      if (rule.baseName) subject = subject.slice(subject.lastIndexOf('/') + 1);
      if (rule.regex.test(subject)) ignored = !rule.negate;
    }
    return ignored;
  }
}
