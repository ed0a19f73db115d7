/** Helpers for the tool tests: real temp workspaces and a ToolContext around them. */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalSandbox } from '../sandbox/local.ts';
import { runTool } from './run.ts';
import type { ToolContext, ToolDefinition, ToolOutput } from './types.ts';

export interface TestWorkspace {
  /** Real path of the workspace root. */
  root: string;
  /** A directory beside the workspace (outside it) holding `secret.txt`. */
  outside: string;
  ctx: ToolContext;
  write(relative: string, content: string | Uint8Array): string;
  run<Input>(
    tool: ToolDefinition<Input>,
    input: unknown,
    overrides?: Partial<ToolContext>,
  ): Promise<ToolOutput>;
  cleanup(): Promise<void>;
}

export function createTestWorkspace(files: Record<string, string> = {}): TestWorkspace {
  const parent = realpathSync(mkdtempSync(path.join(tmpdir(), 'aura-tools-')));
  const root = path.join(parent, 'workspace');
  const outside = path.join(parent, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'secret.txt'), 'TOP SECRET\n');
  const sandbox = createLocalSandbox({ workspace: root, killGraceMs: 200 });
  const ctx: ToolContext = {
    workspace: root,
    sandbox,
    signal: new AbortController().signal,
    allowPrivateNetwork: false,
  };
  const write = (relative: string, content: string | Uint8Array) => {
    const target = path.join(root, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    return target;
  };
  for (const [relative, content] of Object.entries(files)) write(relative, content);
  return {
    root,
    outside,
    ctx,
    write,
    run: (tool, input, overrides = {}) =>
      runTool(tool as unknown as ToolDefinition, input, { ...ctx, ...overrides }),
    async cleanup() {
      await sandbox.dispose();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}
