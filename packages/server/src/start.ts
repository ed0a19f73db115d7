import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AuraConfig,
  EventBus,
  openStore,
  sandboxAvailability,
  sandboxDriverFromEnv,
  sqliteFile,
} from '@aura/engine';
import { getRequestListener } from '@hono/node-server';
import { createApp } from './app.ts';
import { createAuth, migrateAuth } from './auth/better-auth.ts';
import { allowedOrigins, baseUrlFor, checkpointGitDir, type ServerOptions, serverKeyFile } from './config.ts';
import type { ServerContext } from './context.ts';
import { createLogger, type Logger } from './logger.ts';
import { Metrics } from './metrics.ts';
import { PreviewService } from './preview/service.ts';
import { thumbnailerFor } from './preview/thumbnailer.ts';
import { providerConfigFor } from './providers/user-config.ts';
import { serverBuildHooks } from './runs/build-hooks.ts';
import { RunManager } from './runs/manager.ts';
import { SandboxPool } from './sandboxes.ts';
import { RateLimiter } from './security/rate-limit.ts';
import { loadServerKey, SecretBox } from './security/secret-box.ts';
import { attachWebSocket } from './stream/ws.ts';
import { TerminalManager } from './terminals/manager.ts';

export interface RunningServer {
  url: string;
  port: number;
  context: ServerContext;
  close(): Promise<void>;
}

export interface StartOptions {
  options: ServerOptions;
  /** The operator's config file (providers, permissions, pricing): the base of every user's run config. */
  config?: AuraConfig;
  /** PostgreSQL schema (tests). */
  schema?: string;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
}

/** Opens the database, migrates, wires the engine for many users and listens. */
export async function startServer({
  options: given,
  config = {},
  schema,
  logger: givenLogger,
  env = process.env,
}: StartOptions): Promise<RunningServer> {
  const logger = givenLogger ?? createLogger(given.logLevel);
  // Listen first so `--port 0` knows its port (cookies, OAuth callbacks and the origin check
  // need the real base URL); requests that arrive during start-up get a 503.
  let handle: RequestListener = (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(
      JSON.stringify({
        error: { code: 'starting', message: 'The server is starting; try again in a moment.' },
      }),
    );
  };
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(given.port, given.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const options: ServerOptions = given.baseUrlFixed
    ? { ...given, port }
    : { ...given, port, baseUrl: baseUrlFor(given.host, port) };
  try {
    return await wire(server, options, config, schema, logger, env, (listener) => {
      handle = listener;
    });
  } catch (error) {
    server.close();
    throw error;
  }
}

async function wire(
  server: Server,
  options: ServerOptions,
  config: AuraConfig,
  schema: string | undefined,
  logger: Logger,
  env: NodeJS.ProcessEnv,
  serve: (listener: RequestListener) => void,
): Promise<RunningServer> {
  const { port } = server.address() as AddressInfo;
  const store = options.databaseUrl
    ? await openStore({ databaseUrl: options.databaseUrl, schema })
    : await openStore({ sqlitePath: sqliteFile(options.dataDir) });
  const key = await loadServerKey(serverKeyFile(options), options.secretKey);
  const secrets = new SecretBox(key);
  const auth = createAuth(store, options, key.toString('base64url'));
  await migrateAuth(auth);

  const bus = new EventBus();
  const metrics = new Metrics();
  // AURA_SANDBOX: bwrap (default), docker, or unisolated (commands run as the server user).
  const { driver } = sandboxDriverFromEnv(env.AURA_SANDBOX);
  if (driver === 'bwrap') {
    const availability = await sandboxAvailability();
    if (availability.bwrap.available) {
      const { user, network } = availability.bwrap;
      logger.info({ driver, user, privateNetwork: network.private }, 'commands run in bubblewrap sandboxes');
      if (!network.private)
        logger.warn(
          { reason: network.reason },
          "sandboxes share the host's network: their commands can reach services on the host's loopback (install passt and socat and run the server as root to give each its own)",
        );
    } else logger.warn({ driver, reason: availability.bwrap.reason }, availability.bwrap.message);
  } else if (driver === 'local') {
    logger.warn({ driver }, 'AURA_SANDBOX=unisolated: commands run on the host as the server user');
  }
  const sandboxes = new SandboxPool({
    driver,
    logger,
    idleMs: options.sandboxIdleMs,
    networkOff: await store.networkOffWorkspaces(),
  });
  const sandboxFor = (session: { directory: string }) => sandboxes.sandboxFor(session);
  // The builder's hooks need the preview service, which is created below with the runs.
  let preview: PreviewService | undefined;
  const configFor = (userId: string) => providerConfigFor(store, secrets, userId, config);
  const runs = new RunManager({
    store,
    bus,
    allowScriptedModels: options.allowScriptedModels,
    env,
    configFor,
    sandboxFor,
    onRunFinished: ({ status, directory }) => {
      metrics.runsFinished.inc({ status });
      sandboxes.touch(directory);
    },
    checkpointGitDir: (projectId) => checkpointGitDir(options, projectId),
    buildVerifySettleMs: options.buildVerifySettleMs,
    buildHooksFor: (session) => {
      if (!preview) throw new Error('The preview service is not ready.');
      return serverBuildHooks({ store, preview, options }, session);
    },
  });
  metrics.activeRuns = () => runs.activeCount;
  const terminals = new TerminalManager({ sandboxFor, logger });
  const thumbnails = thumbnailerFor(options, { store, logger, self: { host: options.host, port } });
  preview = new PreviewService({ store, bus, options, logger, sandboxFor, serverKey: key, thumbnails });
  const previews = preview;
  sandboxes.onRelease((workspace) => previews.release(workspace));
  sandboxes.onRelease(async (workspace) => terminals.closeWorkspace(workspace));
  sandboxes.busyWhen((workspace) => runs.activeIn(workspace) || terminals.openIn(workspace));

  const context: ServerContext = {
    options,
    store,
    bus,
    auth,
    runs,
    secrets,
    logger,
    metrics,
    limits: {
      runStarts: new RateLimiter(options.limits.runStartsPerMinute, 60_000),
      authAttempts: new RateLimiter(options.limits.authAttemptsPerMinute, 60_000),
    },
    sandboxFor,
    sandboxes,
    configFor,
    env,
    allowedOrigins: allowedOrigins(options),
    terminals,
    preview,
  };
  bus.subscribe('*', (event) => {
    if (event.type === 'usage') {
      metrics.tokens.inc({ direction: 'input' }, event.data.inputTokens);
      metrics.tokens.inc({ direction: 'output' }, event.data.outputTokens);
    }
  });

  const interrupted = await runs.recoverInterrupted();
  if (interrupted > 0)
    logger.warn({ sessions: interrupted }, 'marked runs interrupted by the previous shutdown');

  const app = createApp(context);
  serve(getRequestListener(app.fetch));
  const ws = attachWebSocket(server, context);
  metrics.wsConnections = () => ws.connections;
  // Where API clients connect; people open the IDE at the base URL.
  const listenHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const url = `http://${listenHost.includes(':') ? `[${listenHost}]` : listenHost}:${port}`;
  logger.info(
    { ide: options.baseUrl, url, database: store.dialect, dataDir: options.dataDir },
    'aura server listening',
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    context,
    close() {
      closing ??= (async () => {
        await ws.close();
        await terminals.dispose();
        await preview.close();
        await runs.shutdown();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Streams (SSE, keep-alive) would hold close() open forever.
        server.closeAllConnections();
        await closed;
        await sandboxes.close();
        await store.close();
      })();
      return closing;
    },
  };
}
