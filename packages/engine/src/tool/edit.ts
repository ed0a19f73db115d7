import { type EditInput, editInput } from '@aura/protocol';
import { applyEdit } from '../edit/index.ts';
import { computeDiff } from './diff.ts';
import { atomicWriteFile, readTextForEdit } from './fsutil.ts';
import { resolveWorkspacePath } from './paths.ts';
import { plural } from './text.ts';
import { type ToolDefinition, ToolError } from './types.ts';

export const editTool: ToolDefinition<EditInput> = {
  name: 'edit',
  description: [
    'Replace text in an existing file: old_string is replaced by new_string.',
    'old_string must match the file exactly once (copy it from read output without the line-number prefix) and include enough surrounding lines to be unique; set replace_all to change every occurrence (e.g. renaming a variable).',
    'Small whitespace or indentation differences are tolerated, but the text must otherwise be exact. Use write to create files, apply_patch for many changes at once.',
  ].join('\n'),
  inputSchema: editInput,
  readOnly: false,
  subject: (input) => input.path,
  async execute(input, ctx) {
    const target = resolveWorkspacePath(ctx.workspace, input.path, { mustExist: true });
    if (target.stats?.isDirectory()) {
      throw new ToolError(`"${target.relative}" is a directory; edit works on files.`);
    }
    const before = await readTextForEdit(target.absolute, target.relative);
    const result = applyEdit(before, input.old_string, input.new_string, { replaceAll: input.replace_all });
    if (!result.ok) throw new ToolError(`Edit of ${target.relative} failed: ${result.error}`);
    await atomicWriteFile(target.absolute, result.content);
    const diff = computeDiff(before, result.content, {
      oldPath: `a/${target.relative}`,
      newPath: `b/${target.relative}`,
    });
    const how =
      result.strategy === 'exact'
        ? ''
        : ` (old_string matched after ${result.strategy} normalization; check the result)`;
    return {
      ok: true,
      output: `Edited ${target.relative}: ${plural(result.replacements, 'replacement')}, +${diff.added} -${diff.removed} lines${how}.`,
      metadata: {
        path: target.relative,
        diff: diff.text,
        strategy: result.strategy,
        replacements: result.replacements,
        added: diff.added,
        removed: diff.removed,
      },
    };
  },
};
