import type { AuraConfig, EventBus, Sandbox, Store } from '@aura/engine';
import type { SessionInfo } from '@aura/protocol';
import type { Auth } from './auth/better-auth.ts';
import type { ServerOptions } from './config.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { PreviewService } from './preview/service.ts';
import type { RunManager } from './runs/manager.ts';
import type { SandboxPool } from './sandboxes.ts';
import type { RateLimiter } from './security/rate-limit.ts';
import type { SecretBox } from './security/secret-box.ts';
import type { TerminalManager } from './terminals/manager.ts';

/** Everything a route needs, built once at start-up (see start.ts) and injected into the app. */
export interface ServerContext {
  options: ServerOptions;
  store: Store;
  bus: EventBus;
  auth: Auth;
  runs: RunManager;
  secrets: SecretBox;
  logger: Logger;
  metrics: Metrics;
  limits: { runStarts: RateLimiter; authAttempts: RateLimiter };
  sandboxFor(session: Pick<SessionInfo, 'directory'>): Sandbox;
  /** Every project's sandbox: network switch, release, idle reaping (sandboxes.ts). */
  sandboxes: SandboxPool;
  /** A user's engine config (operator defaults + their keys): what their runs use. */
  configFor(userId: string): Promise<AuraConfig>;
  /** The environment the server was started with (provider keys, base URLs). */
  env: NodeJS.ProcessEnv;
  /** Origins allowed to use the session cookie: the base URL's and AURA_TRUSTED_ORIGINS. */
  allowedOrigins: ReadonlySet<string>;
  /** Dev servers and the preview proxy (preview/). */
  preview: PreviewService;
  /** PTY terminals opened over the WebSocket (terminals/manager.ts). */
  terminals: TerminalManager;
}

/** Per-request values set by middleware. */
export type AppEnv = {
  Variables: {
    requestId: string;
    userId: string;
    authVia: 'cookie' | 'token';
    /** The personal API token the request came with, when authVia is 'token'. */
    tokenId?: string;
  };
};
