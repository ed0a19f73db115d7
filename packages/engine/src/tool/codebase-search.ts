import { readFile } from 'node:fs/promises';
import { type CodebaseSearchInput, codebaseSearchInput } from '@aura/protocol';
import { looksBinary, SNIFF_BYTES } from './binary.ts';
import { cutLine } from './text.ts';
import { type ToolDefinition, ToolError } from './types.ts';
import { walkWorkspace } from './walk.ts';

export const MAX_SEARCH_FILES = 10;
const SNIPPETS_PER_FILE = 3;
const MAX_FILE_BYTES = 512 * 1024;
const MAX_FILES_SCANNED = 20_000;
const MAX_BYTES_SCANNED = 200 * 1024 * 1024;
const LOCKFILES = new Set([
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'Cargo.lock',
  'poetry.lock',
  'composer.lock',
  'Gemfile.lock',
  'go.sum',
]);
const STOPWORDS = new Set(
  'a an and are as at be by can code do does file files for from get how i if in into is it its me of on or set should show that the this to use used uses using what when where which who why with within find function implement implemented'.split(
    ' ',
  ),
);

/** Query → search terms: whole identifiers plus their camelCase / snake_case parts, lowercased. */
export function queryTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const word of query.match(/[A-Za-z_$][A-Za-z0-9_$]*|\d{2,}/g) ?? []) {
    const lower = word.toLowerCase();
    if (lower.length >= 2 && !STOPWORDS.has(lower)) terms.add(lower);
    const parts = word.split(/[_$]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/);
    if (parts.length > 1) {
      for (const part of parts) {
        const piece = part.toLowerCase();
        if (piece.length >= 3 && !STOPWORDS.has(piece)) terms.add(piece);
      }
    }
  }
  return [...terms];
}

function countOccurrences(haystack: string, needle: string, cap = 1000): number {
  let count = 0;
  for (
    let index = haystack.indexOf(needle);
    index !== -1 && count < cap;
    index = haystack.indexOf(needle, index + needle.length)
  ) {
    count += 1;
  }
  return count;
}

interface FileStats {
  path: string;
  absolute: string;
  tf: number[];
  length: number;
}

interface Ranked {
  path: string;
  absolute: string;
  score: number;
}

/** BM25 over file contents, plus a boost for terms in the path and file name. */
export function rankFiles(files: FileStats[], terms: string[], totalFiles: number): Ranked[] {
  const k1 = 1.2;
  const b = 0.75;
  const averageLength = files.reduce((sum, file) => sum + file.length, 0) / Math.max(1, files.length) || 1;
  const df = terms.map((_, index) => files.filter((file) => file.tf[index]! > 0).length);
  const idf = df.map((count) => Math.log(1 + (totalFiles - count + 0.5) / (count + 0.5)));
  const ranked: Ranked[] = [];
  for (const file of files) {
    const lowerPath = file.path.toLowerCase();
    const baseName = lowerPath.slice(lowerPath.lastIndexOf('/') + 1);
    let score = 0;
    let matched = 0;
    terms.forEach((term, index) => {
      const tf = file.tf[index]!;
      const inPath = lowerPath.includes(term);
      if (tf > 0 || inPath) matched += 1;
      if (tf > 0)
        score += (idf[index]! * (tf * (k1 + 1))) / (tf + k1 * (1 - b + (b * file.length) / averageLength));
      if (inPath) score += idf[index]! * 1.5;
      if (baseName.includes(term)) score += idf[index]!;
    });
    if (score <= 0) continue;
    score *= 0.5 + (0.5 * matched) / terms.length;
    ranked.push({ path: file.path, absolute: file.absolute, score });
  }
  return ranked.sort((x, y) => y.score - x.score || (x.path < y.path ? -1 : 1));
}

