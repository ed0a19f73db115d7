/** Case tables for applyEdit and applyPatch, plus checkers shared by the tests and the benchmark. */
import { applyEdit } from './apply-edit.ts';
import { applyPatch } from './apply-patch.ts';
import type { EditCase } from './edit-cases.ts';
import type { PatchCase } from './patch-cases.ts';

export { type EditCase, editCases } from './edit-cases.ts';
export { type PatchCase, patchCases } from './patch-cases.ts';

export interface CaseOutcome {
  pass: boolean;
  /** Why it failed; empty when it passed. */
  detail: string;
}

const pass: CaseOutcome = { pass: true, detail: '' };
const failed = (detail: string): CaseOutcome => ({ pass: false, detail });

export function checkEditCase(c: EditCase): CaseOutcome {
  const result = applyEdit(c.file, c.old, c.new, { replaceAll: c.replaceAll === true });
  if (typeof c.expect !== 'string') {
    if (result.ok)
      return failed(`expected an error matching ${c.expect.error}, got success (${result.strategy})`);
    return c.expect.error.test(result.error)
      ? pass
      : failed(`error did not match ${c.expect.error}: ${result.error}`);
  }
  if (!result.ok) return failed(`expected success, got error: ${result.error}`);
  if (result.content !== c.expect) {
    return failed(
      `content mismatch: expected ${JSON.stringify(c.expect)}, got ${JSON.stringify(result.content)}`,
    );
  }
  if (c.strategy !== undefined && result.strategy !== c.strategy) {
    return failed(`expected strategy ${c.strategy}, got ${result.strategy}`);
  }
  if (c.replacements !== undefined && result.replacements !== c.replacements) {
    return failed(`expected ${c.replacements} replacements, got ${result.replacements}`);
  }
  return pass;
}

export function readFrom(files: Record<string, string>): (path: string) => string | undefined {
  return (path) => (Object.hasOwn(files, path) ? files[path] : undefined);
}

export function checkPatchCase(c: PatchCase): CaseOutcome {
  const result = applyPatch(c.patch, readFrom(c.files));
  if (!Array.isArray(c.expect)) {
    if (result.ok) return failed(`expected an error matching ${c.expect.error}, got success`);
    return c.expect.error.test(result.error)
      ? pass
      : failed(`error did not match ${c.expect.error}: ${result.error}`);
  }
  if (!result.ok) return failed(`expected success, got error: ${result.error}`);
  const got = JSON.stringify(result.changes);
  const want = JSON.stringify(c.expect);
  return got === want ? pass : failed(`changes mismatch: expected ${want}, got ${got}`);
}
