import { exitCodes, UsageError } from './errors.ts';
import { mainHelp } from './help.ts';

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.ts')).runCommand,
  models: async () => (await import('./commands/models.ts')).modelsCommand,
  session: async () => (await import('./commands/session.ts')).sessionCommand,
  serve: async () => (await import('./commands/serve.ts')).serveCommand,
  chat: async () => (await import('./commands/chat.ts')).chatCommand,
  config: async () => (await import('./commands/config.ts')).configCommand,
  auth: async () => (await import('./commands/auth.ts')).authCommand,
  mcp: async () => (await import('./commands/mcp.ts')).mcpCommand,
};

/** Global flags may come anywhere before a `--`; the command never sees them. */
export function takeGlobalFlags(argv: string[]): { args: string[]; verbose: boolean } {
  const end = argv.indexOf('--');
  const head = end === -1 ? argv : argv.slice(0, end);
  const args = [...head.filter((arg) => arg !== '--verbose'), ...(end === -1 ? [] : argv.slice(end))];
  return { args, verbose: args.length < argv.length };
}

export interface StartupInfo {
  /** Which code runs: the prebuilt bundle, or the sources and why (bin/aura.js decides). */
  code?: string;
}

export async function main(argv: string[], startup: StartupInfo = {}): Promise<number> {
  const { args, verbose } = takeGlobalFlags(argv);
  const [name, ...rest] = args;
  if (!name) {
    process.stderr.write(mainHelp);
    return exitCodes.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp);
    return exitCodes.ok;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`aura: unknown command "${name}". Run aura --help for the list of commands.\n`);
    return exitCodes.usage;
  }
  // `aura session list | head`: a closed pipe ends the command quietly (`run` cancels its run instead).
  if (name !== 'run') {
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(exitCodes.ok);
      throw error;
    });
  }
  // The command and the logger load side by side, and only once a command is known, so `aura
  // --help` stays light. A command that fails to load is reported below, once logging is set up.
  const loading = load();
  loading.catch(() => {});
  const { log, setupLogging } = await import('./log.ts');
  setupLogging({ verbose });
  const started = performance.now();
  // Flag names only: values and arguments (prompts, tokens) stay out of the log.
  const flags = rest.filter((arg) => arg.startsWith('-')).map((arg) => arg.split('=')[0]);
  log.info({ command: name, flags, code: startup.code ?? 'sources' }, 'command start');
  let exitCode: number = exitCodes.agentError;
  try {
    const command = await loading;
    exitCode = await command(rest);
    return exitCode;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`aura: ${error.message}\n`);
      exitCode = exitCodes.usage;
      return exitCode;
    }
    log.error({ err: error, command: name }, 'command failed');
    process.stderr.write(`aura: ${error instanceof Error ? error.message : String(error)}\n`);
    return exitCode;
  } finally {
    log.info({ command: name, exitCode, durationMs: Math.round(performance.now() - started) }, 'command end');
  }
}
