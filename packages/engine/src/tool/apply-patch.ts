import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ApplyPatchInput, applyPatchInput } from '@aura/protocol';
import { applyPatch } from '../edit/index.ts';
import { parsePatch } from '../edit/patch-parse.ts';
import { looksBinary, SNIFF_BYTES } from './binary.ts';
import { computeDiff } from './diff.ts';
import { MAX_TEXT_FILE_BYTES, readTextIfSmall, writeTemp } from './fsutil.ts';
import { resolveWorkspacePath } from './paths.ts';
import { formatBytes } from './text.ts';
import { type ToolDefinition, ToolError } from './types.ts';

/** The final state of one file after the whole patch: new content, or deleted. */
interface Planned {
  relative: string;
  absolute: string;
  content: string | undefined;
  /** Bytes on disk before the patch (for rollback), undefined when the file did not exist. */
  original: Buffer | undefined;
}

/** Every path a patch touches, read by the same parser that applies it (for permission checks). */
export function patchPaths(patch: string): string[] {
  const parsed = parsePatch(patch);
  if (!parsed.ok) return [];
  const paths = new Set<string>();
  for (const file of parsed.files) {
    for (const path of [file.oldPath, file.newPath, file.renameFrom, file.renameTo])
      if (path) paths.add(path);
  }
  return [...paths];
}

/** Reads a file for the patch engine, confined to the workspace; records why a path was refused. */
function confinedReader(workspace: string, refusals: string[]): (file: string) => string | undefined {
  return (file) => {
    let resolved: ReturnType<typeof resolveWorkspacePath>;
    try {
      resolved = resolveWorkspacePath(workspace, file);
    } catch (error) {
      refusals.push(error instanceof Error ? error.message : String(error));
      return undefined;
    }
    if (!resolved.stats) return undefined;
    if (!resolved.stats.isFile()) {
      refusals.push(`"${file}" is not a regular file; patches can only change text files.`);
      return undefined;
    }
    if (resolved.stats.size > MAX_TEXT_FILE_BYTES) {
      refusals.push(`"${file}" is ${formatBytes(resolved.stats.size)}, too large to patch.`);
      return undefined;
    }
    const bytes = readFileSync(resolved.absolute);
    if (looksBinary(bytes.subarray(0, SNIFF_BYTES))) {
      refusals.push(`"${file}" is a binary file; patches can only change text files.`);
      return undefined;
    }
    return bytes.toString('utf8');
  };
}

