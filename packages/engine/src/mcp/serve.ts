import type { PermissionRule } from '../config/index.ts';
import type { Sandbox } from '../sandbox/types.ts';
import { builtinTools } from '../tool/registry.ts';
import type { ToolDefinition } from '../tool/types.ts';

/** The tools `aura mcp serve` offers: the built-in ones that act on a workspace. */
export function workspaceTools(opts: { readOnly: boolean }): ToolDefinition[] {
  // todo only feeds the agent's own UI; an MCP client has its own.
  return builtinTools().filter((tool) => tool.name !== 'todo' && (!opts.readOnly || tool.readOnly));
}

export interface ServeWorkspaceOptions {
  workspace: string;
  sandbox: Sandbox;
  rules: PermissionRule[];
  approveAsks: boolean;
  readOnly: boolean;
  allowPrivateNetwork: boolean;
}

/**
 * Serves the workspace tools on stdin/stdout until the client goes away (its end of stdin closes).
 * Nothing else may write to stdout.
 */
export async function serveWorkspaceMcp(options: ServeWorkspaceOptions): Promise<void> {
  // The MCP SDK takes a noticeable time to load: only when serving.
  const [{ createWorkspaceMcpServer }, { StdioServerTransport }] = await Promise.all([
    import('./workspace-server.ts'),
    import('@modelcontextprotocol/sdk/server/stdio.js'),
  ]);
  const { server, settled } = createWorkspaceMcpServer({ ...options, tools: workspaceTools(options) });
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve;
  });
  await server.connect(new StdioServerTransport(process.stdin, process.stdout));
  // The client closed its end: answer the calls already made (a piped script still wants them), then stop.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void settled().then(() => server.close());
  };
  process.stdin.once('end', stop);
  process.stdin.once('close', stop);
  await closed;
}
