import { applyPatchTool } from './apply-patch.ts';
import { codebaseSearchTool } from './codebase-search.ts';
import { deleteTool } from './delete.ts';
import { editTool } from './edit.ts';
import { execTool } from './exec.ts';
import { globTool } from './glob.ts';
import { grepTool } from './grep.ts';
import { listTool } from './list.ts';
import { moveTool } from './move.ts';
import { readTool } from './read.ts';
import { todoTool } from './todo.ts';
import type { ToolDefinition } from './types.ts';
import { webFetchTool } from './web-fetch.ts';
import { webSearchTool } from './web-search.ts';
import { writeTool } from './write.ts';

export interface BuiltinToolOptions {
  /** Offer web_search (only when a search provider is configured). */
  webSearch?: boolean;
}

/** Erases a tool's input type for storage in a heterogeneous list; runTool validates inputs. */
function erase<Input>(tool: ToolDefinition<Input>): ToolDefinition {
  return tool as unknown as ToolDefinition;
}

const ALL: ToolDefinition[] = [
  erase(readTool),
  erase(writeTool),
  erase(editTool),
  erase(applyPatchTool),
  erase(deleteTool),
  erase(moveTool),
  erase(listTool),
  erase(globTool),
  erase(grepTool),
  erase(execTool),
  erase(webFetchTool),
  erase(webSearchTool),
  erase(codebaseSearchTool),
  erase(todoTool),
];

/** The built-in tools offered to the model, in a stable order. web_search only when configured. */
export function builtinTools(options: BuiltinToolOptions = {}): ToolDefinition[] {
  return ALL.filter((tool) => tool.name !== 'web_search' || options.webSearch === true);
}

/** Looks a built-in tool up by name (undefined for unknown names, and for web_search when not enabled). */
export function toolByName(name: string, options: BuiltinToolOptions = {}): ToolDefinition | undefined {
  return builtinTools(options).find((tool) => tool.name === name);
}
