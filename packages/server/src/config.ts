import { join } from 'node:path';
import { type AuraConfig, dataDir } from '@aura/engine';
import { DEFAULT_WEB_DIR } from './http/web-app.ts';

export interface ServerOptions {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** Public origin of the IDE, e.g. http://localhost:3000 (cookies, OAuth callbacks, CSRF). */
  baseUrl: string;
  /** Set from AURA_BASE_URL: otherwise the base URL follows the port actually bound (`--port 0`). */
  baseUrlFixed: boolean;
  /** Extra origins allowed to call the API with cookies. */
  trustedOrigins: string[];
  allowScriptedModels: boolean;
  /**
   * Whether users may point provider base URLs at loopback / private addresses (Ollama on this
   * machine). On by default when the server itself only listens on loopback (a personal
   * server); off for a server bound to a public interface, where it would let users make the
   * server call internal hosts. AURA_ALLOW_PRIVATE_PROVIDER_URLS=1|0 decides explicitly.
   */
  allowPrivateProviderUrls: boolean;
  secretKey?: string;
  oauth: {
    github?: { clientId: string; clientSecret: string };
    google?: { clientId: string; clientSecret: string };
  };
  limits: {
    /** Run starts per user per minute. */
    runStartsPerMinute: number;
    /** Sign-in / sign-up attempts per client address per minute. */
    authAttemptsPerMinute: number;
    /** Largest JSON body accepted, in bytes. */
    maxBodyBytes: number;
  };
  logLevel: string;
  /** How long the app builder's VERIFYING waits for runtime errors from an open preview. */
  buildVerifySettleMs: number;
  /** A project's sandbox (and dev server) unused this long is stopped; 0 never stops one. */
  sandboxIdleMs: number;
  /** The built web IDE (AURA_WEB_DIR, default packages/web/dist). */
  webDir: string;
  preview: {
    /**
     * Previews are served on `p-<project>.<domain>` (AURA_PREVIEW_DOMAIN, default `localhost`,
     * which browsers resolve to this machine), with the IDE's scheme and port.
     */
    domain: string;
    /** AURA_PREVIEW_PUBLIC=1: previews need no token (anyone with the URL sees the app). */
    public: boolean;
  };
}

/** Flags win over the environment, which wins over the `server:` section of the config file. */
export function serverOptionsFrom(
  flags: { port?: number; host?: string; data?: string },
  env: NodeJS.ProcessEnv = process.env,
  file: AuraConfig['server'] = {},
): ServerOptions {
  const envPort = env.AURA_PORT ?? env.PORT;
  const port = flags.port ?? (envPort !== undefined ? Number(envPort) : (file.port ?? 3000));
  const host = flags.host ?? env.AURA_HOST ?? file.host ?? '127.0.0.1';
  const baseUrl = env.AURA_BASE_URL ?? file.baseUrl;
  const oauth: ServerOptions['oauth'] = {};
  if (env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET) {
    oauth.github = { clientId: env.GITHUB_CLIENT_ID, clientSecret: env.GITHUB_CLIENT_SECRET };
  }
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET) {
    oauth.google = { clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET };
  }
  return {
    port,
    host,
    dataDir: dataDir(flags.data, env),
    databaseUrl: env.DATABASE_URL || undefined,
    baseUrl: baseUrl ?? baseUrlFor(host, port),
    baseUrlFixed: Boolean(baseUrl),
    trustedOrigins: (env.AURA_TRUSTED_ORIGINS ?? file.trustedOrigins?.join(',') ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    allowScriptedModels: env.AURA_ALLOW_SCRIPTED_MODELS === '1',
    allowPrivateProviderUrls:
      env.AURA_ALLOW_PRIVATE_PROVIDER_URLS !== undefined
        ? env.AURA_ALLOW_PRIVATE_PROVIDER_URLS === '1'
        : ['127.0.0.1', 'localhost', '::1'].includes(host),
    secretKey: env.AURA_SECRET_KEY || undefined,
    oauth,
    limits: {
      runStartsPerMinute: Number(env.AURA_RUN_STARTS_PER_MINUTE ?? 30),
      authAttemptsPerMinute: Number(env.AURA_AUTH_ATTEMPTS_PER_MINUTE ?? 20),
      maxBodyBytes: Number(env.AURA_MAX_BODY_BYTES ?? 2 * 1024 * 1024),
    },
    logLevel: env.AURA_LOG_LEVEL ?? 'info',
    buildVerifySettleMs: Number(env.AURA_BUILD_VERIFY_SETTLE_MS ?? 2_000),
    sandboxIdleMs: minutesToMs(env.AURA_SANDBOX_IDLE_MINUTES, 30),
    webDir: env.AURA_WEB_DIR ?? DEFAULT_WEB_DIR,
    preview: {
      domain: (env.AURA_PREVIEW_DOMAIN ?? 'localhost')
        .trim()
        .toLowerCase()
        .replace(/^\.+|\.+$/g, ''),
      public: env.AURA_PREVIEW_PUBLIC === '1',
    },
  };
}

/** Origins allowed to use the session cookie (CSRF checks on writes and WebSocket upgrades). */
export function allowedOrigins(options: Pick<ServerOptions, 'baseUrl' | 'trustedOrigins'>): Set<string> {
  return new Set([new URL(options.baseUrl).origin, ...options.trustedOrigins]);
}

/** The origin a browser on this machine uses to reach a server listening on host:port. */
export function baseUrlFor(host: string, port: number): string {
  const publicHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${port}`;
}

export const workspacesDir = (options: ServerOptions) => join(options.dataDir, 'workspaces');
/** Each project's checkpoint repository, outside its workspace so the agent cannot rewrite it. */
export const checkpointGitDir = (options: Pick<ServerOptions, 'dataDir'>, projectId: string) =>
  join(options.dataDir, 'checkpoints', `${projectId}.git`);
export const serverKeyFile = (options: ServerOptions) => join(options.dataDir, 'server.key');

/** A number of minutes from the environment; rejects what is not a non-negative number. */
function minutesToMs(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback * 60_000;
  const minutes = Number(value);
  if (!Number.isFinite(minutes) || minutes < 0)
    throw new Error(`AURA_SANDBOX_IDLE_MINUTES must be a number of minutes (0 disables), got "${value}".`);
  return Math.round(minutes * 60_000);
}
