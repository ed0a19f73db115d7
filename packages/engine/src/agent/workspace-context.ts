import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const skipped = new Set(['.git', 'node_modules', 'dist', 'build', '.next', '.turbo', 'coverage', '.aura']);

/** A compact, depth-limited listing of the workspace for the system prompt. */
export async function summariseTree(root: string, maxEntries = 200, maxDepth = 4): Promise<string> {
  const lines: string[] = [];
  let truncated = false;
  async function walk(dir: string, prefix: string, depth: number): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => Number(b.isDirectory()) - Number(a.isDirectory()) || a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (lines.length >= maxEntries) {
        truncated = true;
        return;
      }
      if (entry.isDirectory()) {
        if (skipped.has(entry.name)) {
          lines.push(`${prefix}${entry.name}/ (not listed)`);
          continue;
        }
        lines.push(`${prefix}${entry.name}/`);
        if (depth < maxDepth) await walk(join(dir, entry.name), `${prefix}  `, depth + 1);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        lines.push(`${prefix}${entry.name}`);
      }
    }
  }
  await walk(root, '', 1);
  if (lines.length === 0) return '(the workspace is empty)';
  if (truncated) lines.push(`… (listing stopped at ${maxEntries} entries; use list or glob to see more)`);
  return lines.join('\n');
}

const instructionFiles = ['AGENTS.md', 'CLAUDE.md'];
const maxInstructionChars = 20_000;

/** Project instructions written for agents, when the workspace has them. */
export async function readInstructions(root: string): Promise<{ file: string; text: string } | undefined> {
  for (const file of instructionFiles) {
    try {
      const text = await readFile(join(root, file), 'utf8');
      const clipped =
        text.length > maxInstructionChars ? `${text.slice(0, maxInstructionChars)}\n… (truncated)` : text;
      return { file, text: clipped };
    } catch {
      // try the next name
    }
  }
  return undefined;
}
