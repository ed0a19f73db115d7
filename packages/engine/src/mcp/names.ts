import { mcpToolName } from '@aura/protocol';

/** Providers accept tool names of at most 64 letters, digits, `_` and `-`. */
export const MAX_TOOL_NAME_LENGTH = 64;

/**
 * Model-facing names for one server's tools, in the same order: `mcp__<server>__<tool>` with the
 * tool part reduced to the allowed characters, cut to the length limit, and made unique against
 * `taken` (which it extends) by a numeric suffix.
 */
export function modelToolNames(server: string, tools: string[], taken: Set<string>): string[] {
  return tools.map((tool) => {
    const base = mcpToolName(server, tool.replace(/[^A-Za-z0-9_-]/g, '_')).slice(0, MAX_TOOL_NAME_LENGTH);
    let name = base;
    for (let n = 2; taken.has(name); n++) {
      const suffix = `_${n}`;
      name = `${base.slice(0, MAX_TOOL_NAME_LENGTH - suffix.length)}${suffix}`;
    }
    taken.add(name);
    return name;
  });
}
