import { createReadStream } from 'node:fs';
import { realpath, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Readable } from 'node:stream';
import {
  ConflictError,
  exportSessionDocument,
  InvalidInputError,
  importInputFrom,
  parseSessionDocument,
  type SessionDocument,
  SessionDocumentError,
  type Store,
  sessionDocumentOf,
} from '@aura/engine';
import type { Message, SessionInfo } from '@aura/protocol';
import { oneOf, parseCommandArgs, positiveInt } from '../args.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { formatUsage, sanitizeForTerminal } from '../render-text.ts';
import { openCliStore } from '../store.ts';

const sessionHelp = `Usage:
  aura session list [--dir DIR] [--limit N] [--format text|json]
  aura session show ID [--format text|json]
  aura session resume ID [chat options]       continue it in the chat TUI
  aura session export ID [--format json|md] [--output FILE] [--no-events]
  aura session import FILE|- [--new-id] [--dir DIR] [--format text|json]
  aura session delete ID [--yes]
  aura session search QUERY [--limit N] [--format text|json]

Every command takes --data DIR: where sessions are stored (default $XDG_DATA_HOME/aura;
DATABASE_URL switches to PostgreSQL).

export --format json writes a versioned document that import reads back (messages, usage and
the event log; --no-events leaves the log out). import refuses an id that exists unless --new-id,
and --dir binds the session to a workspace on this machine. delete asks first on a terminal and
needs --yes otherwise.
`;

/** Larger files are refused before parsing: a session export is text, and 50 MB is a lot of it. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

const data = { data: { type: 'string' } } as const;
const format = { format: { type: 'string' } } as const;

interface Parsed {
  values: Record<string, unknown>;
  positionals: string[];
}
type Subcommand = (store: Store, args: Parsed) => Promise<number>;

const subcommands: Record<string, { options: Parameters<typeof parseCommandArgs>[1]; run: Subcommand }> = {
  list: { options: { ...data, ...format, limit: { type: 'string' }, dir: { type: 'string' } }, run: list },
  show: { options: { ...data, ...format }, run: show },
  export: {
    options: { ...data, ...format, output: { type: 'string', short: 'o' }, 'no-events': { type: 'boolean' } },
    run: exportSession,
  },
  import: {
    options: { ...data, ...format, 'new-id': { type: 'boolean' }, dir: { type: 'string' } },
    run: importSession,
  },
  delete: { options: { ...data, yes: { type: 'boolean', short: 'y' } }, run: deleteSession },
  search: { options: { ...data, ...format, limit: { type: 'string' } }, run: search },
};

export async function sessionCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    (sub ? process.stdout : process.stderr).write(sessionHelp);
    return sub ? exitCodes.ok : exitCodes.usage;
  }
  if (sub === 'resume') return resume(rest);
  const command = subcommands[sub];
  if (!command) throw new UsageError(`unknown session command "${sub}".\n${sessionHelp}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(sessionHelp);
    return exitCodes.ok;
  }
  // Checked before the store opens: a typo never creates a data directory.
  const parsed = parseCommandArgs(rest, command.options);
  const store = await openCliStore(str(parsed.values.data));
  try {
    return await command.run(store, parsed);
  } finally {
    await store.close();
  }
}

/** `resume ID …`: the chat TUI on that session; the other flags are chat's own. */
async function resume(args: string[]): Promise<number> {
  const [id, ...rest] = args;
  if (!id || id.startsWith('-')) throw new UsageError(`a session id is required.\n${sessionHelp}`);
  const { chatCommand } = await import('./chat.ts');
  return chatCommand(['--session', id, ...rest]);
}

async function list(store: Store, { values }: Parsed): Promise<number> {
  const out = oneOf(str(values.format), ['text', 'json'] as const, '--format', 'text');
  const limit = positiveInt(str(values.limit), '--limit') ?? 50;
  const dir = str(values.dir);
  const sessions = await store.listSessions({
    limit,
    ...(dir ? { directory: await workspacePath(dir) } : {}),
  });
  if (out === 'json') return printJson(sessions);
  if (sessions.length === 0) {
    const where = dir ? ` in ${await workspacePath(dir)}` : '';
    process.stdout.write(`No sessions${where} yet. Start one with: aura chat --dir ./project\n`);
    return exitCodes.ok;
  }
  for (const s of sessions) process.stdout.write(`${sessionLine(s)}  ${sanitizeForTerminal(s.directory)}\n`);
  return exitCodes.ok;
}

