import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AuraConfig, dataDir } from '@aura/engine';

/** The built web IDE (`npm run build:web`), next to this package in the repository. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

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
     * Previews are served on `p-<project>.<domain>` with the IDE's scheme and port
     * (AURA_PREVIEW_DOMAIN; unset: see previewDomainFor, derived from the base URL).
     */
    domain: string | undefined;
    /** AURA_PREVIEW_PUBLIC=1: previews need no token (anyone with the URL sees the app). */
    public: boolean;
  };
  /** Dashboard thumbnails: a screenshot of each project's preview, taken in headless Chromium. */
  thumbnails: {
    /**
     * AURA_THUMBNAILS=1|0. Default: on, except for a root server — Chromium would then run the apps'
     * code without its own sandbox, on the host — where they need AURA_THUMBNAILS=1.
     */
    enabled: boolean;
    /** AURA_CHROMIUM; unset: /usr/bin/chromium when it exists (see preview/chromium.ts). */
    chromium: string | undefined;
    /** How long the page may settle after `load` before the shot (AURA_THUMBNAIL_SETTLE_MS). */
    settleMs: number;
    /** At most one shot per project this often (dev servers restart often while an app is built). */
    intervalMs: number;
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
    sandboxIdleMs: durationFrom(env, 'AURA_SANDBOX_IDLE_MINUTES', 'minutes', 30),
    webDir: env.AURA_WEB_DIR ?? DEFAULT_WEB_DIR,
    preview: {
      domain: env.AURA_PREVIEW_DOMAIN?.trim()
        ? env.AURA_PREVIEW_DOMAIN.trim()
            .toLowerCase()
            .replace(/^\.+|\.+$/g, '')
        : undefined,
      public: env.AURA_PREVIEW_PUBLIC === '1',
    },
    thumbnails: {
      enabled: env.AURA_THUMBNAILS === '1' || (env.AURA_THUMBNAILS !== '0' && process.getuid?.() !== 0),
      chromium: env.AURA_CHROMIUM?.trim() || undefined,
      settleMs: durationFrom(env, 'AURA_THUMBNAIL_SETTLE_MS', 'milliseconds', 1_500),
      intervalMs: 10 * 60_000,
    },
  };
}

/** Origins allowed to use the session cookie (CSRF checks on writes and WebSocket upgrades). */
export function allowedOrigins(
  options: Pick<ServerOptions, 'baseUrl' | 'trustedOrigins' | 'baseUrlFixed' | 'host' | 'port'>,
): Set<string> {
  const origins = new Set([new URL(options.baseUrl).origin, ...options.trustedOrigins]);
  // The default local IDE address has loopback aliases: scripts and curl may name those.
  if (!options.baseUrlFixed && LOOPBACK_HOSTS.has(options.host)) {
    for (const alias of ['127.0.0.1', 'localhost', '[::1]']) origins.add(`http://${alias}:${options.port}`);
  }
  return origins;
}

/** The origin a browser on this machine uses to reach a server listening on host:port. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::']);

/**
 * The IDE's address when AURA_BASE_URL is not set. On this machine it is `aura.localhost` (browsers
 * resolve every `*.localhost` name to loopback): previews on `p-….aura.localhost` are then the same
 * site as the IDE, so a private preview's cookie and storage work inside the IDE's iframe. Under
 * 127.0.0.1 or bare `localhost`, every preview host would be another site.
 */
export function baseUrlFor(host: string, port: number): string {
  const publicHost = LOOPBACK_HOSTS.has(host) ? LOCAL_IDE_HOST : host;
  return `http://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${port}`;
}

export const LOCAL_IDE_HOST = 'aura.localhost';

/** Loopback names other than the IDE's own: pages asked for there are sent to the base URL. */
export function isLoopbackAlias(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.replace(/^\[|\]$/g, ''));
}

/**
 * Previews live under the IDE's own host name (`p-<project>.<host>`), the same site as the IDE.
 * An IP address cannot have sub-domains: then `localhost`.
 */
export function previewDomainFor(baseUrl: string): string {
  const { hostname } = new URL(baseUrl);
  const isAddress = /^[\d.]+$/.test(hostname) || hostname.startsWith('[');
  return isAddress ? 'localhost' : hostname;
}

/** The domain previews are served under: AURA_PREVIEW_DOMAIN, else derived from the base URL. */
export function previewDomain(options: Pick<ServerOptions, 'preview' | 'baseUrl'>): string {
  return options.preview.domain ?? previewDomainFor(options.baseUrl);
}

export const workspacesDir = (options: ServerOptions) => join(options.dataDir, 'workspaces');
/** Each project's checkpoint repository, outside its workspace so the agent cannot rewrite it. */
export const checkpointGitDir = (options: Pick<ServerOptions, 'dataDir'>, projectId: string) =>
  join(options.dataDir, 'checkpoints', `${projectId}.git`);
export const serverKeyFile = (options: ServerOptions) => join(options.dataDir, 'server.key');

/**
 * A non-negative number from the environment variable `name`, in `unit`s, returned in ms;
 * unset or blank gives `fallback` (in `unit`s).
 */
function durationFrom(
  env: NodeJS.ProcessEnv,
  name: string,
  unit: 'minutes' | 'milliseconds',
  fallback: number,
): number {
  const value = env[name];
  const amount = value === undefined || value.trim() === '' ? fallback : Number(value);
  if (!Number.isFinite(amount) || amount < 0)
    throw new Error(`${name} must be a number of ${unit} (0 or more), got "${value}".`);
  return Math.round(unit === 'minutes' ? amount * 60_000 : amount);
}
