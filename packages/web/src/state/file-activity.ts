import type { EventDataOf } from '@aura/protocol';
import type { Draft } from './draft.ts';
import { toolCallById } from './selectors.ts';
import type { DiskChange } from './session-view.ts';

/** Tools whose input names the one file they are about to change. */
const writingTools = new Set(['write', 'edit']);

export function fileToolCalled(d: Draft, { toolCallId, tool, input }: EventDataOf<'tool_call'>): void {
  const path = writingTools.has(tool) ? stringField(input, 'path') : null;
  if (path) d.own('fileWrites')[toolCallId] = path;
}

/** Call before the result replaces the call in the timeline: a write's path may be only in its input. */
export function fileToolFinished(d: Draft, data: EventDataOf<'tool_result'>, seq: number): void {
  if (data.toolCallId in d.view.fileWrites) delete d.own('fileWrites')[data.toolCallId];
  const runId = d.view.run?.runId ?? null;
  const input = toolCallById(d.view, data.toolCallId)?.input;
  for (const change of changesOf(data, input)) d.own('fileChanges').push({ ...change, seq, runId });
}

export function filesWritten(d: Draft, { files }: EventDataOf<'files_written'>, seq: number): void {
  const runId = d.view.run?.runId ?? null;
  for (const path of files) d.own('fileChanges').push({ seq, runId, kind: 'written', path });
}

/** Whatever a run had under way is over when it ends, including calls it never finished. */
export function fileWritesEnded(d: Draft): void {
  if (Object.keys(d.view.fileWrites).length > 0) d.view.fileWrites = {};
}

function changesOf({ tool, ok, metadata }: EventDataOf<'tool_result'>, input: unknown): DiskChange[] {
  // A command can change any file, and says nothing about which; it may have, even if it failed.
  if (tool === 'exec' || tool.startsWith('mcp__')) return [{ kind: 'unknown' }];
  if (!ok) return [];
  const path = stringField(metadata, 'path') ?? stringField(input, 'path');
  switch (tool) {
    case 'write':
    case 'edit':
      return path ? [{ kind: 'written', path }] : [];
    case 'delete':
      return path ? [{ kind: 'deleted', path }] : [];
    case 'move': {
      const from = stringField(metadata, 'from') ?? stringField(input, 'from');
      const to = stringField(metadata, 'to') ?? stringField(input, 'to');
      return from && to ? [{ kind: 'moved', path: from, to }] : [];
    }
    case 'apply_patch':
      return patchedFiles(metadata);
    default:
      return [];
  }
}

function patchedFiles(metadata: Record<string, unknown> | undefined): DiskChange[] {
  const files = metadata?.files;
  if (!Array.isArray(files)) return [];
  return files.flatMap((file: unknown): DiskChange[] => {
    const path = stringField(file, 'path');
    if (!path) return [];
    return [{ kind: stringField(file, 'status') === 'deleted' ? 'deleted' : 'written', path }];
  });
}

function stringField(value: unknown, key: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field !== '' ? field : null;
}
