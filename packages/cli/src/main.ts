import { exitCodes, UsageError } from './errors.ts';
import { mainHelp } from './help.ts';

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.ts')).runCommand,
  models: async () => (await import('./commands/models.ts')).modelsCommand,
  session: async () => (await import('./commands/session.ts')).sessionCommand,
  serve: async () => (await import('./commands/serve.ts')).serveCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
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
  try {
    const command = await load();
    return await command(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`aura: ${error.message}\n`);
      return exitCodes.usage;
    }
    process.stderr.write(`aura: ${error instanceof Error ? error.message : String(error)}\n`);
    return exitCodes.agentError;
  }
}
