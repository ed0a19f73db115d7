import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pty from '@lydell/node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  listMessages,
  messageText,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  until,
  writeScript,
} from '../../server/test/helpers.ts';
import { auraBin, cleanEnv } from './cli-helpers.ts';

let server: TestServer;
let ada: TestUser;

beforeAll(async () => {
  server = await startTestServer('sqlite');
  ada = await signUp(server, 'Ada');
});

afterAll(async () => {
  await server?.close();
});

/** What the terminal shows, without escape sequences. */
const visible = (raw: string) =>
  raw.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[()][A-Z0-9]|\u001b[=>]/g, '');

describe('aura chat --server in a real terminal', () => {
  it('streams a turn, asks for permission, and the same session reads back over REST', async () => {
    const { env, home } = await cleanEnv({
      AURA_SERVER: server.url,
      AURA_TOKEN: ada.token,
      TERM: 'xterm-256color',
    });
    const dir = join(await mkdtemp(join(tmpdir(), 'aura-pty-')), 'pty-app');
    await mkdir(dir);
    const model = await writeScript(home, [
      {
        text: 'Checking the folder.',
        chunkSize: 4,
        delayMs: 10,
        tools: [{ name: 'exec', input: { command: 'echo from-the-sandbox' } }],
      },
      { text: 'All done here.' },
    ]);
    const terminal = pty.spawn(
      process.execPath,
      [auraBin, 'chat', '--server', server.url, '--model', model],
      {
        cols: 80,
        rows: 24,
        cwd: dir,
        env: env as Record<string, string>,
      },
    );
    let raw = '';
    let running = true;
    terminal.onData((data) => {
      raw += data;
    });
    const exited = new Promise<number>((resolve) =>
      terminal.onExit(({ exitCode }) => {
        running = false;
        resolve(exitCode);
      }),
    );
    const shown = (what: string, check: (screen: string) => boolean) =>
      until(what, async () => visible(raw), check);
    try {
      await shown('the prompt', (screen) => screen.includes('Message the agent'));
      terminal.write('list the folder');
      terminal.write('\r');
      await shown('the permission prompt', (screen) => screen.includes('Allow exec'));
      terminal.write('y');
      await shown('the turn to end', (screen) => {
        const end = screen.lastIndexOf('All done here.');
        return end >= 0 && screen.slice(end).includes('· idle');
      });
      expect(visible(raw)).toContain('from-the-sandbox');

      terminal.write('\u0003');
      await shown('the exit hint', (screen) => screen.includes('press Ctrl-C again to exit'));
      terminal.write('\u0003');
      expect(await exited).toBe(0);
    } finally {
      if (running) terminal.kill();
    }
    const sessionId = /--session (ses_\w+)/.exec(visible(raw))?.[1];
    if (!sessionId) throw new Error(`no session id on screen:\n${visible(raw)}`);

    const session = await api<{ projectId: string }>(ada, 'GET', `/api/sessions/${sessionId}`);
    const project = await api<{ name: string }>(ada, 'GET', `/api/projects/${session.body.projectId}`);
    expect(project.body.name).toBe('pty-app');
    const messages = await listMessages(ada, sessionId);
    expect(messages.map((m) => [m.role, messageText(m)])).toEqual([
      ['user', 'list the folder'],
      ['assistant', 'Checking the folder.All done here.'],
    ]);
    expect(visible(raw)).not.toContain(ada.token);
  });
});
