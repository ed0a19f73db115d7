export { applyPatchTool } from './apply-patch.ts';
export { codebaseSearchTool } from './codebase-search.ts';
export { deleteTool } from './delete.ts';
export { computeDiff, type DiffOptions, type DiffResult, unifiedDiff } from './diff.ts';
export { editTool } from './edit.ts';
export { execTool } from './exec.ts';
export { globTool } from './glob.ts';
export { compileGlob, globToRegExp } from './glob-match.ts';
export { createGrepTool, type GrepToolOptions, grepTool, searchWorkspace } from './grep.ts';
export { type GuardedFetchOptions, type GuardedFetchResult, guardedFetch } from './guarded-fetch.ts';
export { htmlToText } from './html.ts';
export { listTool } from './list.ts';
export { moveTool } from './move.ts';
export { classifyAddress } from './net-guard.ts';
export {
  type ResolveOptions,
  resolveInWorkspace,
  resolveWorkspacePath,
  toWorkspaceRelative,
} from './paths.ts';
export { readTool } from './read.ts';
export { type BuiltinToolOptions, builtinTools, toolByName } from './registry.ts';
export { describeFailure, formatInputError, parseToolInput, runTool } from './run.ts';
export { todoTool } from './todo.ts';
export type { ToolContext, ToolDefinition, ToolOutput } from './types.ts';
export { ToolError } from './types.ts';
export { type WalkEntry, walkWorkspace } from './walk.ts';
export { createWebFetchTool, webFetchTool } from './web-fetch.ts';
export { webSearchTool } from './web-search.ts';
export { type WebToolContext, webToolContext } from './web-settings.ts';
export { writeTool } from './write.ts';
