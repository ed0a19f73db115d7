import { setTimeout as delay } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { DEFAULT_INHERITED_ENV_VARS } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { type CallToolResult, ErrorCode, McpError, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from '../config/index.ts';
import { ToolError } from '../tool/types.ts';
import { DEFAULT_CALL_TIMEOUT_MS } from './connect.ts';
import { displayUrl, errorText, formatSeconds, networkFailure } from './failures.ts';
import { ServerProcessTransport } from './process-transport.ts';
import { expandVariables, McpConfigError } from './variables.ts';
import { auraImplementation } from './version.ts';

/** Besides the server's own `env`, only these reach it: provider keys in Aura's env stay private. */
const inheritedVariables = [...DEFAULT_INHERITED_ENV_VARS, 'LANG', 'LC_ALL', 'TMPDIR'];

const MAX_TOOL_PAGES = 100;
/** How long a failed start waits for the process to exit, to report its status and stderr. */
const STARTUP_EXIT_WAIT_MS = 500;

export interface ConnectionOptions {
  /** How long starting (spawn or connect, initialize, list tools) may take. */
  connectTimeoutMs: number;
  /** Where `${VAR}` references and the inherited variables come from. */
  env: NodeJS.ProcessEnv;
  onNotice: (message: string) => void;
}

/** One live client of a server. A restart makes a new one. */
interface Session {
  client: Client;
  transport: ServerProcessTransport | StreamableHTTPClientTransport;
  /** Aborted when the server goes away unexpectedly, which ends the calls in flight. */
  lost: AbortController;
  /** Why the server went away ("exited with code 1: …", "connection refused"). */
  gone?: string;
  /** Set while we close it ourselves, which is not a failure. */
  closing: boolean;
}

/** A server that could not be started; `detail` says why without naming the server. */
export class McpStartError extends Error {
  override name = 'McpStartError';
  readonly detail: string;

  constructor(server: string, detail: string) {
    super(`MCP server "${server}" ${detail}`);
    this.detail = detail;
  }
}

/**
 * One configured MCP server: starts it, calls its tools with the per-server timeout, notices when
 * it dies (process exit, lost connection), explains that to the model and the user, and tries one
 * restart on each later call.
 */
export class McpServerConnection {
  readonly name: string;
  readonly #config: McpServerConfig;
  readonly #options: ConnectionOptions;
  #session: Session | undefined;
  #restart: Promise<Session> | undefined;
  #closed = false;

  constructor(name: string, config: McpServerConfig, options: ConnectionOptions) {
    this.name = name;
    this.#config = config;
    this.#options = options;
  }

  get callTimeoutMs(): number {
    return this.#config.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  }

  /** Starts the server and lists its tools. Throws McpStartError. */
  async start(signal?: AbortSignal): Promise<Tool[]> {
    const { session, tools } = await this.#open(signal);
    if (this.#closed) {
      await closeSession(session);
      throw new McpStartError(this.name, 'was shut down while starting');
    }
    this.#session = session;
    return tools;
  }

  /** Calls one tool. Failures the model should read (timeout, dead server) throw ToolError. */
  async call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult> {
    const session = await this.#live();
    const timeout = this.callTimeoutMs;
    try {
      const result = await session.client.callTool({ name: tool, arguments: args }, undefined, {
        timeout,
        signal: AbortSignal.any([signal, session.lost.signal]),
      });
      // Servers on the 2024-10-07 protocol answer with a bare `toolResult`.
      if ('toolResult' in result)
        return { content: [{ type: 'text', text: JSON.stringify(result.toolResult) }] };
      return result as CallToolResult;
    } catch (error) {
      if (signal.aborted) throw error;
      if (!session.gone) {
        const lost = networkFailure(error) ?? expiredSession(error);
        if (lost) this.#lose(session, lost);
      }
      if (session.gone) throw new ToolError(`${this.#unavailable(session.gone)}.`);
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
        throw new ToolError(
          `MCP server "${this.name}" did not answer ${tool} within ${formatSeconds(timeout)} (its timeoutMs); the call was cancelled.`,
        );
      }
      throw new ToolError(`MCP server "${this.name}" could not run ${tool}: ${errorText(error)}`);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const session = this.#session;
    this.#session = undefined;
    if (session) await closeSession(session);
  }

  get #verbs(): { present: string; past: string } {
    return this.#config.type === 'stdio'
      ? { present: 'restart', past: 'restarted' }
      : { present: 'reconnect', past: 'reconnected' };
  }

  #unavailable(detail: string): string {
    return this.#config.type === 'stdio'
      ? `MCP server "${this.name}" is not running (${detail})`
      : `MCP server "${this.name}" is not reachable at ${displayUrl(this.#config.url)} (${detail})`;
  }

  /** The current session, or, when the server is gone, one attempt at a new one. */
  async #live(): Promise<Session> {
    const current = this.#session;
    if (this.#closed || !current) throw new ToolError(`MCP server "${this.name}" was shut down.`);
    if (!current.gone) return current;
    // Parallel calls share one attempt.
    this.#restart ??= this.#reopen(current).finally(() => {
      this.#restart = undefined;
    });
    return this.#restart;
  }

  async #reopen(dead: Session): Promise<Session> {
    await closeSession(dead);
    let fresh: Session;
    try {
      ({ session: fresh } = await this.#open());
    } catch (error) {
      const detail = error instanceof McpStartError ? error.detail : errorText(error);
      throw new ToolError(
        `${this.#unavailable(dead.gone ?? 'stopped')}; ${this.#verbs.present}ing it failed: ${detail}.`,
      );
    }
    if (this.#closed) {
      await closeSession(fresh);
      throw new ToolError(`MCP server "${this.name}" was shut down.`);
    }
    this.#session = fresh;
    this.#options.onNotice(`MCP server "${this.name}" was ${this.#verbs.past}.`);
    return fresh;
  }

  /** Marks a session as gone (once), ends its calls, and tells the user if it was the live one. */
  #lose(session: Session, detail: string): void {
    if (session.closing || session.gone) return;
    session.gone = detail;
    session.lost.abort(new Error(detail));
    if (session === this.#session && !this.#closed) {
      this.#options.onNotice(
        `${this.#unavailable(detail)}; its tools will try to ${this.#verbs.present} it on their next call.`,
      );
    }
  }

  async #open(signal?: AbortSignal): Promise<{ session: Session; tools: Tool[] }> {
    let transport: Session['transport'];
    try {
      transport = this.#transport();
    } catch (error) {
      if (error instanceof McpConfigError)
        throw new McpStartError(this.name, `is misconfigured: ${error.message}`);
      throw error;
    }
    const client = new Client(auraImplementation, { capabilities: {} });
    const session: Session = { client, transport, lost: new AbortController(), closing: false };
    client.onclose = () => {
      const exit = transport instanceof ServerProcessTransport ? transport.describeExit() : undefined;
      this.#lose(session, exit ?? 'the connection closed');
    };
    client.onerror = (error) => {
      const failure = networkFailure(error);
      if (failure) this.#lose(session, failure);
    };
    const options: RequestOptions = { timeout: this.#options.connectTimeoutMs, signal };
    try {
      await client.connect(transport, options);
      const tools = client.getServerCapabilities()?.tools ? await listAllTools(client, options) : [];
      return { session, tools };
    } catch (error) {
      // Read before closing: closing kills the process, which would replace its own exit status.
      const detail = await this.#startFailure(session, error, signal);
      await closeSession(session);
      throw new McpStartError(this.name, detail);
    }
  }

  #transport(): Session['transport'] {
    const config = this.#config;
    const env = this.#options.env;
    if (config.type === 'http') {
      return new StreamableHTTPClientTransport(new URL(config.url), {
        requestInit: { headers: expandVariables(config.headers, env, 'header') },
      });
    }
    const inherited: Record<string, string> = {};
    for (const name of inheritedVariables) {
      const value = env[name];
      if (value !== undefined) inherited[name] = value;
    }
    return new ServerProcessTransport({
      command: config.command,
      args: config.args ?? [],
      env: { ...inherited, ...expandVariables(config.env, env, 'env') },
      cwd: config.cwd,
    });
  }

  async #startFailure(session: Session, error: unknown, signal?: AbortSignal): Promise<string> {
    if (signal?.aborted) return 'was not started: cancelled';
    const timedOut = error instanceof McpError && error.code === ErrorCode.RequestTimeout;
    const limit = formatSeconds(this.#options.connectTimeoutMs);
    const config = this.#config;
    if (config.type === 'http') {
      const where = displayUrl(config.url);
      const network = networkFailure(error);
      if (network) return `is not reachable at ${where} (${network})`;
      if (timedOut) return `did not answer at ${where} within ${limit}`;
      if (error instanceof StreamableHTTPError) {
        const hint = error.code === 401 || error.code === 403 ? ' (check its headers)' : '';
        return `answered HTTP ${error.code} at ${where}${hint}`;
      }
      return `could not connect at ${where}: ${errorText(error, 200)}`;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      const cwd = config.cwd ? ` (or its cwd ${config.cwd} does not exist)` : '';
      return `could not start: command "${config.command}" was not found${cwd}`;
    }
    if (code === 'EACCES') return `could not start: command "${config.command}" is not executable`;
    const transport = session.transport as ServerProcessTransport;
    // A server that crashed while we wrote to it may not have been reaped yet.
    if (!timedOut) await transport.waitForExit(STARTUP_EXIT_WAIT_MS);
    const exit = transport.describeExit();
    if (exit) return `could not start: it ${exit}`;
    const stderr = transport.lastStderrLine();
    const last = stderr ? ` (last output: ${stderr})` : '';
    if (timedOut) return `did not finish starting within ${limit}${last}`;
    return `could not start: ${errorText(error, 200)}${last}`;
  }
}

function expiredSession(error: unknown): string | undefined {
  return error instanceof StreamableHTTPError && error.code === 404
    ? 'its session expired (HTTP 404)'
    : undefined;
}

async function listAllTools(client: Client, options: RequestOptions): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TOOL_PAGES; page++) {
    const result = await client.listTools(cursor ? { cursor } : undefined, options);
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return tools;
}

/** Ends a session politely: an HTTP server is told to drop its session (briefly), a process is stopped. */
async function closeSession(session: Session): Promise<void> {
  session.closing = true;
  const { transport } = session;
  if (transport instanceof StreamableHTTPClientTransport && !session.gone && transport.sessionId) {
    await Promise.race([
      transport.terminateSession().catch(() => {}),
      delay(1_000, undefined, { ref: false }),
    ]);
  }
  // Not client.close(): once the transport has reported its end the client has let go of it, but a
  // dead server's process group may still hold children to stop.
  await session.transport.close().catch(() => {});
}
