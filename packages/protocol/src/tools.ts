import { z } from 'zod';

/**
 * Model-facing tool inputs. Names and field names are a contract with every model prompt and
 * every client that renders tool calls, so they never change shape once released.
 */
const workspacePath = z.string().min(1, 'path must not be empty').max(4096);

export const readInput = z.object({
  path: workspacePath,
  offset: z.number().int().min(1).optional().describe('1-based line to start reading from'),
  limit: z.number().int().min(1).max(10_000).optional().describe('maximum number of lines to return'),
});

export const writeInput = z.object({
  path: workspacePath,
  content: z.string(),
});

export const editInput = z.object({
  path: workspacePath,
  old_string: z.string().describe('exact text to replace; include enough context to be unique'),
  new_string: z.string(),
  replace_all: z.boolean().optional(),
});

export const applyPatchInput = z.object({
  patch: z.string().min(1).describe('a unified diff; paths relative to the workspace'),
});

export const deleteInput = z.object({ path: workspacePath });

export const moveInput = z.object({ from: workspacePath, to: workspacePath });

export const listInput = z.object({ path: workspacePath.optional() });

export const globInput = z.object({ pattern: z.string().min(1).max(1024) });

export const grepInput = z.object({
  pattern: z.string().min(1).max(1024).describe('a regular expression'),
  path: workspacePath.optional(),
  glob: z.string().max(1024).optional().describe('only search files matching this glob'),
});

export const execInput = z.object({
  command: z.string().min(1).max(100_000),
  timeout_ms: z.number().int().min(1).max(3_600_000).optional(),
  background: z.boolean().optional().describe('start and return immediately (dev servers)'),
});

export const webFetchInput = z.object({ url: z.string().url() });

export const webSearchInput = z.object({ query: z.string().min(1).max(1024) });

export const codebaseSearchInput = z.object({ query: z.string().min(1).max(1024) });

export const todoStatus = z.enum(['pending', 'in_progress', 'completed']);

export const todoItem = z.object({
  content: z.string().min(1).max(2000),
  status: todoStatus,
});

export const todoInput = z.object({ items: z.array(todoItem).max(100) });

export const toolInputSchemas = {
  read: readInput,
  write: writeInput,
  edit: editInput,
  apply_patch: applyPatchInput,
  delete: deleteInput,
  move: moveInput,
  list: listInput,
  glob: globInput,
  grep: grepInput,
  exec: execInput,
  web_fetch: webFetchInput,
  web_search: webSearchInput,
  codebase_search: codebaseSearchInput,
  todo: todoInput,
} as const;

export type BuiltinToolName = keyof typeof toolInputSchemas;
export const builtinToolNames = Object.keys(toolInputSchemas) as BuiltinToolName[];

export type ReadInput = z.infer<typeof readInput>;
export type WriteInput = z.infer<typeof writeInput>;
export type EditInput = z.infer<typeof editInput>;
export type ApplyPatchInput = z.infer<typeof applyPatchInput>;
export type DeleteInput = z.infer<typeof deleteInput>;
export type MoveInput = z.infer<typeof moveInput>;
export type ListInput = z.infer<typeof listInput>;
export type GlobInput = z.infer<typeof globInput>;
export type GrepInput = z.infer<typeof grepInput>;
export type ExecInput = z.infer<typeof execInput>;
export type WebFetchInput = z.infer<typeof webFetchInput>;
export type WebSearchInput = z.infer<typeof webSearchInput>;
export type CodebaseSearchInput = z.infer<typeof codebaseSearchInput>;
export type TodoItem = z.infer<typeof todoItem>;
export type TodoInput = z.infer<typeof todoInput>;

/** MCP tools reach the model as `mcp__<server>__<tool>`. */
export const mcpToolName = (server: string, tool: string): string => `mcp__${server}__${tool}`;
