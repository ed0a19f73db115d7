import { type JSONSchema7, jsonSchema, type ToolSet, tool } from 'ai';
import { z } from 'zod';
import type { PermissionGate } from '../permission/index.ts';
import type { ToolContext, ToolDefinition, ToolOutput } from '../tool/index.ts';
import { parseToolInput, runTool } from '../tool/index.ts';

/** What a call produced, with how long the tool itself ran (permission waits excluded). */
export type ToolCallOutcome = ToolOutput & { denied?: boolean; durationMs: number };

/** A tool call that did not succeed; the SDK hands its message back to the model as the result. */
export class ToolCallFailed extends Error {
  override name = 'ToolCallFailed';
}

export interface ToolSetHooks {
  /** Called before anything else happens for a call (permission prompt, execution). */
  onCallStart(toolCallId: string, tool: string, input: unknown): void;
  onCallEnd(toolCallId: string, output: ToolCallOutcome): void;
}

/**
 * Exposes tool definitions to the AI SDK. Input is passed through unvalidated so that our own
 * zod validation produces the error text the model reads (naming the field and what was
 * expected), instead of a generic SDK validation failure.
 */
export function buildToolSet(
  definitions: ToolDefinition[],
  gate: PermissionGate,
  context: Omit<ToolContext, 'signal'>,
  hooks: ToolSetHooks,
): ToolSet {
  const set: ToolSet = {};
  for (const definition of definitions) {
    set[definition.name] = tool({
      description: definition.description,
      inputSchema: jsonSchema<unknown>(
        (definition.jsonSchema ?? z.toJSONSchema(definition.inputSchema, { io: 'input' })) as JSONSchema7,
      ),
      execute: async (input: unknown, { toolCallId, abortSignal }) => {
        hooks.onCallStart(toolCallId, definition.name, input);
        // The gate judges exactly what the tool will run: one parse for both.
        const parsed = parseToolInput(definition, input);
        if (!parsed.ok) {
          hooks.onCallEnd(toolCallId, { ok: false, output: parsed.output, durationMs: 0 });
          throw new ToolCallFailed(parsed.output);
        }
        const subjects = definition.subjects?.(parsed.data) ?? [definition.subject(parsed.data)];
        const decision = await gate.check(definition.name, parsed.data, subjects);
        if (!decision.allowed) {
          hooks.onCallEnd(toolCallId, { ok: false, output: decision.reason, denied: true, durationMs: 0 });
          throw new ToolCallFailed(decision.reason);
        }
        const signal = abortSignal ?? new AbortController().signal;
        const started = performance.now();
        const output = await runTool(definition, parsed.data, { ...context, signal });
        hooks.onCallEnd(toolCallId, { ...output, durationMs: Math.round(performance.now() - started) });
        if (!output.ok) throw new ToolCallFailed(output.output);
        return output.output;
      },
    });
  }
  return set;
}
