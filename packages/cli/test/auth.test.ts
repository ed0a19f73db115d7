import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import pty from '@lydell/node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  until,
} from '../../server/test/helpers.ts';
import { auraBin, cleanEnv, runAura } from './cli-helpers.ts';

let server: TestServer;
let ada: TestUser;

beforeAll(async () => {
  server = await startTestServer('sqlite');
  ada = await signUp(server, 'Ada');
});

afterAll(async () => {
  await server?.close();
});

/** A fresh HOME and config dir, with no session bus: tokens go to the file store. */
async function freshUser() {
  const ctx = await cleanEnv();
  const configDir = join(ctx.home, 'config', 'aura');
  return {
    ...ctx,
    configDir,
    credentialsFile: join(configDir, 'credentials.json'),
    indexFile: join(configDir, 'servers.json'),
    aura: (args: string[], input = '', extraEnv: NodeJS.ProcessEnv = {}) =>
      runAura(args, { env: { ...ctx.env, ...extraEnv }, input }),
  };
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('aura auth login with a pasted token', () => {
  it('verifies the token, saves it in a 0600 file, and status shows the user but never the token', async () => {
    const user = await freshUser();
    const login = await user.aura(
      ['auth', 'login', '--server', `${server.url}/dashboard`, '--token-stdin'],
      `${ada.token}\n`,
    );
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`Logged in to ${server.url} as Ada <${ada.email}>.`);
    expect(login.stdout).toContain(`Token saved in ${user.credentialsFile}`);
    expect(login.stdout).not.toContain(ada.token);

    expect((await stat(user.credentialsFile)).mode & 0o777).toBe(0o600);
    expect((await stat(user.configDir)).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(await readFile(user.credentialsFile, 'utf8'));
    expect(saved.servers[server.url].token).toBe(ada.token);
    const index = await readFile(user.indexFile, 'utf8');
    expect(index).not.toContain(ada.token);
    expect(JSON.parse(index)).toMatchObject({
      default: server.url,
      servers: { [server.url]: { store: 'file' } },
    });

    const status = await user.aura(['auth', 'status', '--check']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`${server.url} (default)`);
    expect(status.stdout).toContain(`Ada <${ada.email}>`);
    expect(status.stdout).toContain(`${ada.token.slice(0, 15)}… in ${user.credentialsFile}`);
    expect(status.stdout).toContain('check:  ok');
    expect(status.stdout + status.stderr).not.toContain(ada.token);

    const json = await user.aura(['auth', 'status', '--format', 'json']);
    const rows = JSON.parse(json.stdout) as { server: string; source: string; user: { name: string } }[];
    expect(rows).toEqual([
      expect.objectContaining({
        server: server.url,
        source: 'file',
        isDefault: true,
        user: { email: ada.email, name: 'Ada' },
      }),
    ]);
    expect(json.stdout).not.toContain(ada.token);
  });

  it('refuses a token the server rejects (401) and saves nothing', async () => {
    const user = await freshUser();
    const wrong = `aura_pat_${'x'.repeat(43)}`;
    const login = await user.aura(['auth', 'login', '--server', server.url, '--token-stdin'], wrong);
    expect(login.code).toBe(1);
    expect(login.stderr).toContain(`The Aura server at ${server.url} refused the token (401)`);
    expect(login.stderr).toContain(`${server.url}/settings#tokens`);
    expect(login.stdout + login.stderr).not.toContain(wrong);
    expect(await exists(user.credentialsFile)).toBe(false);
    expect(await exists(user.indexFile)).toBe(false);
  });

  it('refuses input that is not an Aura token without sending it anywhere', async () => {
    const user = await freshUser();
    const login = await user.aura(
      ['auth', 'login', '--server', server.url, '--token-stdin'],
      'ghp_notAnAuraToken',
    );
    expect(login.code).toBe(1);
    expect(login.stderr).toContain('That is not an Aura API token');
    expect(await exists(user.credentialsFile)).toBe(false);
    const empty = await user.aura(['auth', 'login', '--server', server.url, '--token-stdin'], '\n');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no token on standard input');
  });

  it('says when the server cannot be reached, and saves nothing', async () => {
    const user = await freshUser();
    const closed = await startTestServer('sqlite');
    const url = closed.url;
    await closed.close();
    const login = await user.aura(['auth', 'login', '--server', url, '--token-stdin'], ada.token);
    expect(login.code).toBe(1);
    expect(login.stderr).toMatch(new RegExp(`Cannot reach the Aura server at ${url}: .*ECONNREFUSED`));
    expect(login.stderr).not.toContain(ada.token);
    expect(await exists(user.indexFile)).toBe(false);
  });

  it('says when the URL is not an Aura server', async () => {
    const user = await freshUser();
    const other = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html>a blog</html>');
    });
    other.listen(0, '127.0.0.1');
    await once(other, 'listening');
    const address = other.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      const login = await user.aura(['auth', 'login', '--server', url, '--token-stdin'], ada.token);
      expect(login.code).toBe(1);
      expect(login.stderr).toContain(
        `${url} did not answer like an Aura server (HTTP 200, text/html). Check the URL.`,
      );
      expect(await exists(user.indexFile)).toBe(false);
    } finally {
      other.close();
    }
  });

  it('refuses bad flags and URLs as usage errors', async () => {
    const user = await freshUser();
    const both = await user.aura(['auth', 'login', '--server', server.url, '--token-stdin', '--device']);
    expect(both.code).toBe(2);
    const ftp = await user.aura(
      ['auth', 'login', '--server', 'ftp://example.com', '--token-stdin'],
      ada.token,
    );
    expect(ftp.code).toBe(2);
    expect(ftp.stderr).toContain('not an http:// or https:// URL');
    const noServer = await user.aura(['auth', 'login', '--token-stdin'], ada.token);
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toContain('which server?');
    // No terminal and nobody watching one: a device login would wait for nobody.
    const noTty = await user.aura(['auth', 'login', '--server', server.url]);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('--token-stdin');
  });
});

