/**
 * Environment hygiene for sandboxed commands. The host environment of an Aura server is full of
 * credentials (provider API keys, database URLs, cloud tokens); a command the model runs must never
 * see them. Commands get a small allowlist of harmless host variables plus whatever the caller passes
 * explicitly.
 */

/** Host variables a command may inherit (if they don't look like secrets). `LC_*` is matched by prefix. */
export const INHERITED_ENV_NAMES: readonly string[] = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TERM',
  'COLORTERM',
  'TZ',
  'TMPDIR',
  'TMP',
  'TEMP',
  'NODE_ENV',
];

/** Always set for commands (explicit env wins): no pagers, no interactive git prompts, no colour codes. */
export const DEFAULT_COMMAND_ENV: Readonly<Record<string, string>> = {
  PAGER: 'cat',
  GIT_PAGER: 'cat',
  GIT_TERMINAL_PROMPT: '0',
  NO_COLOR: '1',
};

const FALLBACK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Name segments (split on `_`) that mark a credential: `OPENAI_API_KEY`, `GH_TOKEN`, `DB_PASS`. */
const SECRET_SEGMENTS = new Set([
  'KEY',
  'KEYS',
  'APIKEY',
  'TOKEN',
  'TOKENS',
  'SECRET',
  'SECRETS',
  'PASSWORD',
  'PASSWD',
  'PASS',
  'PASSPHRASE',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'AUTH',
  'COOKIE',
  'SESSION',
  'PAT',
  'DSN',
  'PRIVATE',
  'SIGNATURE',
  'CERT',
]);

/** Substrings that mark a credential even when glued to other words: `GHTOKEN`, `PGPASSWORD`. */
const SECRET_SUBSTRINGS = [
  'PASSWORD',
  'PASSWD',
  'SECRET',
  'TOKEN',
  'APIKEY',
  'API_KEY',
  'PRIVATEKEY',
  'PRIVATE_KEY',
];

/** Whole families of credentials and the engine's own configuration. */
const SECRET_PREFIXES = [
  'AWS_',
  'AURA_',
  'AZURE_',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'NPM_CONFIG__AUTH',
  'VAULT_',
];

/** Connection strings carry passwords: `DATABASE_URL`, `REDIS_URL`, `MONGODB_URI`, `*_CONNECTION_STRING`. */
const CONNECTION_STRING =
  /(^|_)(DATABASE|DB|REDIS|MONGO|MONGODB|POSTGRES|POSTGRESQL|PG|MYSQL|MARIADB|AMQP|RABBITMQ|ELASTICSEARCH|KAFKA|NATS|SUPABASE)_(URL|URI|DSN)$|CONNECTION_STRING|CONN_STR/;

/**
 * True when an environment variable name looks like it holds a credential. Used to scrub command
 * environments and to redact logs. Errs on the side of hiding: a false positive only costs a variable.
 */
export function isSecretEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  if (SECRET_PREFIXES.some((prefix) => upper.startsWith(prefix))) return true;
  if (SECRET_SUBSTRINGS.some((part) => upper.includes(part))) return true;
  if (CONNECTION_STRING.test(upper)) return true;
  return upper.split(/[_\-.]+/).some((segment) => SECRET_SEGMENTS.has(segment));
}

function isInheritable(name: string): boolean {
  return INHERITED_ENV_NAMES.includes(name) || name.startsWith('LC_');
}

/**
 * Builds a command environment: allowlisted host variables (minus anything secret-looking), the
 * defaults above, then `explicit` variables, which are trusted and passed through as given.
 */
export function buildCommandEnv(
  host: Record<string, string | undefined>,
  ...explicit: (Record<string, string> | undefined)[]
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(host)) {
    if (value === undefined || !isInheritable(name) || isSecretEnvName(name)) continue;
    env[name] = value;
  }
  if (!env.PATH) env.PATH = FALLBACK_PATH;
  Object.assign(env, DEFAULT_COMMAND_ENV);
  for (const extra of explicit) {
    if (extra) Object.assign(env, extra);
  }
  return env;
}
