import { type WriteInput, writeInput } from '@aura/protocol';
import { computeDiff } from './diff.ts';
import { atomicWriteFile, readTextIfSmall } from './fsutil.ts';
import { resolveWorkspacePath } from './paths.ts';
import { formatBytes, plural } from './text.ts';
import type { ToolDefinition } from './types.ts';

export function countLines(content: string): number {
  if (content === '') return 0;
  let lines = 1;
  for (let i = content.indexOf('\n'); i !== -1; i = content.indexOf('\n', i + 1)) lines++;
  return content.endsWith('\n') ? lines - 1 : lines;
}

export const writeTool: ToolDefinition<WriteInput> = {
  name: 'write',
  description: [
    'Create a file or replace its entire content. Parent directories are created as needed.',
    'Pass the complete file content: anything not included is lost. To change part of an existing file, prefer edit (one change) or apply_patch (several changes or files); read a file before overwriting it.',
    'The path is relative to the workspace root.',
  ].join('\n'),
  inputSchema: writeInput,
  readOnly: false,
  subject: (input) => input.path,
  async execute(input, ctx) {
    const target = resolveWorkspacePath(ctx.workspace, input.path, { forWrite: true });
    const created = target.stats === undefined;
    const before = created ? undefined : await readTextIfSmall(target.absolute);
    await atomicWriteFile(target.absolute, input.content);
    const bytes = Buffer.byteLength(input.content);
    const diff = computeDiff(created ? undefined : (before ?? ''), input.content, {
      oldPath: `a/${target.relative}`,
      newPath: `b/${target.relative}`,
    });
    const verb = created ? 'Created' : 'Overwrote';
    return {
      ok: true,
      output: `${verb} ${target.relative} (${formatBytes(bytes)}, ${plural(countLines(input.content), 'line')}).`,
      metadata: {
        path: target.relative,
        bytes,
        created,
        diff: diff.text,
        added: diff.added,
        removed: diff.removed,
      },
    };
  },
};