async function show(store: Store, { values, positionals }: Parsed): Promise<number> {
  const out = oneOf(str(values.format), ['text', 'json'] as const, '--format', 'text');
  const session = await requireSession(store, positionals[0]);
  const messages = await store.listMessages(session.id);
  if (out === 'json') return printJson(sessionDocumentOf(session, messages));
  process.stdout.write(sanitizeForTerminal(toMarkdown(session, messages)));
  return exitCodes.ok;
}

async function exportSession(store: Store, { values, positionals }: Parsed): Promise<number> {
  const out = oneOf(str(values.format), ['json', 'md'] as const, '--format', 'json');
  const session = await requireSession(store, positionals[0]);
  let body: string;
  let count: number;
  if (out === 'md') {
    const messages = await store.listMessages(session.id);
    body = toMarkdown(session, messages);
    count = messages.length;
  } else {
    const doc = await exportSessionDocument(store, session.id, { events: values['no-events'] !== true });
    if (!doc) throw new UsageError(`session ${session.id} was deleted while it was being exported`);
    body = `${JSON.stringify(doc, null, 2)}\n`;
    count = doc.messages.length;
  }
  const output = str(values.output);
  if (!output) {
    process.stdout.write(body);
    return exitCodes.ok;
  }
  // Tool outputs can hold anything the agent read: the file is for its owner only.
  await writeFile(output, body, { mode: 0o600 });
  process.stderr.write(`Exported session ${session.id} (${count} messages) to ${output}\n`);
  return exitCodes.ok;
}

async function importSession(store: Store, { values, positionals }: Parsed): Promise<number> {
  const out = oneOf(str(values.format), ['text', 'json'] as const, '--format', 'text');
  const source = positionals[0];
  if (!source) throw new UsageError(`a file to import is required (- reads standard input).\n${sessionHelp}`);
  const label = source === '-' ? 'standard input' : source;
  const doc = parseDocument(await readCapped(source), label);
  const dir = str(values.dir);
  let imported: SessionInfo;
  try {
    const input = importInputFrom(doc, {
      newIds: values['new-id'] === true,
      ...(dir ? { directory: await workspacePath(dir) } : {}),
    });
    imported = await store.importSession(input);
  } catch (error) {
    throw importError(error, label);
  }
  if (out === 'json') return printJson(imported);
  const title = imported.title ? ` "${sanitizeForTerminal(imported.title)}"` : '';
  process.stdout.write(
    `Imported session ${imported.id}${title} (${doc.messages.length} messages) for ${sanitizeForTerminal(imported.directory)}.\n` +
      `Continue it with: aura session resume ${imported.id}\n`,
  );
  return exitCodes.ok;
}

async function deleteSession(store: Store, { values, positionals }: Parsed): Promise<number> {
  const session = await requireSession(store, positionals[0]);
  if (values.yes !== true) {
    if (!process.stdin.isTTY) {
      throw new UsageError(
        `not deleting session ${session.id}: there is no terminal to confirm on. Pass --yes to delete it.`,
      );
    }
    const question = `Delete session ${sessionLine(session)} with all its messages and events? [y/N] `;
    if (!(await confirm(question))) {
      process.stderr.write('Nothing deleted.\n');
      return exitCodes.ok;
    }
  }
  const deleted = await store.deleteSession(session.id);
  if (!deleted) throw new UsageError(`session ${session.id} not found (already deleted?)`);
  process.stdout.write(`Deleted session ${session.id}.\n`);
  return exitCodes.ok;
}

