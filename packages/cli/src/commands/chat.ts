import { homedir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { oneOf, parseCommandArgs, positiveInt } from '../args.ts';
import { type ChatBackend, ChatError } from '../chat/backend.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { colorEnabled } from '../tui/theme.ts';

const options = {
  dir: { type: 'string' },
  model: { type: 'string', short: 'm' },
  continue: { type: 'boolean', short: 'c' },
  session: { type: 'string', short: 's' },
  server: { type: 'string' },
  project: { type: 'string' },
  sandbox: { type: 'string' },
  data: { type: 'string' },
  'max-steps': { type: 'string' },
} as const;

export const chatHelp = `Usage: aura chat [--dir DIR] [--model P/M] [--continue | --session ID] [--sandbox local|bwrap|docker] [--data DIR] [--max-steps N]
       aura chat --server URL [--project P] [--model P/M] [--continue | --session ID]

An interactive chat with the agent in the terminal: answers stream as they are written, tool calls
and edits are shown as they happen, and you approve what the agent asks to do.

  --dir DIR          workspace the agent works in (default: the current directory)
  --model, -m P/M    provider/model, e.g. anthropic/claude-sonnet-4-5, or script:<file.json>
  --continue, -c     continue the most recent session in this workspace (or project)
  --session, -s ID   continue a session by id (see aura session list)
  --sandbox KIND     where commands run: local (default), bwrap or docker
  --data DIR         where sessions are stored (default $XDG_DATA_HOME/aura)
  --max-steps N      stop a turn after N model steps
  --server URL       drive a session on an Aura server (log in first: aura auth login --server URL);
                     the web IDE shows the same session live
  --project P        the server project (an id or a name; default: the one named after the
                     current directory, created if missing)

Inside: Enter sends, Alt+Enter or Ctrl+J adds a line, /help lists commands and keys,
Ctrl-C cancels a run (twice on an empty prompt exits). For scripts and pipes use aura run.
`;

/** Delivers backend notices to the screen once it is up, and holds the ones that come before. */
function noticeChannel() {
  const early: string[] = [];
  let listener: ((message: string) => void) | undefined;
  return {
    push(message: string) {
      if (listener) listener(message);
      else early.push(message);
    },
    subscribe(next: (message: string) => void) {
      listener = next;
      for (const message of early.splice(0)) next(message);
      return () => {
        listener = undefined;
      };
    },
  };
}

export async function chatCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(chatHelp);
    return exitCodes.ok;
  }
  const { values, positionals } = parseCommandArgs(args, options);
  if (positionals.length)
    throw new UsageError(
      `aura chat takes no prompt argument (got "${positionals.join(' ')}"): type it inside.`,
    );
  if (values.continue && values.session) throw new UsageError('use either --continue or --session, not both');
  if (values.server && (values.sandbox || values.data || values['max-steps']))
    throw new UsageError('--sandbox, --data and --max-steps are for local sessions; a server has its own');
  if (values.project && !values.server) throw new UsageError('--project needs --server URL');
  const sandbox = oneOf(values.sandbox, ['local', 'bwrap', 'docker'] as const, '--sandbox', 'local');
  const maxSteps = positiveInt(values['max-steps'], '--max-steps');
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError(
      'aura chat needs an interactive terminal. For scripts and pipes, use aura run "PROMPT" (see aura run --help).',
    );
  }

  // V8 grows the young generation to 64 MB while the modules load, and keeps it. A chat allocates
  // little at a time: held at its first size, it saves about 20 MB of resident memory for
  // scavenges that stay well under a millisecond (bench/tui.ts, docs/tui.md).
  setFlagsFromString('--semi-space-growth-factor=1');

  const color = colorEnabled(process.env);
  // Chalk (under Ink) decides on colour when it is first imported. The screen's modules load
  // while the backend opens, which takes about as long.
  if (!color) process.env.FORCE_COLOR = '0';
  const screen = Promise.all([import('../tui/start.ts'), import('../tui/mentions.ts')]);
  screen.catch(() => {});

  const notices = noticeChannel();
  const common = {
    ...(values.dir ? { dir: values.dir } : {}),
    ...(values.model ? { model: values.model } : {}),
    ...(values.session ? { sessionId: values.session } : {}),
    ...(values.continue ? { continueLast: true } : {}),
    onNotice: notices.push,
  };
  let backend: ChatBackend;
  try {
    if (values.server) {
      const { openRemoteChat } = await import('../chat/remote.ts');
      backend = await openRemoteChat({
        server: values.server,
        ...(values.project ? { project: values.project } : {}),
        ...common,
      });
    } else {
      const { openLocalChat } = await import('../chat/local.ts');
      backend = await openLocalChat({
        ...(values.data ? { dataDir: values.data } : {}),
        ...(maxSteps ? { maxSteps } : {}),
        sandbox,
        ...common,
      });
    }
  } catch (error) {
    if (error instanceof ChatError) throw new UsageError(error.message);
    throw error;
  }

  try {
    const [{ runChatTui }, { readWorkspaceFile }] = await screen;
    await runChatTui({
      backend,
      color,
      cwd: process.cwd(),
      home: homedir(),
      subscribeNotices: notices.subscribe,
      ...(backend.kind === 'local'
        ? {
            readMention: (path: string, limit: number) =>
              readWorkspaceFile(backend.session().directory, path, limit),
          }
        : {}),
    });
  } finally {
    await backend.close();
  }
  // A session nothing was sent in was never stored: there is nothing to come back to.
  const { id, lastSeq } = backend.session();
  if (lastSeq > 0) {
    const server = values.server ? ` --server ${values.server}` : '';
    process.stdout.write(`session saved · continue: aura chat${server} --session ${id}\n`);
  }
  return exitCodes.ok;
}
