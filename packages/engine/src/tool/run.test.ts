import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readTool } from './read.ts';
import { describeInputShape, runTool } from './run.ts';
import { createTestWorkspace, type TestWorkspace } from './test-utils.ts';
import { type ToolDefinition, ToolError } from './types.ts';

let ws: TestWorkspace;
beforeEach(() => {
  ws = createTestWorkspace({ 'a.txt': 'hello\n' });
});
afterEach(() => ws.cleanup());

function fakeTool(execute: ToolDefinition['execute']): ToolDefinition {
  return {
    name: 'fake',
    description: '',
    inputSchema: z.object({ path: z.string() }) as z.ZodType<unknown>,
    subject: () => '',
    readOnly: true,
    execute,
  };
}

describe('runTool', () => {
  it('turns malformed input into a correctable message', async () => {
    const result = await ws.run(readTool, { path: 5 });
    expect(result).toEqual({
      ok: false,
      output:
        'Invalid input for read: path must be string, got number. Expected: {path: string, offset?: integer, limit?: integer}',
    });
    expect((await ws.run(readTool, {})).output).toMatch(
      /^Invalid input for read: path is required \(string\)\./,
    );
    expect((await ws.run(readTool, undefined)).output).toMatch(/path is required/);
    expect((await ws.run(readTool, { path: 'a.txt', offset: 0 })).output).toMatch(/offset: .*>=1/);
  });

  it("names a tool's own JSON Schema (an MCP tool's contract) in the correction", async () => {
    const mcpTool: ToolDefinition = {
      ...fakeTool(async () => ({ ok: true, output: '' })),
      name: 'mcp__files__search',
      inputSchema: z.record(z.string(), z.unknown()) as z.ZodType<unknown>,
      jsonSchema: {
        type: 'object',
        properties: { query: { type: 'string' }, limit: { type: 'integer' } },
        required: ['query'],
      },
    };
    expect((await runTool(mcpTool, 'not an object', ws.ctx)).output).toMatch(
      /^Invalid input for mcp__files__search: .*Expected: \{query: string, limit\?: integer\}$/,
    );
  });

  it('accepts arguments sent as a JSON string', async () => {
    expect((await ws.run(readTool, '{"path":"a.txt"}')).output).toBe('   1\thello');
  });

  it('turns ToolErrors and unexpected exceptions into ok:false', async () => {
    const toolError = fakeTool(async () => {
      throw new ToolError('fix the path');
    });
    expect(await runTool(toolError, { path: 'x' }, ws.ctx)).toEqual({ ok: false, output: 'fix the path' });

    const eacces = fakeTool(async () => {
      throw Object.assign(new Error(`EACCES: permission denied, open '${ws.root}/secret'`), {
        code: 'EACCES',
        path: `${ws.root}/secret`,
      });
    });
    expect((await runTool(eacces, { path: 'x' }, ws.ctx)).output).toBe(
      'fake failed on "secret": permission denied (EACCES).',
    );

    const crash = fakeTool(async () => {
      throw new TypeError(`boom in ${ws.root}/src`);
    });
    expect(await runTool(crash, { path: 'x' }, ws.ctx)).toEqual({
      ok: false,
      output: 'fake failed unexpectedly: boom in src',
    });
  });

  it('returns "cancelled" when the signal aborts, even if the tool ignores it', async () => {
    const controller = new AbortController();
    const slow = fakeTool(() => new Promise(() => {}));
    const pending = runTool(slow, { path: 'x' }, { ...ws.ctx, signal: controller.signal });
    controller.abort();
    expect(await pending).toEqual({ ok: false, output: 'cancelled' });
    expect(await runTool(slow, { path: 'x' }, { ...ws.ctx, signal: controller.signal })).toEqual({
      ok: false,
      output: 'cancelled',
    });
  });

  it('describes nested schemas compactly', () => {
    const schema = z.object({
      items: z.array(z.object({ a: z.enum(['x', 'y']), b: z.boolean().optional() })),
    });
    expect(describeInputShape(schema)).toBe('{items: {a: "x" | "y", b?: boolean}[]}');
  });
});
