import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  type CallToolRequest,
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { type PermissionRule, userConfigPath } from '../config/index.ts';
import { evaluate } from '../permission/index.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { parseToolInput, runTool } from '../tool/run.ts';
import type { ToolDefinition } from '../tool/types.ts';
import { auraImplementation } from './version.ts';

export interface WorkspaceServerOptions {
  /** Absolute, realpath'd workspace root; tools stay inside it. */
  workspace: string;
  sandbox: Sandbox;
  tools: ToolDefinition[];
  /** Default rules, then the config's: the last matching rule decides. */
  rules: PermissionRule[];
  /** Run calls whose rule says `ask` (there is nobody to ask). `deny` still refuses. */
  approveAsks: boolean;
  allowPrivateNetwork: boolean;
}

function refusal(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/**
 * Why a call may not run, or undefined when it may. The client is the one asking, so rules are
 * applied without a prompt: `deny` refuses, `ask` refuses unless approved up front.
 */
function permissionProblem(
  tool: ToolDefinition,
  input: unknown,
  options: WorkspaceServerOptions,
): string | undefined {
  const subjects = tool.subjects?.(input) ?? [tool.subject(input)];
  const actions = subjects.map((subject) => evaluate(options.rules, tool.name, subject));
  const denied = subjects.find((_, i) => actions[i] === 'deny');
  if (denied !== undefined) return `Permission denied by a rule: ${tool.name} is not allowed on "${denied}".`;
  if (options.approveAsks) return undefined;
  // A call whose subjects can't be named (an unreadable patch) is never allowed silently.
  const unapproved =
    subjects.length === 0
      ? '(paths could not be determined)'
      : subjects.find((_, i) => actions[i] !== 'allow');
  if (unapproved === undefined) return undefined;
  return [
    `${tool.name} on "${unapproved}" needs approval, and aura mcp serve has nobody to ask.`,
    `To allow it, add a rule to ${userConfigPath()}, e.g. permissions: [{tool: ${tool.name}, pattern: "*", action: allow}],`,
    'or restart aura mcp serve with --yes to approve every call that is not denied.',
  ].join(' ');
}

function listing(tool: ToolDefinition): Tool {
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: z.toJSONSchema(tool.inputSchema, { io: 'input' }) as Tool['inputSchema'],
    annotations: { readOnlyHint: tool.readOnly },
  };
}

/** Validates, checks permissions, runs: every refusal is a result the client's model can read. */
async function callTool(
  tools: Map<string, ToolDefinition>,
  options: WorkspaceServerOptions,
  request: CallToolRequest,
  signal: AbortSignal,
): Promise<CallToolResult> {
  const tool = tools.get(request.params.name);
  if (!tool) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `Unknown tool "${request.params.name}". Available: ${[...tools.keys()].join(', ')}.`,
    );
  }
  const parsed = parseToolInput(tool, request.params.arguments ?? {});
  if (!parsed.ok) return refusal(parsed.output);
  const problem = permissionProblem(tool, parsed.data, options);
  if (problem) return refusal(problem);
  const output = await runTool(tool, parsed.data, {
    workspace: options.workspace,
    sandbox: options.sandbox,
    signal,
    allowPrivateNetwork: options.allowPrivateNetwork,
  });
  return { content: [{ type: 'text', text: output.output }], isError: !output.ok };
}

export interface WorkspaceMcpServer {
  server: Server;
  /** Resolves once no tool call is running (calls that start meanwhile are waited for too). */
  settled(): Promise<void>;
}

/** An MCP server offering Aura's workspace tools, confined to the workspace like an agent's. */
export function createWorkspaceMcpServer(options: WorkspaceServerOptions): WorkspaceMcpServer {
  const server = new Server(auraImplementation, {
    capabilities: { tools: {} },
    instructions:
      'Tools that read, search, edit and run commands in one workspace directory. Paths are relative to it.',
  });
  const tools = new Map(options.tools.map((tool) => [tool.name, tool]));
  const listed = options.tools.map(listing);
  const running = new Set<Promise<CallToolResult>>();

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
  server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
    const call = callTool(tools, options, request, extra.signal);
    running.add(call);
    const forget = () => running.delete(call);
    call.then(forget, forget);
    return call;
  });
  return {
    server,
    async settled() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
