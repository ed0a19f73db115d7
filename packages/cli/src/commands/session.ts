import type { Store } from '@aura/engine';
import type { Message, SessionInfo } from '@aura/protocol';
import { oneOf, parseCommandArgs, positiveInt } from '../args.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { formatUsage } from '../render-text.ts';
import { openCliStore } from '../store.ts';

const sessionHelp = `Usage:
  aura session list [--limit N] [--format text|json]
  aura session show ID
  aura session export ID [--format json|md]
`;

export async function sessionCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h') {
    process.stdout.write(sessionHelp);
    return sub ? exitCodes.ok : exitCodes.usage;
  }
  const { values, positionals } = parseCommandArgs(rest, {
    format: { type: 'string' },
    limit: { type: 'string' },
    data: { type: 'string' },
  });
  if (!['list', 'show', 'export'].includes(sub))
    throw new UsageError(`unknown session command "${sub}".\n${sessionHelp}`);
  const store = await openCliStore(values.data);
  try {
    if (sub === 'list') {
      const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
      return await listSessions(store, positiveInt(values.limit, '--limit') ?? 50, format);
    }
    const id = positionals[0];
    if (!id) throw new UsageError(`a session id is required.\n${sessionHelp}`);
    const session = await store.getSession(id);
    if (!session) throw new UsageError(`session ${id} not found (see aura session list)`);
    const messages = await store.listMessages(id, { limit: 100_000 });
    if (sub === 'show') {
      process.stdout.write(toMarkdown(session, messages));
      return exitCodes.ok;
    }
    const format = oneOf(values.format, ['json', 'md'] as const, '--format', 'json');
    process.stdout.write(
      format === 'md' ? toMarkdown(session, messages) : `${JSON.stringify({ session, messages }, null, 2)}\n`,
    );
    return exitCodes.ok;
  } finally {
    await store.close();
  }
}

async function listSessions(store: Store, limit: number, format: 'text' | 'json'): Promise<number> {
  const sessions = await store.listSessions({ limit });
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(sessions, null, 2)}\n`);
    return exitCodes.ok;
  }
  if (sessions.length === 0) {
    process.stdout.write('No sessions yet. Start one with: aura run "your request" --dir ./project\n');
    return exitCodes.ok;
  }
  for (const s of sessions) {
    const when = new Date(s.updatedAt).toISOString().replace('T', ' ').slice(0, 16);
    process.stdout.write(`${s.id}  ${when}  ${s.title ?? '(untitled)'}  ${s.directory}\n`);
  }
  return exitCodes.ok;
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
