export { applyEdit } from './apply-edit.ts';
export { applyPatch } from './apply-patch.ts';
export type { EditOptions, EditResult, PatchFileChange, PatchResult, ReadFile } from './types.ts';
