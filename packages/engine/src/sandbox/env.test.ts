import { describe, expect, it } from 'vitest';
import { buildCommandEnv, isSecretEnvName } from './env.ts';

describe('isSecretEnvName', () => {
  it.each([
    'OPENAI_API_KEY',
    'ANTHROPIC_API_KEY',
    'GITHUB_TOKEN',
    'GH_TOKEN',
    'NPM_TOKEN',
    'CLIENT_SECRET',
    'DB_PASSWORD',
    'PGPASSWORD',
    'MYSQL_PASS',
    'DATABASE_URL',
    'REDIS_URL',
    'MONGODB_URI',
    'SENTRY_DSN',
    'AWS_ACCESS_KEY_ID',
    'AWS_REGION',
    'AURA_SECRET',
    'AURA_DATA_DIR',
    'SSH_AUTH_SOCK',
    'STRIPE_SECRET_KEY',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'openai_api_key',
    'SLACK_BOT_TOKEN',
    'APIKEY',
  ])('%s is secret', (name) => {
    expect(isSecretEnvName(name)).toBe(true);
  });

  it.each([
    'PATH',
    'HOME',
    'LANG',
    'LC_ALL',
    'TERM',
    'USER',
    'PWD',
    'NODE_ENV',
    'GIT_AUTHOR_NAME',
    'KEYBOARD_LAYOUT',
    'SHELL',
    'TZ',
  ])('%s is not secret', (name) => {
    expect(isSecretEnvName(name)).toBe(false);
  });
});

describe('buildCommandEnv', () => {
  it('keeps allowlisted host variables and drops everything else', () => {
    const env = buildCommandEnv({
      PATH: '/bin',
      HOME: '/home/me',
      LC_ALL: 'C.UTF-8',
      OPENAI_API_KEY: 'sk-x',
      RANDOM_THING: '1',
      TMPDIR: undefined,
    });
    expect(env.PATH).toBe('/bin');
    expect(env.HOME).toBe('/home/me');
    expect(env.LC_ALL).toBe('C.UTF-8');
    expect(env.OPENAI_API_KEY).toBeUndefined();
    expect(env.RANDOM_THING).toBeUndefined();
    expect('TMPDIR' in env).toBe(false);
    expect(env.GIT_TERMINAL_PROMPT).toBe('0');
  });

  it('passes explicit variables through, later ones winning', () => {
    const env = buildCommandEnv({ PATH: '/bin' }, { FOO: 'a', MY_TOKEN: 't' }, { FOO: 'b' });
    expect(env.FOO).toBe('b');
    expect(env.MY_TOKEN).toBe('t');
  });

  it('supplies a PATH when the host has none', () => {
    expect(buildCommandEnv({}).PATH).toContain('/usr/bin');
  });
});
