/**
 * Glob patterns → regular expressions. Supports `**` (any number of directories), `*` and `?`
 * (within one path segment), `{a,b}` alternatives (nestable), `[abc]` / `[a-z]` / `[!abc]` classes
 * and `\` escapes. `*` matches dotfiles too. Paths use `/` separators.
 */

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

function escapeRegex(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}

class GlobParser {
  readonly #pattern: string;
  #pos = 0;

  constructor(pattern: string) {
    this.#pattern = pattern;
  }

  parse(): string {
    return this.#sequence(false);
  }

  #atSegmentStart(index: number, inBrace: boolean): boolean {
    const previous = this.#pattern[index - 1];
    return index === 0 || previous === '/' || (inBrace && (previous === '{' || previous === ','));
  }

  #sequence(inBrace: boolean): string {
    const pattern = this.#pattern;
    let out = '';
    while (this.#pos < pattern.length) {
      const char = pattern[this.#pos]!;
      if (inBrace && (char === ',' || char === '}')) return out;
      if (char === '\\') {
        const next = pattern[this.#pos + 1];
        out += escapeRegex(next ?? '\\');
        this.#pos += next === undefined ? 1 : 2;
      } else if (char === '*') {
        out += this.#star(inBrace);
      } else if (char === '?') {
        out += '[^/]';
        this.#pos += 1;
      } else if (char === '[') {
        const cls = this.#charClass();
        if (cls) out += cls;
        else {
          out += '\\[';
          this.#pos += 1;
        }
      } else if (char === '{') {
        const alternatives = this.#braces();
        if (alternatives !== undefined) out += alternatives;
        else {
          out += '\\{';
          this.#pos += 1;
        }
      } else {
        out += escapeRegex(char);
        this.#pos += 1;
      }
    }
    return out;
  }

  #star(inBrace: boolean): string {
    const pattern = this.#pattern;
    const start = this.#pos;
    let end = start;
    while (pattern[end] === '*') end += 1;
    this.#pos = end;
    if (end - start < 2) return '[^/]*';
    const next = pattern[end];
    const atEnd = next === undefined || next === '/' || (inBrace && (next === ',' || next === '}'));
    if (!this.#atSegmentStart(start, inBrace) || !atEnd) return '[^/]*';
    if (next === '/') {
      this.#pos = end + 1;
      return '(?:[^/]*/)*';
    }
    return '.*';
  }

  #charClass(): string | undefined {
    const pattern = this.#pattern;
    let index = this.#pos + 1;
    let negate = false;
    if (pattern[index] === '!' || pattern[index] === '^') {
      negate = true;
      index += 1;
    }
    let body = '';
    let first = true;
    while (index < pattern.length) {
      const char = pattern[index]!;
      if (char === ']' && !first) {
        this.#pos = index + 1;
        return `[${negate ? '^/' : ''}${body}]`;
      }
      if (char === '\\' && index + 1 < pattern.length) {
        body += `\\${pattern[index + 1]}`;
        index += 2;
      } else {
        body += char === '-' ? '-' : char.replace(/[\\\]^[]/g, '\\$&');
        index += 1;
      }
      first = false;
    }
    return undefined;
  }

  #braces(): string | undefined {
    const start = this.#pos;
    this.#pos += 1;
    const alternatives: string[] = [];
    for (;;) {
      alternatives.push(this.#sequence(true));
      const char = this.#pattern[this.#pos];
      if (char === ',') {
        this.#pos += 1;
      } else if (char === '}') {
        this.#pos += 1;
        return `(?:${alternatives.join('|')})`;
      } else {
        this.#pos = start;
        return undefined;
      }
    }
  }
}

/** Regex source (without anchors) for a glob. */
export function globSource(pattern: string): string {
  return new GlobParser(pattern).parse();
}

export function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${globSource(pattern)}$`);
}

/** Whether a path segment contains glob syntax. */
export function hasGlobMagic(text: string): boolean {
  return /[*?[{\\]/.test(text);
}

export interface GlobMatcher {
  /** Tests a `/`-separated path relative to the glob's root. */
  (relativePath: string): boolean;
  /** The glob's literal leading directories (where a walk can start), `''` for the root. */
  base: string;
  /** True when the pattern has no `/` and is matched against file names at any depth. */
  matchesBaseName: boolean;
}

/**
 * Compiles a glob the way ripgrep and .gitignore read it: a pattern without `/` matches the file
 * name at any depth (`*.ts` ≈ `**\/*.ts`); a pattern with `/` matches the whole relative path.
 */
export function compileGlob(pattern: string): GlobMatcher {
  let normalized = pattern.replace(/^(\.\/)+/, '');
  if (normalized.endsWith('/')) normalized += '**';
  const matchesBaseName = !normalized.includes('/');
  const regex = globToRegExp(normalized);
  const matcher = ((relativePath: string) => {
    if (matchesBaseName) return regex.test(relativePath.slice(relativePath.lastIndexOf('/') + 1));
    return regex.test(relativePath);
  }) as GlobMatcher;
  const segments = normalized.split('/');
  const literal: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (hasGlobMagic(segment)) break;
    literal.push(segment);
  }
  matcher.base = matchesBaseName ? '' : literal.join('/');
  matcher.matchesBaseName = matchesBaseName;
  return matcher;
}
