import type { McpServerConfig } from '../config/index.ts';
import type { ToolDefinition } from '../tool/types.ts';

export interface McpServerStatus {
  server: string;
  ok: boolean;
  /** How many tools it offers (0 when it failed). */
  tools: number;
  /** Why it failed, naming the server: `MCP server "files" could not start: …`. */
  error?: string;
}

export interface McpConnections {
  /** Every connected server's tools, as `mcp__<server>__<tool>`. */
  tools: ToolDefinition[];
  /** One entry per enabled server, in config order. */
  status: McpServerStatus[];
  /** Stops the servers (stdio) and ends their sessions (HTTP). */
  close(): Promise<void>;
}

export interface ConnectMcpOptions {
  /** Servers that fail to start, die, or come back; meant for the person, not the model. */
  onNotice?: (message: string) => void;
  /** Stops connecting (servers not yet up are reported as cancelled). */
  signal?: AbortSignal;
  /** Limit for starting one server; default 30 s. */
  connectTimeoutMs?: number;
  /** Source of `${VAR}` references and inherited variables; default process.env. */
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
/** How long one tool call may take when the server's config sets no `timeoutMs`. */
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;

const none: McpConnections = { tools: [], status: [], close: async () => {} };

/**
 * Starts every enabled server in parallel and turns their tools into agent tools. A server that
 * fails is reported (status and notice) and skipped: the run goes on without it.
 */
export async function connectMcpServers(
  servers: Record<string, McpServerConfig>,
  opts: ConnectMcpOptions = {},
): Promise<McpConnections> {
  const enabled = Object.entries(servers).filter(([, config]) => config.enabled !== false);
  if (enabled.length === 0) return none;
  // The MCP SDK takes a noticeable time to load: only when there is a server to talk to.
  const [{ McpServerConnection }, { mcpToolDefinition }, { modelToolNames }] = await Promise.all([
    import('./connection.ts'),
    import('./tool-definition.ts'),
    import('./names.ts'),
  ]);
  const notice = opts.onNotice ?? (() => {});
  const connections = enabled.map(
    ([name, config]) =>
      new McpServerConnection(name, config, {
        connectTimeoutMs: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        env: opts.env ?? process.env,
        onNotice: notice,
      }),
  );
  const started = await Promise.allSettled(connections.map((connection) => connection.start(opts.signal)));

  const tools: ToolDefinition[] = [];
  const status: McpServerStatus[] = [];
  const taken = new Set<string>();
  started.forEach((outcome, index) => {
    const connection = connections[index]!;
    if (outcome.status === 'rejected') {
      const error = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
      status.push({ server: connection.name, ok: false, tools: 0, error });
      // When the caller gave up on connecting, it does not need to hear about each server.
      if (!opts.signal?.aborted) notice(`${error}; continuing without it.`);
      return;
    }
    const names = modelToolNames(
      connection.name,
      outcome.value.map((tool) => tool.name),
      taken,
    );
    outcome.value.forEach((tool, i) => {
      tools.push(mcpToolDefinition(names[i]!, tool, connection));
    });
    status.push({ server: connection.name, ok: true, tools: outcome.value.length });
  });
  return {
    tools,
    status,
    close: async () => {
      await Promise.all(connections.map((connection) => connection.close()));
    },
  };
}