/** The lines of a file that mention the most (and rarest) terms. */
export function bestLines(content: string, terms: string[], count: number): { line: number; text: string }[] {
  const scored: { line: number; text: string; score: number }[] = [];
  content.split('\n').forEach((text, index) => {
    const lower = text.toLowerCase();
    let score = 0;
    for (const term of terms) if (lower.includes(term)) score += term.length;
    if (score > 0) scored.push({ line: index + 1, text: text.replace(/\r$/, ''), score });
  });
  return scored
    .sort((x, y) => y.score - x.score || x.line - y.line)
    .slice(0, count)
    .sort((x, y) => x.line - y.line)
    .map(({ line, text }) => ({ line, text }));
}

export const codebaseSearchTool: ToolDefinition<CodebaseSearchInput> = {
  name: 'codebase_search',
  description: [
    'Find the files most relevant to a description or identifiers ("where are sessions persisted", "resolveInWorkspace symlink"). Ranks files by how often the query words and identifiers (split on camelCase and snake_case) occur, boosting matches in file names.',
    `Returns the top ${MAX_SEARCH_FILES} files with their best-matching lines. It is lexical, not semantic: use the words the code would use. For exact text or regexes use grep.`,
  ].join('\n'),
  inputSchema: codebaseSearchInput,
  readOnly: true,
  subject: (input) => input.query,
  async execute(input, ctx) {
    const terms = queryTerms(input.query);
    if (terms.length === 0) {
      throw new ToolError(
        `The query "${input.query}" has no searchable words. Use identifiers or distinctive words that would appear in the code.`,
      );
    }
    const files: FileStats[] = [];
    let scanned = 0;
    let bytes = 0;
    let limited = false;
    for await (const entry of walkWorkspace(ctx.workspace, { gitignore: true, signal: ctx.signal })) {
      if (entry.kind !== 'file' || LOCKFILES.has(entry.name)) continue;
      if (scanned >= MAX_FILES_SCANNED || bytes >= MAX_BYTES_SCANNED) {
        limited = true;
        break;
      }
      let buffer: Buffer;
      try {
        buffer = await readFile(entry.absolute);
      } catch {
        continue;
      }
      if (buffer.length > MAX_FILE_BYTES || looksBinary(buffer.subarray(0, SNIFF_BYTES))) continue;
      scanned += 1;
      bytes += buffer.length;
      const lower = buffer.toString('utf8').toLowerCase();
      const tf = terms.map((term) => countOccurrences(lower, term));
      const lowerPath = entry.relative.toLowerCase();
      if (tf.some((count) => count > 0) || terms.some((term) => lowerPath.includes(term))) {
        files.push({
          path: entry.relative,
          absolute: entry.absolute,
          tf,
          length: Math.max(1, lower.length / 40),
        });
      }
    }
    ctx.signal.throwIfAborted();

    const ranked = rankFiles(files, terms, Math.max(scanned, 1)).slice(0, MAX_SEARCH_FILES);
    if (ranked.length === 0) {
      return {
        ok: true,
        output: `No files mention any of: ${terms.join(', ')}. Try other words, or grep for a pattern.`,
        metadata: { terms, files: [] },
      };
    }
    const sections: string[] = [];
    for (const file of ranked) {
      const content = await readFile(file.absolute, 'utf8').catch(() => '');
      const lines = bestLines(content, terms, SNIPPETS_PER_FILE);
      const snippet = lines.map((line) => `  ${line.line}: ${cutLine(line.text.trim(), 200)}`).join('\n');
      sections.push(snippet ? `${file.path}\n${snippet}` : `${file.path} (name matches)`);
    }
    const note = limited
      ? '\n\n[The workspace is large; only part of it was searched. Use grep with a path to search the rest.]'
      : '';
    return {
      ok: true,
      output: `Most relevant files for "${input.query}" (terms: ${terms.join(', ')}):\n\n${sections.join('\n\n')}${note}`,
      metadata: {
        terms,
        files: ranked.map((file) => ({ path: file.path, score: Number(file.score.toFixed(3)) })),
      },
    };
  },
};
