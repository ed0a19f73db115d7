/** applyPatch: apply a (possibly sloppy, multi-file) unified diff atomically. */
import { applyHunks } from './patch-hunks.ts';
import { type FilePatch, type Hunk, parsePatch } from './patch-parse.ts';
import type { PatchFileChange, PatchResult, ReadFile } from './types.ts';

type FileResult = { ok: true; change: PatchFileChange | undefined } | { ok: false; error: string };

export function applyPatch(patch: string, readFile: ReadFile): PatchResult {
  const parsed = parsePatch(patch);
  if (!parsed.ok) return parsed;

  // Later sections of the same patch see the results of earlier ones.
  const overlay = new Map<string, string | undefined>();
  const read: ReadFile = (path) => (overlay.has(path) ? overlay.get(path) : readFile(path));
  const changes: PatchFileChange[] = [];
  const errors: string[] = [];
  for (const file of parsed.files) {
    const result = applyFilePatch(file, read);
    if (!result.ok) errors.push(result.error);
    else if (result.change) record(changes, overlay, result.change);
  }
  if (errors.length > 0) {
    return {
      ok: false,
      error: `${errors.join('\n\n')}\n\nNothing was changed: the patch applies all-or-nothing. Fix the failing hunks and send the whole patch again.`,
    };
  }
  return { ok: true, changes };
}

function newFileContent(hunks: readonly Hunk[]): string {
  const lines = hunks.flatMap((h) => h.lines.filter((l) => l.op !== '-').map((l) => l.text));
  if (lines.length === 0) return '';
  const noNewline = hunks[hunks.length - 1]?.newNoNewline ?? false;
  return lines.join('\n') + (noNewline ? '' : '\n');
}

function applyFilePatch(file: FilePatch, read: ReadFile): FileResult {
  const from = file.renameFrom ?? file.oldPath;
  const to = file.renameTo ?? file.newPath;

  if (file.newFile || from === undefined) {
    const path = to ?? from ?? '';
    if (read(path) !== undefined) {
      return {
        ok: false,
        error: `${path}: the patch creates this file but it already exists. Patch the existing file instead (--- a/${path}), or write it whole.`,
      };
    }
    return { ok: true, change: { kind: 'add', path, content: newFileContent(file.hunks) } };
  }

  const source = read(from);
  if (source === undefined) {
    return { ok: false, error: `${from}: file not found, so the patch for it cannot be applied.` };
  }
  if (file.deletedFile || to === undefined) return { ok: true, change: { kind: 'delete', path: from } };

  const applied = applyHunks(from, source, file.hunks);
  if (!applied.ok) return applied;
  if (to !== from) {
    if (read(to) !== undefined) {
      return { ok: false, error: `${from}: cannot rename to ${to} because ${to} already exists.` };
    }
    return { ok: true, change: { kind: 'rename', from, to, content: applied.content } };
  }
  if (file.hunks.length === 0) return { ok: true, change: undefined };
  return { ok: true, change: { kind: 'modify', path: from, content: applied.content } };
}

function record(
  changes: PatchFileChange[],
  overlay: Map<string, string | undefined>,
  change: PatchFileChange,
): void {
  if (change.kind === 'rename') {
    overlay.set(change.from, undefined);
    overlay.set(change.to, change.content);
  } else if (change.kind === 'delete') {
    overlay.set(change.path, undefined);
  } else {
    overlay.set(change.path, change.content);
  }

  // A second section modifying a file this patch already produced folds into the earlier change.
  if (change.kind === 'modify') {
    const earlier = changes.find(
      (c) => (c.kind === 'rename' ? c.to : c.path) === change.path && c.kind !== 'delete',
    );
    if (earlier && earlier.kind !== 'delete') {
      earlier.content = change.content;
      return;
    }
  }
  changes.push(change);
}
