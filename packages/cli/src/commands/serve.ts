import { parseCommandArgs, positiveInt } from '../args.ts';
import { exitCodes, UsageError } from '../errors.ts';

const serveHelp = `Usage: aura serve [--port 3000] [--host 127.0.0.1] [--data DIR]

Starts the Aura server: REST API, WebSocket and SSE streams, accounts.
Embedded defaults: a SQLite file in the data dir, the local sandbox, no external service.
Config: the user config file (aura config path), then AURA_MODEL, AURA_MAX_STEPS,
AURA_MAX_RETRIES and AURA_WEB_FETCH_ALLOW_PRIVATE, which beat it.
Environment: DATABASE_URL (PostgreSQL), AURA_BASE_URL (public origin), AURA_SECRET_KEY,
GITHUB_CLIENT_ID/SECRET and GOOGLE_CLIENT_ID/SECRET (OAuth), AURA_ALLOW_SCRIPTED_MODELS=1
(tests and demos), AURA_LOG_LEVEL, and the provider keys of \`aura run\`.
`;

export async function serveCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(serveHelp);
    return exitCodes.ok;
  }
  const { values } = parseCommandArgs(args, {
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    data: { type: 'string' },
  });
  const port = values.port === '0' ? 0 : positiveInt(values.port, '--port');
  const { serverOptionsFrom, startServer } = await import('@aura/server');
  const { ConfigError, loadServerConfig } = await import('@aura/engine');
  const config = await loadServerConfig().catch((error: unknown) => {
    throw error instanceof ConfigError ? new UsageError(error.message) : error;
  });
  const server = await startServer({
    options: serverOptionsFrom({ port, host: values.host, data: values.data }, process.env, config.server),
    config,
  });
  process.stderr.write(
    `Aura is running: open ${server.context.options.baseUrl} in your browser  (Ctrl-C to stop)\nAPI and CLI clients: ${server.url}\n`,
  );
  if (server.context.options.allowScriptedModels) {
    process.stderr.write(
      'Scripted demo mode: `script:` models are allowed. They replay recorded sessions (demo/*.json) — they are not a model.\n',
    );
  }

  return new Promise((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) process.exit(exitCodes.cancelled);
      stopping = true;
      process.stderr.write(`\n${signal}: finishing runs and closing connections…\n`);
      await server.close();
      resolve(exitCodes.ok);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });
}
