import type { EventBus, Sandbox, Store } from '@aura/engine';
import type { SessionInfo } from '@aura/protocol';
import type { Auth } from './auth/better-auth.ts';
import type { ServerOptions } from './config.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { PreviewService } from './preview/service.ts';
import type { RunManager } from './runs/manager.ts';
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
  };
};
