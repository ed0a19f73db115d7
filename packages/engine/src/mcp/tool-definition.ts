import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolDefinition } from '../tool/types.ts';
import type { McpServerConnection } from './connection.ts';
import { resultText } from './content.ts';

/** Any JSON object: the server validates against its own schema, which the model is shown as is. */
const anyArguments = z.looseObject({});

/**
 * An MCP server's tool as one of the agent's tools, under its model-facing `name`. Its permission
 * subject is the tool's own name and the input as compact JSON, so rules can match both.
 * `readOnly` repeats the server's `readOnlyHint`, which no permission decision relies on.
 */
export function mcpToolDefinition(
  name: string,
  tool: Tool,
  connection: McpServerConnection,
): ToolDefinition<Record<string, unknown>> {
  const summary = tool.description?.trim() || tool.title || tool.name;
  return {
    name,
    description: `(MCP server "${connection.name}") ${summary}`,
    inputSchema: anyArguments,
    jsonSchema: tool.inputSchema,
    readOnly: tool.annotations?.readOnlyHint === true,
    subject: (input) => `${tool.name} ${JSON.stringify(input)}`,
    async execute(input, ctx) {
      const result = await connection.call(tool.name, input, ctx.signal);
      const { text, truncated } = resultText(result);
      return {
        ok: result.isError !== true,
        output: text,
        metadata: { mcpServer: connection.name, mcpTool: tool.name, truncated },
      };
    },
  };
}