describe('aura auth login on a terminal', () => {
  it('asks for the token without echoing it, then logs in', async () => {
    const user = await freshUser();
    const terminal = pty.spawn(process.execPath, [auraBin, 'auth', 'login', '--server', server.url], {
      cols: 100,
      rows: 24,
      env: user.env as Record<string, string>,
    });
    let screen = '';
    terminal.onData((data) => {
      screen += data;
    });
    let running = true;
    const exited = new Promise<number>((resolve) =>
      terminal.onExit(({ exitCode }) => {
        running = false;
        resolve(exitCode);
      }),
    );
    try {
      await until(
        'the prompt',
        async () => screen,
        (text) => text.includes('press Enter to approve'),
      );
      // Typed in pieces with a mistake fixed by Backspace, as a person might.
      terminal.write(ada.token.slice(0, 20));
      terminal.write('x\u007f');
      terminal.write(`${ada.token.slice(20)}\r`);
      expect(await exited).toBe(0);
    } finally {
      if (running) terminal.kill();
    }
    expect(screen).toContain(
      `Paste an API token for ${server.url} (create one at ${server.url}/settings#tokens)`,
    );
    expect(screen).toContain(`Logged in to ${server.url} as Ada <${ada.email}>.`);
    expect(screen).not.toContain(ada.token.slice(9, 20));
  });
});

