import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, startTestServer, type TestServer, type TestUser } from '../../server/test/helpers.ts';
import { cleanEnv, runAura } from './cli-helpers.ts';
import { type HeadlessKeychain, secretTool, startHeadlessKeychain } from './remote-helpers.ts';

/**
 * The Secret Service store against a real keyring: a private D-Bus session bus with GNOME Keyring
 * unlocked on it, driven through the real secret-tool (Debian: dbus, gnome-keyring, libsecret-tools).
 */
let server: TestServer;
let ada: TestUser;
let keychain: HeadlessKeychain;

beforeAll(async () => {
  [server, keychain] = await Promise.all([startTestServer('sqlite'), startHeadlessKeychain()]);
  ada = await signUp(server, 'Ada');
});

afterAll(async () => {
  await Promise.all([server?.close(), keychain?.stop()]);
});

const lookup = async (server: string) =>
  (await secretTool(['lookup', 'service', 'aura', 'server', server], keychain.env)).stdout;

describe('tokens in the system keychain (Secret Service)', () => {
  it('stores the token in the keychain, never in a file, and logout clears it', async () => {
    const { env, home } = await cleanEnv(keychain.env);
    const configDir = join(home, 'config', 'aura');
    const login = await runAura(['auth', 'login', '--server', server.url, '--token-stdin'], {
      env,
      input: ada.token,
    });
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain('Token saved in the system keychain (Secret Service).');
    expect(await lookup(server.url)).toBe(ada.token);
    await expect(stat(join(configDir, 'credentials.json'))).rejects.toThrow(/ENOENT/);
    const index = await readFile(join(configDir, 'servers.json'), 'utf8');
    expect(index).not.toContain(ada.token);
    expect(JSON.parse(index).servers[server.url].store).toBe('keychain');

    const status = await runAura(['auth', 'status', '--check'], { env, input: '' });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`${ada.token.slice(0, 15)}… in the system keychain (Secret Service)`);
    expect(status.stdout).toContain('check:  ok');

    const logout = await runAura(['auth', 'logout'], { env, input: '' });
    expect(logout.code).toBe(0);
    expect(logout.stdout).toContain('The server revoked the token.');
    expect(await lookup(server.url)).toBe('');
  });

  it('falls back to the 0600 file, saying why, when secret-tool is not installed', async () => {
    const emptyPath = await mkdtemp(join(tmpdir(), 'aura-no-tools-'));
    const { env, home } = await cleanEnv({ ...keychain.env, PATH: emptyPath });
    const bob = await signUp(server, 'Bob');
    const login = await runAura(['auth', 'login', '--server', server.url, '--token-stdin'], {
      env,
      input: bob.token,
    });
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(
      'no system keychain: secret-tool is not installed (Debian/Ubuntu: libsecret-tools)',
    );
    expect((await stat(join(home, 'config', 'aura', 'credentials.json'))).mode & 0o777).toBe(0o600);
  });

  it('says why a keychain login cannot be used in a session without the keychain', async () => {
    const { env } = await cleanEnv(keychain.env);
    const carol = await signUp(server, 'Carol');
    expect(
      (await runAura(['auth', 'login', '--server', server.url, '--token-stdin'], { env, input: carol.token }))
        .code,
    ).toBe(0);
    const { DBUS_SESSION_BUS_ADDRESS: _bus, ...noBus } = env;
    const status = await runAura(['auth', 'status', '--check'], { env: noBus, input: '' });
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(
      'is in the system keychain, which cannot be used here: no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)',
    );
    expect(status.stdout).not.toContain(carol.token);
  });
});
