import path from 'node:path';
import { z } from 'zod';
import { type ToolContext, type ToolDefinition, ToolError, type ToolOutput } from './types.ts';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

function renderSchema(node: JsonSchema, depth = 0): string {
  if (depth > 4) return '…';
  if (node.enum) return node.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (node.const !== undefined) return JSON.stringify(node.const);
  const union = node.anyOf ?? node.oneOf;
  if (union) return union.map((part) => renderSchema(part, depth + 1)).join(' | ');
  const type = Array.isArray(node.type) ? node.type.join(' | ') : node.type;
  if (type === 'object' || node.properties) {
    const required = new Set(node.required ?? []);
    const fields = Object.entries(node.properties ?? {}).map(
      ([key, value]) => `${key}${required.has(key) ? '' : '?'}: ${renderSchema(value, depth + 1)}`,
    );
    return `{${fields.join(', ')}}`;
  }
  if (type === 'array') return `${renderSchema(node.items ?? {}, depth + 1)}[]`;
  return type ?? 'unknown';
}

/** A compact TypeScript-like rendering of a tool's input schema: `{path: string, offset?: integer}`. */
export function describeInputShape(schema: z.ZodType): string {
  try {
    return renderSchema(z.toJSONSchema(schema, { unrepresentable: 'any' }) as JsonSchema);
  } catch {
    return '';
  }
}

function issueText(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'input';
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    return `${where} is required (${issue.expected})`;
  }
  if (issue.code === 'invalid_type') {
    const received = /received (\w+)/.exec(issue.message)?.[1];
    return `${where} must be ${issue.expected}${received ? `, got ${received}` : ''}`;
  }
  return `${where}: ${issue.message}`;
}

/** Turns zod issues into one readable sentence for the model. */
export function formatInputError(tool: ToolDefinition, error: z.ZodError): string {
  const issues = error.issues.slice(0, 8).map(issueText).join('; ');
  // An MCP tool's real contract is its JSON Schema; its zod schema only checks for an object.
  const shape = tool.jsonSchema
    ? renderSchema(tool.jsonSchema as JsonSchema)
    : describeInputShape(tool.inputSchema);
  return `Invalid input for ${tool.name}: ${issues}.${shape ? ` Expected: ${shape}` : ''}`;
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory, but a file was expected',
  ENOTDIR: 'a part of the path is a file, but a directory was expected',
  ENOTEMPTY: 'the directory is not empty',
  EEXIST: 'it already exists',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many open files; try again',
  ENFILE: 'too many open files; try again',
  ENAMETOOLONG: 'the file name is too long',
  EBUSY: 'the resource is busy',
  ELOOP: 'too many levels of symbolic links',
  EXDEV: 'cannot move across file systems',
};

function hideWorkspace(text: string, workspace: string): string {
  if (!workspace) return text;
  const root = workspace.replace(/[\\/]+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(
    new RegExp(`${root}(?:${path.sep === '/' ? '/' : '\\\\'}|(?![\\w.-]))`, 'g'),
    (match) => (match.length > workspace.replace(/[\\/]+$/, '').length ? '' : '.'),
  );
}

/** Explains an unexpected failure (EACCES, EISDIR…) in words the model can act on. */
export function describeFailure(tool: string, error: unknown, workspace: string): string {
  if (error instanceof ToolError) return hideWorkspace(error.message, workspace);
  const errno = error as NodeJS.ErrnoException;
  if (errno && typeof errno.code === 'string' && ERRNO_TEXT[errno.code]) {
    const target = errno.path ? ` on "${hideWorkspace(errno.path, workspace)}"` : '';
    return `${tool} failed${target}: ${ERRNO_TEXT[errno.code]} (${errno.code}).`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `${tool} failed unexpectedly: ${hideWorkspace(message, workspace)}`;
}

const CANCELLED: ToolOutput = { ok: false, output: 'cancelled' };

/**
 * Validates a model's raw tool input: some models send the arguments as a JSON string, some send
 * nothing for a tool without fields. The permission gate and the tool must see the same parse.
 */
export function parseToolInput(
  tool: ToolDefinition,
  rawInput: unknown,
): { ok: true; data: unknown } | { ok: false; output: string } {
  let input: unknown = rawInput;
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch {
      // Leave it; validation explains the problem.
    }
  }
  const parsed = tool.inputSchema.safeParse(input ?? {});
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, output: formatInputError(tool, parsed.error) };
}

/**
 * Runs a tool call from the model: validates the raw input, executes, and turns every failure
 * (invalid input, ToolError, filesystem errors, anything thrown) into `ok: false` output.
 * Never throws. Resolves with "cancelled" as soon as ctx.signal aborts.
 */
export async function runTool(
  tool: ToolDefinition,
  rawInput: unknown,
  ctx: ToolContext,
): Promise<ToolOutput> {
  if (ctx.signal.aborted) return CANCELLED;
  const parsed = parseToolInput(tool, rawInput);
  if (!parsed.ok) return parsed;

  let onAbort: (() => void) | undefined;
  const aborted = new Promise<ToolOutput>((resolve) => {
    onAbort = () => resolve(CANCELLED);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  const run = (async (): Promise<ToolOutput> => {
    try {
      const output = await tool.execute(parsed.data, ctx);
      if (ctx.signal.aborted) return CANCELLED;
      return { ...output, output: String(output.output ?? '') };
    } catch (error) {
      if (ctx.signal.aborted) return CANCELLED;
      return { ok: false, output: describeFailure(tool.name, error, ctx.workspace) };
    }
  })();
  try {
    return await Promise.race([run, aborted]);
  } finally {
    if (onAbort) ctx.signal.removeEventListener('abort', onAbort);
  }
}