describe('aura auth login --device', () => {
  it('shows a code, and saves the token once the code is approved in the web IDE', async () => {
    const user = await freshUser();
    const child = spawn(process.execPath, [auraBin, 'auth', 'login', '--server', server.url, '--device'], {
      env: user.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = once(child, 'exit');
    try {
      const shown = await until(
        'the user code',
        async () => /shows the code ([A-Z]{4}-[A-Z]{4})/.exec(stderr)?.[1],
        (code) => code !== undefined,
      );
      expect(stderr).toContain(`open ${server.options.baseUrl}/device`);
      const approved = await api(ada, 'POST', '/api/device/approve', { userCode: shown }, { via: 'cookie' });
      expect(approved.status).toBe(200);
      const [code] = await exited;
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill();
    }
    expect(stdout).toContain(`Logged in to ${server.url} as Ada <${ada.email}>.`);
    const status = await user.aura(['auth', 'status', '--check']);
    expect(status.stdout).toContain('check:  ok');
  });
});

describe('the credentials file', () => {
  it('is refused, with what to do, once other users can read it', async () => {
    const user = await freshUser();
    expect(
      (await user.aura(['auth', 'login', '--server', server.url, '--token-stdin'], ada.token)).code,
    ).toBe(0);
    await chmod(user.credentialsFile, 0o644);
    const status = await user.aura(['auth', 'status', '--check']);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(`${user.credentialsFile} can be read by other users (mode 0644)`);
    expect(status.stdout).toContain(`chmod 600 ${user.credentialsFile}`);
    await chmod(user.credentialsFile, 0o600);
    expect((await user.aura(['auth', 'status', '--check'])).code).toBe(0);
  });

  it('is refused when it is not JSON', async () => {
    const user = await freshUser();
    expect(
      (await user.aura(['auth', 'login', '--server', server.url, '--token-stdin'], ada.token)).code,
    ).toBe(0);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(user.credentialsFile, '{ not json', { mode: 0o600 });
    const status = await user.aura(['auth', 'status', '--check']);
    expect(status.stdout).toContain(`${user.credentialsFile} is not valid JSON. Delete it and log in again.`);
  });
});

describe('aura auth logout', () => {
  it('revokes the token on the server and forgets it here', async () => {
    const user = await freshUser();
    const leaver = await signUp(server, 'Leaver');
    expect(
      (await user.aura(['auth', 'login', '--server', server.url, '--token-stdin'], leaver.token)).code,
    ).toBe(0);
    const logout = await user.aura(['auth', 'logout']);
    expect(logout.code).toBe(0);
    expect(logout.stdout).toContain(`Logged out of ${server.url}`);
    expect(logout.stdout).toContain('The server revoked the token.');
    expect((await api(leaver, 'GET', '/api/me')).status).toBe(401);
    const saved = JSON.parse(await readFile(user.credentialsFile, 'utf8'));
    expect(saved.servers).toEqual({});
    const status = await user.aura(['auth', 'status']);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('Not logged in to any Aura server');
    const again = await user.aura(['auth', 'logout']);
    expect(again.code).toBe(1);
  });

  it('still forgets the token when the server cannot revoke it, and says where to revoke it', async () => {
    const user = await freshUser();
    const other = await startTestServer('sqlite');
    const bob = await signUp(other, 'Bob');
    expect((await user.aura(['auth', 'login', '--server', other.url, '--token-stdin'], bob.token)).code).toBe(
      0,
    );
    expect(
      (await user.aura(['auth', 'login', '--server', server.url, '--token-stdin'], ada.token)).code,
    ).toBe(0);
    await other.close();
    const logout = await user.aura(['auth', 'logout', '--server', other.url]);
    expect(logout.code).toBe(0);
    expect(logout.stdout).toContain(
      'The token could not be revoked on the server (Cannot reach the Aura server',
    );
    expect(logout.stdout).toContain(
      `Revoke ${bob.token.slice(0, 15)}… in the web IDE: ${other.url}/settings#tokens`,
    );
    // The other login stays, and stays the default.
    const status = await user.aura(['auth', 'status']);
    expect(status.stdout).toContain(`${server.url} (default)`);
    expect(status.stdout).not.toContain(other.url);
  });
});

describe('AURA_TOKEN and AURA_SERVER', () => {
  it('log in without saving anything (CI)', async () => {
    const user = await freshUser();
    const env = { AURA_SERVER: server.url, AURA_TOKEN: ada.token };
    const status = await user.aura(['auth', 'status', '--check'], '', env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`${server.url} (from the environment)`);
    expect(status.stdout).toContain('token:  AURA_TOKEN');
    expect(status.stdout).toContain('check:  ok');
    expect(status.stdout).not.toContain(ada.token);
    expect(await exists(user.indexFile)).toBe(false);
    const bad = await user.aura(['auth', 'status', '--check'], '', {
      ...env,
      AURA_TOKEN: 'aura_pat_revoked',
    });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('FAILED — The Aura server at');
  });
});
