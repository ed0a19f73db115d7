import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  ConfigError,
  connectMcpServers,
  createSandbox,
  DEFAULT_CALL_TIMEOUT_MS,
  defaultRules,
  loadConfig,
  type McpServerConfig,
  type McpServerStatus,
  mcpServerName,
  readConfigFile,
  serveWorkspaceMcp,
  updateConfigFile,
  userConfigPath,
} from '@aura/engine';
import { oneOf, parseCommandArgs, positiveInt } from '../args.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { createStyle } from '../style.ts';

const mcpHelp = `Usage:
  aura mcp add NAME [--env NAME=VALUE]... [--timeout MS] [--force] -- COMMAND [ARGS...]
  aura mcp add NAME --transport http URL [--header 'Name: value']... [--timeout MS] [--force]
  aura mcp list [--format text|json] [--check]
  aura mcp get NAME [--format text|json] [--check]
  aura mcp remove NAME
  aura mcp serve [--dir DIR] [--yes] [--read-only] [--sandbox local|bwrap|docker]

add, list, get and remove manage the MCP servers in your user config (${userConfigPath()}).
A server's tools reach the agent as mcp__NAME__TOOL and ask before each call unless a
permissions rule allows them. --timeout is how long one call may take (default ${DEFAULT_CALL_TIMEOUT_MS / 1000} s).
Env and header values may name environment variables as \${VAR}; list and get mask their values.
--check starts each server and reports whether it answers and how many tools it offers.

serve runs an MCP server on stdio that offers Aura's workspace tools (read, write, edit, grep,
exec, …) over DIR, with your permission rules: deny refuses, ask refuses unless --yes.
--read-only offers only the tools that do not change anything.
`;

const SERVE_SANDBOXES = ['local', 'bwrap', 'docker'] as const;

export async function mcpCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub) {
    process.stderr.write(mcpHelp);
    return exitCodes.usage;
  }
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(mcpHelp);
    return exitCodes.ok;
  }
  const run = subcommands[sub];
  if (!run) throw new UsageError(`unknown mcp command "${sub}".\n${mcpHelp}`);
  const ownArgs = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (ownArgs.includes('--help') || ownArgs.includes('-h')) {
    process.stdout.write(mcpHelp);
    return exitCodes.ok;
  }
  try {
    return await run(rest);
  } catch (error) {
    // A config file that is broken, or a change it would not accept, is for the person to fix.
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

const subcommands: Record<string, (args: string[]) => Promise<number>> = {
  add,
  list,
  get,
  remove,
  serve,
};

/** `aura mcp add`'s arguments as a config entry, refusing anything the person should fix. */
function serverFromArgs(args: string[]): { name: string; entry: McpServerConfig; force: boolean } {
  const split = args.indexOf('--');
  const flags = split === -1 ? args : args.slice(0, split);
  const { values, positionals } = parseCommandArgs(flags, {
    transport: { type: 'string', short: 't' },
    env: { type: 'string', short: 'e', multiple: true },
    header: { type: 'string', short: 'H', multiple: true },
    timeout: { type: 'string' },
    force: { type: 'boolean', short: 'f' },
  });
  const [name, ...inline] = positionals;
  if (!name) throw new UsageError(`a server name is required.\n${mcpHelp}`);
  checkName(name);
  const target = split === -1 ? inline : [...inline, ...args.slice(split + 1)];
  const looksLikeUrl = /^https?:\/\//i.test(target[0] ?? '');
  const transport = oneOf(
    values.transport,
    ['stdio', 'http'] as const,
    '--transport',
    looksLikeUrl ? 'http' : 'stdio',
  );
  const timeoutMs = timeout(values.timeout);

  let entry: McpServerConfig;
  if (transport === 'http') {
    if (values.env) throw new UsageError('--env is for stdio servers; an HTTP server takes --header');
    if (target.length !== 1)
      throw new UsageError(`an HTTP server takes one URL (got ${target.length}).\n${mcpHelp}`);
    entry = { type: 'http', url: checkUrl(target[0]!) };
    if (values.header) entry.headers = pairs(values.header, ':', '--header', 'Name: value', headerName, true);
  } else {
    if (values.header) throw new UsageError('--header is for HTTP servers; a stdio server takes --env');
    const [command, ...commandArgs] = target;
    if (!command?.trim()) {
      throw new UsageError(
        `a command to start the server is required, after --: aura mcp add ${name} -- npx -y some-mcp-server`,
      );
    }
    entry = { type: 'stdio', command };
    if (commandArgs.length > 0) entry.args = commandArgs;
    if (values.env) entry.env = pairs(values.env, '=', '--env', 'NAME=VALUE', envName, false);
  }
  if (timeoutMs !== undefined) entry.timeoutMs = timeoutMs;
  return { name, entry, force: values.force === true };
}

async function add(args: string[]): Promise<number> {
  const { name, entry, force } = serverFromArgs(args);
  const file = userConfigPath();
  const existing = (await readConfigFile(file)).mcp?.[name];
  if (existing && !force) {
    throw new UsageError(
      `an MCP server named "${name}" already exists (${describeTarget(existing)}). Remove it first with aura mcp remove ${name}, or pass --force to replace it.`,
    );
  }
  await updateConfigFile(file, (doc) => {
    doc.setIn(['mcp', name], doc.createNode(entry));
  });
  process.stdout.write(
    `${existing ? 'Replaced' : 'Added'} MCP server "${name}" (${describeTarget(entry)}) in ${file}.\n` +
      `Its tools reach the agent as mcp__${name}__<tool> and ask before each call unless a permissions rule allows them.\n` +
      `Check that it starts: aura mcp get ${name} --check\n`,
  );
  return exitCodes.ok;
}

async function list(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { format: { type: 'string' }, check: { type: 'boolean' } });
  const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
  const servers = await configuredServers();
  const status = values.check ? await check(servers) : undefined;
  const listing = Object.entries(servers).map(([name, config]) => listed(name, config, status));
  if (format === 'json') return printJson(listing);
  if (listing.length === 0) {
    process.stdout.write('No MCP servers configured. Add one with: aura mcp add NAME -- COMMAND [ARGS...]\n');
    return exitCodes.ok;
  }
  const style = createStyle(process.stdout);
  const width = Math.max(...listing.map((server) => server.name.length));
  for (const server of listing) {
    const config = servers[server.name]!;
    const state = server.status
      ? statusText(server.status, style)
      : config.enabled === false
        ? style.dim('disabled')
        : '';
    process.stdout.write(
      `${style.bold(server.name.padEnd(width))}  ${config.type.padEnd(5)}  ${describeTarget(config)}${state ? `  ${state}` : ''}\n`,
    );
  }
  return exitCodes.ok;
}

