import { join } from 'node:path';
import { dataDir } from '@aura/engine';

export interface ServerOptions {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** Public origin of the IDE, e.g. http://localhost:3000 (cookies, OAuth callbacks, CSRF). */
  baseUrl: string;
  /** Extra origins allowed to call the API with cookies. */
  trustedOrigins: string[];
  allowScriptedModels: boolean;
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
}

export function serverOptionsFrom(
  flags: { port?: number; host?: string; data?: string },
  env: NodeJS.ProcessEnv = process.env,
): ServerOptions {
  const port = flags.port ?? Number(env.AURA_PORT ?? env.PORT ?? 3000);
  const host = flags.host ?? env.AURA_HOST ?? '127.0.0.1';
  const oauth: ServerOptions['oauth'] = {};
  if (env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET) {
    oauth.github = { clientId: env.GITHUB_CLIENT_ID, clientSecret: env.GITHUB_CLIENT_SECRET };
  }
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET) {
    oauth.google = { clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET };
  }
  const publicHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    port,
    host,
    dataDir: dataDir(flags.data, env),
    databaseUrl: env.DATABASE_URL || undefined,
    baseUrl:
      env.AURA_BASE_URL ?? `http://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${port}`,
    trustedOrigins: (env.AURA_TRUSTED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    allowScriptedModels: env.AURA_ALLOW_SCRIPTED_MODELS === '1',
    secretKey: env.AURA_SECRET_KEY || undefined,
    oauth,
    limits: {
      runStartsPerMinute: Number(env.AURA_RUN_STARTS_PER_MINUTE ?? 30),
      authAttemptsPerMinute: Number(env.AURA_AUTH_ATTEMPTS_PER_MINUTE ?? 20),
      maxBodyBytes: Number(env.AURA_MAX_BODY_BYTES ?? 2 * 1024 * 1024),
    },
    logLevel: env.AURA_LOG_LEVEL ?? 'info',
  };
}

export const workspacesDir = (options: ServerOptions) => join(options.dataDir, 'workspaces');
export const serverKeyFile = (options: ServerOptions) => join(options.dataDir, 'server.key');
