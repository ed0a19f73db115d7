import { oneOf, parseCommandArgs } from '../args.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { RemoteApi } from '../remote/api-client.ts';
import { CredentialStore, type Credentials, type SavedServer } from '../remote/credentials.ts';
import { RemoteError } from '../remote/errors.ts';
import { normalizeServer } from '../remote/server-url.ts';
import { PromptCancelled, promptHidden, readTokenFromStdin } from '../remote/token-input.ts';
import { describeUser, printable, verifyToken } from '../remote/verify.ts';

const authHelp = `Usage:
  aura auth login [--server URL] [--token-stdin | --device]
  aura auth status [--server URL] [--check] [--format text|json]
  aura auth logout [--server URL]

login     signs in to an Aura server with a personal API token: paste one created in the web IDE
          (Settings → API tokens), pipe it with --token-stdin, or use --device to approve the
          login in a browser with a code. The token is checked with the server before it is saved,
          in the system keychain (Secret Service) when one works, else in a file only you can read.
status    lists the servers you are logged in to (never the whole token); --check asks each one.
logout    forgets a server's token here and revokes it on the server.

--server defaults to AURA_SERVER, else the server you logged in to last.
AURA_TOKEN (with AURA_SERVER) overrides saved logins, for CI.
`;

export async function authCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h') {
    process.stdout.write(authHelp);
    return sub ? exitCodes.ok : exitCodes.usage;
  }
  const { values, positionals } = parseCommandArgs(rest, {
    server: { type: 'string' },
    'token-stdin': { type: 'boolean' },
    device: { type: 'boolean' },
    check: { type: 'boolean' },
    format: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}".\n${authHelp}`);
  const store = new CredentialStore();
  const server = values.server === undefined ? undefined : serverFlag(values.server);
  switch (sub) {
    case 'login':
      if (values['token-stdin'] && values.device)
        throw new UsageError('--token-stdin and --device are two different ways to log in: pick one.');
      return login(store, server ?? (await store.defaultServer()), {
        tokenStdin: Boolean(values['token-stdin']),
        device: Boolean(values.device),
      });
    case 'status':
      return status(store, server, {
        check: Boolean(values.check),
        format: oneOf(values.format, ['text', 'json'] as const, '--format', 'text'),
      });
    case 'logout':
      return logout(store, server);
    default:
      throw new UsageError(`unknown auth command "${sub}".\n${authHelp}`);
  }
}

function serverFlag(value: string): string {
  try {
    return normalizeServer(value);
  } catch (error) {
    throw new UsageError(`--server: ${(error as Error).message}`);
  }
}

async function login(
  store: CredentialStore,
  server: string | undefined,
  how: { tokenStdin: boolean; device: boolean },
): Promise<number> {
  if (!server) throw new UsageError('which server? Run: aura auth login --server https://aura.example.com');
  let token: string | undefined;
  try {
    token = await obtainToken(server, how);
  } catch (error) {
    if (error instanceof PromptCancelled) {
      process.stderr.write('Login cancelled; nothing was saved.\n');
      return exitCodes.cancelled;
    }
    throw error;
  }
  const user = await verifyToken(server, token);
  const saved = await store.save(server, token, { email: user.email, name: user.name });
  process.stdout.write(`Logged in to ${server} as ${describeUser(user)}.\n`);
  if (saved.store === 'keychain') process.stdout.write(`Token saved in ${saved.location}.\n`);
  else
    process.stdout.write(
      `Token saved in ${saved.location} (readable only by you) — no system keychain: ${saved.fallbackReason}.\n`,
    );
  return exitCodes.ok;
}

async function obtainToken(server: string, how: { tokenStdin: boolean; device: boolean }): Promise<string> {
  if (how.tokenStdin) {
    const token = await readTokenFromStdin(process.stdin);
    if (!token) throw new UsageError('--token-stdin: no token on standard input.');
    return token;
  }
  if (how.device) return deviceToken(server);
  if (process.stdin.isTTY) {
    const pasted = await promptHidden(
      `Paste an API token for ${server} (create one at ${server}/settings#tokens),\nor press Enter to approve this login in a browser instead: `,
      process.stdin,
      process.stderr,
    );
    return pasted || deviceToken(server);
  }
  // No keyboard, but someone may be reading the terminal: they can approve a code in a browser.
  if (process.stderr.isTTY) return deviceToken(server);
  throw new UsageError(
    'no terminal to paste a token into: pipe one with --token-stdin (or set AURA_TOKEN), or use --device.',
  );
}

async function deviceToken(server: string): Promise<string> {
  const { deviceLogin, DeviceLoginError } = await import('../remote/device-login.ts');
  const controller = new AbortController();
  const cancel = () => controller.abort();
  process.once('SIGINT', cancel);
  try {
    return await deviceLogin(server, {
      signal: controller.signal,
      onCode(info) {
        const minutes = Math.max(1, Math.round(info.expiresIn / 60));
        process.stderr.write(
          `To log in, open ${printable(info.verificationUriComplete ?? info.verificationUri)} in a browser where you are signed in to Aura,\nand check that it shows the code ${printable(info.userCode)}. It expires in ${minutes} minute${minutes === 1 ? '' : 's'}.\nWaiting for approval… (Ctrl-C to cancel)\n`,
        );
      },
    });
  } catch (error) {
    if (error instanceof DeviceLoginError && error.code === 'aborted')
      throw new PromptCancelled('Cancelled.');
    throw error;
  } finally {
    process.off('SIGINT', cancel);
  }
}

