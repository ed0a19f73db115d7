import type { Store } from '@aura/engine';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import type { ServerOptions } from '../config.ts';

/**
 * Better Auth on the store's own database connection: email + password always, GitHub and Google
 * when their client id and secret are configured. Its tables (user, session, account,
 * verification) are created by its migrations at start-up, beside the store's.
 */
export function createAuth(store: Store, options: ServerOptions, secret: string) {
  const socialProviders: Record<string, { clientId: string; clientSecret: string }> = {};
  if (options.oauth.github) socialProviders.github = options.oauth.github;
  if (options.oauth.google) socialProviders.google = options.oauth.google;
  return betterAuth({
    appName: 'Aura',
    baseURL: options.baseUrl,
    basePath: '/api/auth',
    secret,
    database: { db: store.kysely, type: store.dialect },
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 256, autoSignIn: true },
    socialProviders,
    trustedOrigins: [options.baseUrl, ...options.trustedOrigins],
    // Our own limiter (per client address, standard Retry-After) guards the sign-in routes.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    advanced: {
      cookiePrefix: 'aura',
      useSecureCookies: options.baseUrl.startsWith('https://'),
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

export async function migrateAuth(auth: Auth): Promise<void> {
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();
}
