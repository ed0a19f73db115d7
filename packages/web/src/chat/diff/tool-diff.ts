import { diffLines, splitLines } from './line-diff.ts';
import { countChanges, type FileDiff, hunksOf, parseUnifiedDiff } from './unified.ts';

/** Tools whose calls change files, and so have a diff to show. */
const diffTools = new Set(['edit', 'write', 'apply_patch']);

export interface ToolDiff {
  files: FileDiff[];
  /** `result`: what the server recorded happening to the file. `input`: what the call asks for. */
  source: 'result' | 'input';
}

/**
 * The diff of an edit, write or patch. The server's own diff (tool result metadata, computed
 * against the real file) wins; before there is a result, or when it carries none, the diff comes
 * from the call's input: an edit's old and new strings, the content a write puts down, the patch.
 */
export function toolDiff(
  tool: string,
  input: unknown,
  metadata: Record<string, unknown> | null,
): ToolDiff | null {
  if (!diffTools.has(tool)) return null;
  if (typeof metadata?.diff === 'string') return { files: parseUnifiedDiff(metadata.diff), source: 'result' };
  const fields = isRecord(input) ? input : {};
  const { path, old_string: before, new_string: after, content, patch } = fields;
  if (
    tool === 'edit' &&
    typeof path === 'string' &&
    typeof before === 'string' &&
    typeof after === 'string'
  ) {
    // The snippet's position in the file is unknown here, so its line numbers are not shown.
    return { files: [fileDiff(path, path, splitLines(before), splitLines(after), false)], source: 'input' };
  }
  if (tool === 'write' && typeof path === 'string' && typeof content === 'string') {
    return { files: [fileDiff(null, path, [], splitLines(content), true)], source: 'input' };
  }
  if (tool === 'apply_patch' && typeof patch === 'string') {
    return { files: parseUnifiedDiff(patch), source: 'input' };
  }
  return null;
}

function fileDiff(
  oldPath: string | null,
  newPath: string,
  before: string[],
  after: string[],
  numbered: boolean,
): FileDiff {
  const hunks = hunksOf(diffLines(before, after));
  return { oldPath, newPath, hunks, ...countChanges(hunks), notes: [], numbered };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
