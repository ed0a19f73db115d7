import type { z } from 'zod';
import type { Sandbox } from '../sandbox/types.ts';

/** What a tool hands back to the agent loop. `output` is the text the model reads. */
export interface ToolOutput {
  ok: boolean;
  output: string;
  /** Structured extras for UIs: a diff for edits, exit code for exec, files touched. */
  metadata?: Record<string, unknown>;
}

export interface ToolContext {
  /** Absolute, realpath'd workspace root. Every path a tool touches must stay inside it. */
  workspace: string;
  sandbox: Sandbox;
  signal: AbortSignal;
  /** Allows web_fetch to reach loopback / private addresses (off by default). */
  allowPrivateNetwork: boolean;
  /** Search API settings for web_search; absent → the tool is not offered to the model. */
  webSearch?: { provider: 'brave' | 'tavily'; apiKey: string; baseUrl?: string };
  /** Called by the todo tool so the loop can publish `todo_updated`. */
  onTodos?: (items: { content: string; status: 'pending' | 'in_progress' | 'completed' }[]) => void;
}

export interface ToolDefinition<Input = unknown> {
  name: string;
  /** Written for the model: what it does, when to use it, its limits. */
  description: string;
  inputSchema: z.ZodType<Input>;
  /**
   * The input schema the model is shown, as JSON Schema, when it does not come from `inputSchema`
   * (an MCP server's tool: its schema is passed on as is and `inputSchema` only checks for an object).
   */
  jsonSchema?: Record<string, unknown>;
  /** For permission rules: the path, command or URL this call acts on. */
  subject(input: Input): string;
  /**
   * Every subject the call acts on, when there is more than one (move: source and destination;
   * apply_patch: each file). Permission checks should cover all of them; absent → `[subject(input)]`.
   */
  subjects?(input: Input): string[];
  /** Read-only tools never change the workspace (used for checkpoints and default permissions). */
  readOnly: boolean;
  execute(input: Input, ctx: ToolContext): Promise<ToolOutput>;
}

/** Thrown for problems the model can fix (bad path, no match…): becomes `ok: false` output. */
export class ToolError extends Error {
  override name = 'ToolError';
}