async function search(store: Store, { values, positionals }: Parsed): Promise<number> {
  const out = oneOf(str(values.format), ['text', 'json'] as const, '--format', 'text');
  const query = positionals.join(' ').trim();
  if (!query) throw new UsageError(`a search query is required.\n${sessionHelp}`);
  const hits = await store.searchSessionHits(query, {
    limit: positiveInt(str(values.limit), '--limit') ?? 20,
  });
  if (out === 'json') return printJson(hits);
  if (hits.length === 0) {
    process.stdout.write(`No session title or message contains "${sanitizeForTerminal(query)}".\n`);
    return exitCodes.ok;
  }
  for (const hit of hits) {
    process.stdout.write(`${sessionLine(hit.session)}\n`);
    if (hit.snippet) process.stdout.write(`    ${sanitizeForTerminal(hit.snippet)}\n`);
  }
  return exitCodes.ok;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function printJson(value: unknown): number {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  return exitCodes.ok;
}

function sessionLine(s: SessionInfo): string {
  const when = new Date(s.updatedAt).toISOString().replace('T', ' ').slice(0, 16);
  return `${s.id}  ${when}  ${sanitizeForTerminal(s.title ?? '(untitled)')}`;
}

async function requireSession(store: Store, id: string | undefined): Promise<SessionInfo> {
  if (!id) throw new UsageError(`a session id is required.\n${sessionHelp}`);
  const session = await store.getSession(id);
  if (!session) throw new UsageError(`session ${id} not found (see aura session list)`);
  return session;
}

/** Sessions store the workspace's real path; a directory that is gone is compared as given. */
async function workspacePath(dir: string): Promise<string> {
  const absolute = resolve(dir);
  return realpath(absolute).catch(() => absolute);
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } catch {
    return false;
  } finally {
    rl.close();
  }
}

/** The whole file or standard input, refusing more than MAX_IMPORT_BYTES without reading it all. */
async function readCapped(source: string): Promise<string> {
  const label = source === '-' ? 'standard input' : source;
  const stream: Readable = source === '-' ? process.stdin : createReadStream(source);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buffer.length;
      if (size > MAX_IMPORT_BYTES) {
        throw new UsageError(
          `${label} is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB, the most a session import reads`,
        );
      }
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code;
    throw new UsageError(`cannot read ${label}: ${why ?? (error as Error).message}`);
  } finally {
    if (source !== '-') stream.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseDocument(text: string, label: string): SessionDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${label} is not JSON: ${(error as Error).message}`);
  }
  try {
    return parseSessionDocument(value);
  } catch (error) {
    if (error instanceof SessionDocumentError) throw new UsageError(`${label}: ${error.message}`);
    throw error;
  }
}

function importError(error: unknown, label: string): unknown {
  if (error instanceof ConflictError && error.entity === 'Session') {
    return new UsageError(
      `session ${error.id} already exists. Import a copy under a new id with --new-id, or delete it first.`,
    );
  }
  if (error instanceof ConflictError) {
    return new UsageError(`${label}: ${error.message} in another session. Import it with --new-id.`);
  }
  if (error instanceof SessionDocumentError || error instanceof InvalidInputError) {
    return new UsageError(`${label}: ${error.message}`);
  }
  return error;
}

export function toMarkdown(session: SessionInfo, messages: Message[]): string {
  const lines = [
    `# ${session.title ?? 'Untitled session'}`,
    '',
    `- id: ${session.id}`,
    `- directory: ${session.directory}`,
    `- model: ${session.model ?? 'unknown'}`,
    `- created: ${new Date(session.createdAt).toISOString()}`,
    `- ${formatUsage(session.usage)}`,
    '',
  ];
  for (const message of messages) {
    lines.push(
      `## ${message.role === 'user' ? 'User' : `Assistant${message.model ? ` (${message.model})` : ''}`}`,
      '',
    );
    for (const part of message.parts) {
      if (part.type === 'text') lines.push(part.text, '');
      else if (part.type === 'tool') {
        lines.push(`**${part.tool}** \`${JSON.stringify(part.input)}\` — ${part.state}`, '');
        if (part.output)
          lines.push(
            '```',
            part.output.length > 2000 ? `${part.output.slice(0, 2000)}\n…` : part.output,
            '```',
            '',
          );
      } else if (part.type === 'file') lines.push(`(attachment: ${part.filename ?? part.mediaType})`, '');
    }
  }
  return `${lines.join('\n')}\n`;
}