async function readOriginal(absolute: string): Promise<Buffer | undefined> {
  try {
    return await readFile(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Puts files back the way they were after a failed commit (best effort). */
async function rollback(done: Planned[]): Promise<void> {
  for (const file of done.reverse()) {
    try {
      if (file.original === undefined) await rm(file.absolute, { force: true });
      else {
        await mkdir(path.dirname(file.absolute), { recursive: true });
        await writeFile(file.absolute, file.original);
      }
    } catch {
      // Keep restoring the others.
    }
  }
}

export const applyPatchTool: ToolDefinition<ApplyPatchInput> = {
  name: 'apply_patch',
  description: [
    'Apply a unified diff (as produced by `git diff` / `diff -u`) to one or more files in one step. Paths are relative to the workspace root; `a/` and `b/` prefixes are fine.',
    'Create files with `--- /dev/null` / `+++ b/new.ts`, delete with `+++ /dev/null`, rename with git `rename from`/`rename to` headers. Include a few unchanged context lines around each change; hunk line numbers may be approximate.',
    'All-or-nothing: if any hunk does not apply, nothing is changed and the error says which hunk failed. Prefer edit for a single small change.',
  ].join('\n'),
  inputSchema: applyPatchInput,
  readOnly: false,
  subject: (input) => patchPaths(input.patch).join(', '),
  subjects: (input) => patchPaths(input.patch),
  async execute(input, ctx) {
    const refusals: string[] = [];
    let result: ReturnType<typeof applyPatch>;
    try {
      result = applyPatch(input.patch, confinedReader(ctx.workspace, refusals));
    } catch (error) {
      if (refusals.length > 0) throw new ToolError(refusals.join('\n'));
      throw error;
    }
    if (refusals.length > 0) throw new ToolError(`${refusals.join('\n')}\nNothing was changed.`);
    if (!result.ok) throw new ToolError(result.error);
    if (result.changes.length === 0) {
      throw new ToolError('The patch contains no changes. Include hunks with - and + lines.');
    }

    // Final state per file, replaying changes in order (a file may be renamed then edited, etc.).
    const finalState = new Map<string, string | undefined>();
    for (const change of result.changes) {
      if (change.kind === 'rename') {
        finalState.set(change.from, undefined);
        finalState.set(change.to, change.content);
      } else if (change.kind === 'delete') {
        finalState.set(change.path, undefined);
      } else {
        finalState.set(change.path, change.content);
      }
    }

    // Validate every path before touching anything.
    const plan = new Map<string, Planned>();
    for (const [relative, content] of finalState) {
      const resolved = resolveWorkspacePath(ctx.workspace, relative, { forWrite: content !== undefined });
      if (resolved.relative === '.') throw new ToolError('The patch cannot replace the workspace root.');
      if (plan.has(resolved.absolute)) {
        throw new ToolError(
          `The patch names "${resolved.relative}" twice under different paths. Nothing was changed.`,
        );
      }
      plan.set(resolved.absolute, {
        relative: resolved.relative,
        absolute: resolved.absolute,
        content,
        original: undefined,
      });
    }
    const before = new Map<string, string | undefined>();
    for (const file of plan.values()) {
      file.original = await readOriginal(file.absolute);
      before.set(
        file.absolute,
        file.original === undefined ? undefined : await readTextIfSmall(file.absolute),
      );
    }
    // A file both created and removed by the patch never touches the disk.
    const files = [...plan.values()].filter(
      (file) => file.content !== undefined || file.original !== undefined,
    );

    // Stage new contents in temp files, then commit with renames; undo on failure.
    const temps = new Map<string, string>();
    const createdDirs: string[] = [];
    try {
      for (const file of files) {
        if (file.content === undefined) continue;
        const made = await mkdir(path.dirname(file.absolute), { recursive: true });
        if (made) createdDirs.push(made);
        temps.set(file.absolute, await writeTemp(file.absolute, file.content));
      }
    } catch (error) {
      await Promise.all([...temps.values()].map((temp) => unlink(temp).catch(() => {})));
      await Promise.all(createdDirs.map((dir) => rm(dir, { recursive: true, force: true })));
      throw error;
    }
    const done: Planned[] = [];
    try {
      for (const file of files) {
        const temp = temps.get(file.absolute);
        if (temp) {
          await rename(temp, file.absolute);
          temps.delete(file.absolute);
        } else if (file.original !== undefined) {
          await unlink(file.absolute);
        }
        done.push(file);
      }
    } catch (error) {
      await rollback(done);
      await Promise.all([...temps.values()].map((temp) => unlink(temp).catch(() => {})));
      throw error;
    }

    const summary: { path: string; status: 'added' | 'modified' | 'deleted' }[] = [];
    const diffs: string[] = [];
    for (const file of files) {
      const old = before.get(file.absolute);
      const status =
        file.content === undefined ? 'deleted' : file.original === undefined ? 'added' : 'modified';
      summary.push({ path: file.relative, status });
      const diff = computeDiff(file.original === undefined ? undefined : (old ?? ''), file.content, {
        oldPath: `a/${file.relative}`,
        newPath: `b/${file.relative}`,
        maxBytes: 32 * 1024,
      });
      if (diff.text) diffs.push(diff.text);
    }
    const letter = { added: 'A', modified: 'M', deleted: 'D' } as const;
    return {
      ok: true,
      output: `Patch applied to ${summary.length} file${summary.length === 1 ? '' : 's'}:\n${summary
        .map((file) => `${letter[file.status]} ${file.path}`)
        .join('\n')}`,
      metadata: { files: summary, diff: diffs.join('') },
    };
  },
};
