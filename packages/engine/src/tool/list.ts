import type { Dirent } from 'node:fs';
import { readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { type ListInput, listInput } from '@aura/protocol';
import { ALWAYS_SKIPPED_DIRS, GitignoreRules } from './ignore.ts';
import { resolveWorkspacePath } from './paths.ts';
import { type ToolDefinition, ToolError } from './types.ts';
import { compareNames } from './walk.ts';

export const MAX_LIST_ENTRIES = 200;
const MAX_LIST_DEPTH = 6;

interface Node {
  name: string;
  relative: string;
  absolute: string;
  kind: 'dir' | 'file' | 'symlink' | 'other';
  depth: number;
  children?: Node[];
  /** Entries left out because the listing budget ran out. */
  more?: number;
  note?: string;
}

function kindOf(entry: Dirent): Node['kind'] {
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  return 'other';
}

/** Directories first, then files, each in name order. */
function sortEntries(entries: Dirent[]): Dirent[] {
  return entries.sort((a, b) => {
    const dirA = a.isDirectory() ? 0 : 1;
    const dirB = b.isDirectory() ? 0 : 1;
    return dirA - dirB || compareNames(a.name, b.name);
  });
}

function render(node: Node, lines: string[]): void {
  for (const child of node.children ?? []) {
    const indent = '  '.repeat(child.depth);
    const suffix = child.kind === 'dir' ? '/' : '';
    lines.push(`${indent}${child.name}${suffix}${child.note ? ` ${child.note}` : ''}`);
    render(child, lines);
  }
  if (node.more) lines.push(`${'  '.repeat(node.depth + 1)}… ${node.more} more entries`);
}

export const listTool: ToolDefinition<ListInput> = {
  name: 'list',
  description: [
    `List a directory as a tree (default: the workspace root). Directories end with "/". Shows up to ${MAX_LIST_ENTRIES} entries, filling shallow levels first; list a subdirectory to see deeper.`,
    'Contents of .git, node_modules and .gitignored directories are not expanded. Use glob to find files by name and grep to search contents.',
  ].join('\n'),
  inputSchema: listInput,
  readOnly: true,
  subject: (input) => input.path ?? '.',
  async execute(input, ctx) {
    const target = resolveWorkspacePath(ctx.workspace, input.path ?? '.', { mustExist: true });
    if (!target.stats?.isDirectory()) {
      throw new ToolError(`"${target.relative}" is a file, not a directory. Use read to see its contents.`);
    }
    const rules = new GitignoreRules();
    if (target.relative !== '.') await rules.load(ctx.workspace, '');
    const root: Node = {
      name: target.relative,
      relative: target.relative === '.' ? '' : target.relative,
      absolute: target.absolute,
      kind: 'dir',
      depth: 0,
    };
    let budget = MAX_LIST_ENTRIES;
    let shown = 0;
    let unexpanded = 0;
    let capped = false;
    const queue: Node[] = [root];
    while (queue.length > 0) {
      const node = queue.shift()!;
      if (budget <= 0) {
        if (node !== root) unexpanded += 1;
        continue;
      }
      ctx.signal.throwIfAborted();
      let entries: Dirent[];
      try {
        entries = sortEntries(await readdir(node.absolute, { withFileTypes: true }));
      } catch (error) {
        node.note = `(unreadable: ${(error as NodeJS.ErrnoException).code ?? 'error'})`;
        continue;
      }
      await rules.load(node.absolute, node.relative);
      const taken = entries.slice(0, budget);
      if (entries.length > taken.length) {
        node.more = entries.length - taken.length;
        capped = true;
      }
      budget -= taken.length;
      shown += taken.length;
      node.children = [];
      for (const entry of taken) {
        const child: Node = {
          name: entry.name,
          relative: node.relative === '' ? entry.name : `${node.relative}/${entry.name}`,
          absolute: path.join(node.absolute, entry.name),
          kind: kindOf(entry),
          depth: node.depth + 1,
        };
        node.children.push(child);
        if (child.kind === 'symlink') {
          const link = await readlink(child.absolute).catch(() => '?');
          child.note = `-> ${link} (symlink, not followed)`;
        } else if (child.kind === 'dir') {
          if (ALWAYS_SKIPPED_DIRS.has(entry.name)) child.note = '(contents not listed)';
          else if (rules.ignores(child.relative, true)) child.note = '(gitignored, not expanded)';
          else if (child.depth >= MAX_LIST_DEPTH) unexpanded += 1;
          else queue.push(child);
        }
      }
    }

    const lines = [`${target.relative === '.' ? '.' : target.relative}/`];
    render(root, lines);
    if (root.children?.length === 0) lines.push('  (empty directory)');
    capped ||= unexpanded > 0;
    if (capped) {
      lines.push(
        '',
        `[Listing limited to ${MAX_LIST_ENTRIES} entries and ${MAX_LIST_DEPTH} levels; some directories are not expanded. List a subdirectory to see more.]`,
      );
    }
    return {
      ok: true,
      output: lines.join('\n'),
      metadata: { path: target.relative, entries: shown, capped },
    };
  },
};