async function get(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    format: { type: 'string' },
    check: { type: 'boolean' },
  });
  const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
  const [name] = positionals;
  if (!name) throw new UsageError(`a server name is required.\n${mcpHelp}`);
  const servers = await configuredServers();
  const config = servers[name];
  if (!config) throw new UsageError(notFound(name, servers));
  const checked = values.check
    ? await connectMcpServers({ [name]: { ...config, enabled: true } })
    : undefined;
  try {
    const server = {
      ...listed(name, config, checked?.status),
      ...(checked
        ? { tools: checked.tools.map((tool) => ({ name: tool.name, description: tool.description })) }
        : {}),
    };
    if (format === 'json') return printJson(server);
    const style = createStyle(process.stdout);
    const lines = [
      style.bold(name),
      `  type:     ${config.type}`,
      config.type === 'stdio' ? `  command:  ${describeTarget(config)}` : `  url:      ${config.url}`,
      ...(config.type === 'stdio' && config.cwd ? [`  cwd:      ${config.cwd}`] : []),
      ...maskedLines('env', server.env),
      ...maskedLines('headers', server.headers),
      `  timeout:  ${server.timeoutMs / 1000} s per call`,
      `  enabled:  ${server.enabled ? 'yes' : 'no'}`,
      ...(server.status ? [`  status:   ${statusText(server.status, style)}`] : []),
      ...(server.tools ?? []).map((tool) => `    ${tool.name}  ${style.dim(firstLine(tool.description))}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return exitCodes.ok;
  } finally {
    await checked?.close();
  }
}

async function remove(args: string[]): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  const [name] = positionals;
  if (!name) throw new UsageError(`a server name is required.\n${mcpHelp}`);
  const file = userConfigPath();
  const servers = (await readConfigFile(file)).mcp ?? {};
  if (!servers[name]) throw new UsageError(notFound(name, servers));
  await updateConfigFile(file, (doc) => {
    doc.deleteIn(['mcp', name]);
    if (Object.keys((doc.toJS() as { mcp?: object }).mcp ?? {}).length === 0) doc.delete('mcp');
  });
  process.stdout.write(`Removed MCP server "${name}" from ${file}.\n`);
  return exitCodes.ok;
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    dir: { type: 'string' },
    yes: { type: 'boolean', short: 'y' },
    'read-only': { type: 'boolean' },
    sandbox: { type: 'string' },
  });
  const driver = oneOf(values.sandbox, SERVE_SANDBOXES, '--sandbox', 'local');
  const directory = resolve(values.dir ?? process.cwd());
  const info = await stat(directory).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`--dir ${directory} is not a directory`);
  const workspace = await realpath(directory);
  // stdout carries the protocol: everything else goes to stderr.
  const note = (message: string) => process.stderr.write(`aura: ${message}\n`);
  const config = await loadConfig({ dir: workspace, onNotice: note });
  const sandbox = createSandbox({ workspace, driver });
  if (process.stdin.isTTY) note(`serving ${workspace} over MCP on stdio (Ctrl-D to stop)`);
  try {
    await serveWorkspaceMcp({
      workspace,
      sandbox,
      rules: [...defaultRules, ...(config.permissions ?? [])],
      approveAsks: values.yes === true,
      readOnly: values['read-only'] === true,
      allowPrivateNetwork: config.webFetch?.allowPrivateNetwork ?? false,
    });
  } finally {
    await sandbox.dispose();
  }
  return exitCodes.ok;
}

/** The user's servers (a project's config may not add any; loading it says so if it tries). */
async function configuredServers(): Promise<Record<string, McpServerConfig>> {
  const note = (message: string) => process.stderr.write(`aura: ${message}\n`);
  return (await loadConfig({ dir: process.cwd(), onNotice: note })).mcp ?? {};
}

async function check(servers: Record<string, McpServerConfig>): Promise<McpServerStatus[]> {
  const connections = await connectMcpServers(servers);
  await connections.close();
  return connections.status;
}

interface ListedServer {
  name: string;
  type: McpServerConfig['type'];
  command?: string;
  args?: string[];
  cwd?: string;
  url?: string;
  env?: Record<string, string>;
  headers?: Record<string, string>;
  timeoutMs: number;
  enabled: boolean;
  status?: { ok: boolean; tools: number; error?: string };
}

/** A server as shown: env and header values masked (they often hold tokens). */
function listed(
  name: string,
  config: McpServerConfig,
  statuses: McpServerStatus[] | undefined,
): ListedServer {
  const found = statuses?.find((status) => status.server === name);
  const status = found
    ? { ok: found.ok, tools: found.tools, ...(found.error ? { error: found.error } : {}) }
    : undefined;
  const common = {
    name,
    type: config.type,
    timeoutMs: config.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    enabled: config.enabled !== false,
    ...(status ? { status } : {}),
  };
  if (config.type === 'http') {
    return { ...common, url: config.url, ...(config.headers ? { headers: masked(config.headers) } : {}) };
  }
  return {
    ...common,
    command: config.command,
    args: config.args ?? [],
    ...(config.cwd ? { cwd: config.cwd } : {}),
    ...(config.env ? { env: masked(config.env) } : {}),
  };
}

const masked = (values: Record<string, string>) =>
  Object.fromEntries(Object.keys(values).map((key) => [key, '***']));

function maskedLines(label: string, values: Record<string, string> | undefined): string[] {
  if (!values) return [];
  return [
    `  ${label}:${' '.repeat(Math.max(1, 9 - label.length))}${Object.keys(values)
      .map((key) => `${key}=***`)
      .join(', ')}`,
  ];
}

function statusText(
  status: { ok: boolean; tools: number; error?: string },
  style: ReturnType<typeof createStyle>,
) {
  if (status.ok) return style.green(`ok, ${status.tools} tool${status.tools === 1 ? '' : 's'}`);
  return style.red(`failed: ${(status.error ?? '').replace(/^MCP server "[^"]*" /, '')}`);
}

function describeTarget(config: McpServerConfig): string {
  if (config.type === 'http') return config.url;
  return [config.command, ...(config.args ?? [])].map(shellWord).join(' ');
}

const shellWord = (word: string) =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;

const firstLine = (text: string) => text.split('\n')[0] ?? '';

function notFound(name: string, servers: Record<string, McpServerConfig>): string {
  const names = Object.keys(servers);
  return `no MCP server named "${name}" (${names.length > 0 ? `configured: ${names.join(', ')}` : 'none are configured'})`;
}

function checkName(name: string): void {
  const result = mcpServerName.safeParse(name);
  if (!result.success) {
    throw new UsageError(
      `bad server name "${name}": ${result.error.issues[0]?.message} (it becomes part of tool names: mcp__${name}__<tool>)`,
    );
  }
}

function checkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`"${text}" is not a URL; an HTTP server needs one like http://127.0.0.1:3000/mcp`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`"${text}" is not an http(s) URL (got ${url.protocol})`);
  return text;
}

function timeout(value: string | undefined): number | undefined {
  const ms = positiveInt(value, '--timeout');
  if (ms !== undefined && (ms < 100 || ms > 3_600_000))
    throw new UsageError(`--timeout is in milliseconds, from 100 to 3600000 (got ${ms})`);
  return ms;
}

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `NAME=VALUE` (env, kept exactly) or `Name: value` (headers, trimmed) flags as a map. */
function pairs(
  items: string[],
  separator: string,
  flag: string,
  shape: string,
  validName: RegExp,
  trimValue: boolean,
) {
  const result: Record<string, string> = {};
  for (const item of items) {
    const at = item.indexOf(separator);
    const key = at === -1 ? '' : item.slice(0, at).trim();
    if (!validName.test(key)) {
      // The value may be a secret: show only the name part.
      throw new UsageError(`${flag} expects ${shape} (got "${at === -1 ? '…' : `${key}${separator}…`}")`);
    }
    const value = item.slice(at + 1);
    result[key] = trimValue ? value.trim() : value;
  }
  return result;
}

function printJson(value: unknown): number {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  return exitCodes.ok;
}
