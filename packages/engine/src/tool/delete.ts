import { rm } from 'node:fs/promises';
import { type DeleteInput, deleteInput } from '@aura/protocol';
import { resolveWorkspacePath } from './paths.ts';
import { type ToolDefinition, ToolError } from './types.ts';

export const deleteTool: ToolDefinition<DeleteInput> = {
  name: 'delete',
  description: [
    'Delete a file, or a directory together with everything in it. Cannot be undone by you, so double-check the path.',
    'A symbolic link is removed itself; what it points to is left alone. The workspace root cannot be deleted.',
  ].join('\n'),
  inputSchema: deleteInput,
  readOnly: false,
  subject: (input) => input.path,
  async execute(input, ctx) {
    const target = resolveWorkspacePath(ctx.workspace, input.path, { mustExist: true, followFinal: false });
    if (target.relative === '.') {
      throw new ToolError(
        'Refusing to delete the workspace root. Delete the files or directories inside it instead.',
      );
    }
    const kind = target.stats?.isSymbolicLink()
      ? 'symlink'
      : target.stats?.isDirectory()
        ? 'directory'
        : 'file';
    await rm(target.absolute, { recursive: kind === 'directory', force: false });
    return {
      ok: true,
      output: `Deleted ${kind} ${target.relative}${kind === 'directory' ? ' and its contents' : ''}.`,
      metadata: { path: target.relative, kind },
    };
  },
};
