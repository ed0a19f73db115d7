import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SessionInfo } from '@aura/protocol';
import type { ChatBackend } from '../chat/backend.ts';
import { formatUsage } from '../render-text.ts';
import type { PickerItem } from './picker.ts';
import type { NoteTone } from './transcript.ts';

/** What a slash command can do to the chat screen. */
export interface CommandContext {
  backend: ChatBackend;
  /** A run is in progress. */
  busy: boolean;
  note(tone: NoteTone, text: string): void;
  pick(title: string, items: PickerItem[], onPick: (value: string) => Promise<void>): void;
  exit(): void;
  /** Where /export writes when no file is named. */
  cwd: string;
}

export interface SlashCommand {
  name: string;
  args: string;
  description: string;
  /** Refused while a run is in progress (it would change the session under it). */
  idleOnly?: boolean;
  run(ctx: CommandContext, args: string[]): Promise<void>;
}

/** Keys, short enough that /help fits an 80×24 terminal with the commands. */
export const keyHelp = [
  'Enter send · Alt+Enter, Ctrl+J or \\ then Enter: new line · Esc closes a list',
  '↑ ↓ lines, then history · Ctrl+← → words · Ctrl+A / Ctrl+E line start / end',
  'Ctrl+U / Ctrl+K / Ctrl+W delete to line start / to line end / the word before',
  '@path attach a workspace file (Tab completes) · !command run a shell command',
  'Ctrl+C cancel the run, or clear the prompt; twice to exit · Ctrl+D exit',
];

function sessionLabel(s: SessionInfo): string {
  const when = new Date(s.updatedAt).toISOString().replace('T', ' ').slice(0, 16);
  return `${s.id.slice(-8)}  ${when}  ${s.title ?? '(untitled)'}`;
}

async function switchModel(ctx: CommandContext, model: string): Promise<void> {
  await ctx.backend.setModel(model);
  ctx.note('info', `model: ${model} (from the next turn)`);
}

/** The screen prints the session it switched to, with a heading: nothing to say here. */
async function openSession(ctx: CommandContext, id: string): Promise<void> {
  await ctx.backend.openSession(id);
}

async function exportTranscript(ctx: CommandContext, args: string[]): Promise<void> {
  const format = args[0] === 'json' || args[0] === 'md' ? args[0] : 'md';
  const fileArg = args[0] === format ? args[1] : args[0];
  const session = ctx.backend.session();
  const file = resolve(ctx.cwd, fileArg ?? `aura-session-${session.id}.${format}`);
  const messages = await ctx.backend.messages();
  // Loaded on demand: the formats are those of `aura session export`, so `aura session import` reads them.
  const body =
    format === 'md'
      ? (await import('../commands/session.ts')).toMarkdown(session, messages)
      : `${JSON.stringify((await import('@aura/engine')).sessionDocumentOf(session, messages), null, 2)}\n`;
  try {
    await writeFile(file, body, { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' ? 'it already exists (name another file)' : (code ?? String(error));
    ctx.note('error', `could not write ${file}: ${why}`);
    return;
  }
  ctx.note('success', `exported ${messages.length} messages to ${file}`);
}

export const slashCommands: SlashCommand[] = [
  {
    name: 'model',
    args: '[provider/model]',
    description: 'switch the model (none given: pick from a list)',
    idleOnly: true,
    async run(ctx, [model]) {
      if (model) return switchModel(ctx, model);
      const models = await ctx.backend.models();
      const current = ctx.backend.session().model;
      ctx.pick(
        'model',
        models.map((m) => ({ label: m === current ? `${m}  (current)` : m, value: m })),
        (m) => switchModel(ctx, m),
      );
    },
  },
  {
    name: 'session',
    args: '[id]',
    description: 'continue another session (none given: pick one)',
    idleOnly: true,
    async run(ctx, [id]) {
      if (id) return openSession(ctx, id);
      const current = ctx.backend.session().id;
      const sessions = (await ctx.backend.listSessions(20)).filter((s) => s.id !== current);
      if (sessions.length === 0) return ctx.note('info', 'no other sessions here yet.');
      ctx.pick(
        'session',
        sessions.map((s) => ({ label: sessionLabel(s), value: s.id })),
        (chosen) => openSession(ctx, chosen),
      );
    },
  },
  {
    name: 'undo',
    args: '',
    description: 'undo the file changes of the last turn',
    idleOnly: true,
    async run(ctx) {
      ctx.note('info', await ctx.backend.undo());
    },
  },
  {
    name: 'clear',
    args: '',
    description: 'start a new session here',
    idleOnly: true,
    async run(ctx) {
      await ctx.backend.newSession();
    },
  },
  {
    name: 'compact',
    args: '',
    description: 'shrink what the model is sent (old tool outputs)',
    idleOnly: true,
    async run(ctx) {
      ctx.note('info', await ctx.backend.compact());
    },
  },
  {
    name: 'cost',
    args: '',
    description: "this session's tokens and cost",
    async run(ctx) {
      const usage = await ctx.backend.usage();
      const extra = [
        usage.cachedInputTokens ? `${usage.cachedInputTokens} cached` : '',
        usage.reasoningTokens ? `${usage.reasoningTokens} reasoning` : '',
      ].filter(Boolean);
      const extras = extra.length ? ` (${extra.join(', ')})` : '';
      ctx.note(
        'info',
        `${formatUsage(usage)}${extras} · ${usage.steps} model step${usage.steps === 1 ? '' : 's'}`,
      );
    },
  },
  {
    name: 'export',
    args: '[md|json] [file]',
    description: 'save the transcript (default ./aura-session-<id>.md)',
    run: exportTranscript,
  },
  {
    name: 'help',
    args: '',
    description: 'commands and keys',
    async run(ctx) {
      const width = Math.max(...slashCommands.map((c) => `/${c.name} ${c.args}`.length));
      const commands = slashCommands.map(
        (c) => `  ${`/${c.name} ${c.args}`.padEnd(width)}  ${c.description}`,
      );
      const keys = keyHelp.map((line) => `  ${line}`);
      ctx.note('info', ['Commands', ...commands, 'Keys', ...keys].join('\n'));
    },
  },
  {
    name: 'exit',
    args: '',
    description: 'leave (the session is saved)',
    async run(ctx) {
      ctx.exit();
    },
  },
];

/** Commands whose name starts with what was typed after `/`. */
export function matchingCommands(query: string): SlashCommand[] {
  return slashCommands.filter((c) => c.name.startsWith(query.toLowerCase()));
}

/** Runs `/name args…`; an unknown name or a busy session gets a hint instead. */
export async function runSlashCommand(line: string, ctx: CommandContext): Promise<void> {
  const [word = '', ...args] = line.trim().slice(1).split(/\s+/);
  const name = word.toLowerCase();
  const command =
    slashCommands.find((c) => c.name === name) ?? (name === 'quit' ? slashCommands.at(-1) : undefined);
  if (!command) {
    const near = matchingCommands(name.slice(0, 1)).map((c) => `/${c.name}`);
    const suggestion = near.length ? ` Did you mean ${near.join(' or ')}?` : '';
    ctx.note('warn', `unknown command /${word}.${suggestion} Type /help for the list.`);
    return;
  }
  if (command.idleOnly && ctx.busy) {
    ctx.note('warn', `/${command.name} has to wait for the run to finish (Ctrl-C cancels it).`);
    return;
  }
  await command.run(ctx, args);
}