/** A login `status` reports: the AURA_TOKEN one, or a saved one. */
interface Login {
  server: string;
  source: Credentials['source'];
  saved?: SavedServer;
  token(): Promise<string>;
  /** After --check: undefined when the server accepted the token, else what went wrong. */
  problem?: string;
}

async function status(
  store: CredentialStore,
  only: string | undefined,
  opts: { check: boolean; format: 'text' | 'json' },
): Promise<number> {
  const logins: Login[] = [];
  const fromEnv = await environmentLogin(store, only);
  if (fromEnv) logins.push({ server: fromEnv.server, source: 'env', token: async () => fromEnv.token });
  for (const saved of await store.list()) {
    if (only && saved.server !== only) continue;
    logins.push({
      server: saved.server,
      source: saved.store,
      saved,
      token: async () => (await store.saved(saved.server)).token,
    });
  }
  if (opts.check) {
    await Promise.all(
      logins.map(async (login) => {
        login.problem = await checkLogin(login);
      }),
    );
  }
  if (opts.format === 'json') {
    const rows = logins.map(({ server, source, saved, problem }) => ({
      server,
      source,
      ...(saved ? { user: saved.user ?? null, tokenPrefix: saved.tokenPrefix, savedAt: saved.savedAt } : {}),
      isDefault: saved?.isDefault ?? false,
      ...(opts.check ? { ok: problem === undefined, ...(problem ? { problem } : {}) } : {}),
    }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    process.stdout.write(
      `${logins.length === 0 ? 'Not logged in to any Aura server. Run: aura auth login --server URL' : logins.map((login) => describeLogin(store, login, opts.check)).join('\n')}\n`,
    );
  }
  const failed = opts.check && logins.some((login) => login.problem !== undefined);
  return logins.length === 0 || failed ? exitCodes.agentError : exitCodes.ok;
}

function describeLogin(store: CredentialStore, login: Login, checked: boolean): string {
  const lines: string[] = [];
  const { saved } = login;
  if (saved) {
    lines.push(`${login.server}${saved.isDefault ? ' (default)' : ''}`);
    lines.push(`  user:   ${describeUser(saved.user)}`);
    const where = saved.store === 'keychain' ? 'the system keychain (Secret Service)' : store.filePath;
    lines.push(`  token:  ${saved.tokenPrefix}… in ${where}`);
    lines.push(`  since:  ${new Date(saved.savedAt).toISOString().replace('T', ' ').slice(0, 16)} UTC`);
  } else {
    lines.push(`${login.server} (from the environment)`);
    lines.push('  token:  AURA_TOKEN');
  }
  if (checked)
    lines.push(
      `  check:  ${login.problem === undefined ? 'ok, the server accepts the token' : `FAILED — ${login.problem}`}`,
    );
  return lines.join('\n');
}

/** The AURA_TOKEN login, when it applies (to `only`, if given). */
async function environmentLogin(
  store: CredentialStore,
  only: string | undefined,
): Promise<Credentials | undefined> {
  if (!process.env.AURA_TOKEN?.trim()) return undefined;
  const credentials = await store.resolve(only).catch(() => undefined);
  return credentials?.source === 'env' ? credentials : undefined;
}

/** Undefined when the server accepts the token, else what went wrong. */
async function checkLogin(login: Login): Promise<string | undefined> {
  try {
    await verifyToken(login.server, await login.token());
    return undefined;
  } catch (error) {
    if (error instanceof RemoteError) return error.message;
    throw error;
  }
}

async function logout(store: CredentialStore, only: string | undefined): Promise<number> {
  const server = only ?? (await store.list()).find((entry) => entry.isDefault)?.server;
  const envNote = process.env.AURA_TOKEN ? ' (AURA_TOKEN is set: unset it to stop using that token)' : '';
  if (!server) {
    process.stderr.write(`Not logged in to any Aura server${envNote}.\n`);
    return exitCodes.agentError;
  }
  let credentials: Credentials | undefined;
  let unreadable: string | undefined;
  try {
    credentials = await store.saved(server);
  } catch (error) {
    if (!(error instanceof RemoteError)) throw error;
    if (error.kind === 'not_logged_in') {
      process.stderr.write(`Not logged in to ${server}${envNote}.\n`);
      return exitCodes.agentError;
    }
    unreadable = error.message;
  }
  const notRevoked = credentials ? await revoke(credentials) : unreadable;
  const removed = await store.remove(server);
  process.stdout.write(`Logged out of ${server}: its token was removed from this machine.\n`);
  if (notRevoked === undefined) process.stdout.write('The server revoked the token.\n');
  else
    process.stdout.write(
      `The token could not be revoked on the server (${notRevoked.replace(/\.$/, '')}). Revoke ${removed?.tokenPrefix ?? 'it'}… in the web IDE: ${server}/settings#tokens\n`,
    );
  return exitCodes.ok;
}

/** Revokes the token on its server, best effort: undefined when it worked, else why not. */
async function revoke(credentials: Credentials): Promise<string | undefined> {
  try {
    await new RemoteApi(credentials.server, credentials.token).request('DELETE', '/api/me/token', undefined, {
      timeoutMs: 10_000,
    });
    return undefined;
  } catch (error) {
    if (!(error instanceof RemoteError)) throw error;
    // Already revoked (or expired) in the web IDE: nothing left to do on the server.
    if (error.kind === 'unauthorized') return undefined;
    return error.message;
  }
}
