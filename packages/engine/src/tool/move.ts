import { cp, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { type MoveInput, moveInput } from '@aura/protocol';
import { isInsideWorkspace, resolveWorkspacePath } from './paths.ts';
import { type ToolDefinition, ToolError } from './types.ts';

export const moveTool: ToolDefinition<MoveInput> = {
  name: 'move',
  description: [
    'Move or rename a file or directory inside the workspace. Parent directories of the destination are created.',
    'The destination must not exist: delete it first if you really mean to replace it. Symbolic links are moved as links.',
  ].join('\n'),
  inputSchema: moveInput,
  readOnly: false,
  subject: (input) => input.from,
  subjects: (input) => [input.from, input.to],
  async execute(input, ctx) {
    const from = resolveWorkspacePath(
      ctx.workspace,
      input.from,
      { mustExist: true, followFinal: false },
      'source path',
    );
    const to = resolveWorkspacePath(ctx.workspace, input.to, { followFinal: false }, 'destination path');
    if (from.relative === '.') throw new ToolError('The workspace root cannot be moved.');
    if (to.relative === '.')
      throw new ToolError('The destination cannot be the workspace root; name a new path inside it.');
    if (to.stats) {
      throw new ToolError(
        `The destination "${to.relative}" already exists. Choose a new path, or delete "${to.relative}" first if it should be replaced.`,
      );
    }
    if (from.stats?.isDirectory() && isInsideWorkspace(from.absolute, to.absolute)) {
      throw new ToolError(`Cannot move the directory "${from.relative}" into itself ("${to.relative}").`);
    }
    await mkdir(path.dirname(to.absolute), { recursive: true });
    try {
      await rename(from.absolute, to.absolute);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      // Different filesystems (e.g. a mounted subdirectory): copy, then remove the original.
      await cp(from.absolute, to.absolute, {
        recursive: true,
        verbatimSymlinks: true,
        errorOnExist: true,
        force: false,
      });
      await rm(from.absolute, { recursive: true });
    }
    return {
      ok: true,
      output: `Moved ${from.relative} to ${to.relative}.`,
      metadata: { from: from.relative, to: to.relative },
    };
  },
};
