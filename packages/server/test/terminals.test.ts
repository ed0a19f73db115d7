import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '@aura/engine';
import type { TerminalFrame } from '@aura/protocol';
import { spawn } from '@lydell/node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalClient } from '../src/terminals/client.ts';
import { MAX_FRAME_CHARS, MAX_PENDING_CHARS, TerminalOutput } from '../src/terminals/output.ts';
import {
  api,
  createProject,
  createSession,
  eventLog,
  type ProjectBody,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  until,
} from './helpers.ts';
import { type Frame, WsClient } from './streaming-clients.ts';

// The local driver starts a login shell with the server's HOME: keep this machine's own profile
// (which may be slow, e.g. a pyenv rehash) out of the tests.
let home: string;
const originalHome = process.env.HOME;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'aura-terminal-home-'));
  process.env.HOME = home;
});
afterAll(async () => {
  process.env.HOME = originalHome;
  await rm(home, { recursive: true, force: true });
});

const tokenQuery = (user: TestUser) => `token=${encodeURIComponent(user.token)}`;
const codeOf = (frame: Frame) => (frame.data as { code?: string } | undefined)?.code;

/** Everything a terminal printed so far, from its `terminal_output` frames. */
function outputOf(client: WsClient, terminalId: string): string {
  return client.frames
    .filter(
      (f) => f.type === 'terminal_output' && (f.data as { terminalId: string }).terminalId === terminalId,
    )
    .map((f) => (f.data as { data: string }).data)
    .join('');
}

/** Waits until the terminal's output matches; returns the output. */
async function waitForOutput(client: WsClient, terminalId: string, pattern: RegExp): Promise<string> {
  await client.waitFor(() => pattern.test(outputOf(client, terminalId)));
  return outputOf(client, terminalId);
}

async function openTerminal(client: WsClient, id: string, size = { cols: 80, rows: 24 }): Promise<string> {
  const ack = await client.request(id, 'terminal_open', size);
  expect(ack).toMatchObject({ type: 'ack', id, data: { terminalId: expect.stringMatching(/^term_/) } });
  return (ack.data as { terminalId: string }).terminalId;
}

/** Types a line into the terminal (no reply: input without an id is not acked). */
function type(client: WsClient, terminalId: string, line: string): void {
  client.send({ type: 'terminal_input', data: { terminalId, data: `${line}\r` } });
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

describe('terminals over the WebSocket', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let project: ProjectBody;
  let sessionId: string;
  let workspace: string;

  const connect = (user: TestUser, projectId = project.id) =>
    WsClient.open(server, `/ws/${projectId}?${tokenQuery(user)}`);

  const terminalsOf = (userId: string) =>
    server.server.context.terminals.list().filter((t) => t.userId === userId);

  const sandboxOf = async (projectId: string) => {
    const record = await server.server.context.store.getProject(projectId);
    if (!record) throw new Error(`no project ${projectId}`);
    return server.server.context.sandboxFor({ directory: record.workspace });
  };

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    [alice, bob] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob')]);
    project = await createProject(alice, 'Terminals');
    sessionId = (await createSession(alice, project.id)).id;
    workspace = (await sandboxOf(project.id)).workspace;
    const put = await api(alice, 'PUT', `/api/projects/${project.id}/files/notes.txt`, { content: 'hi\n' });
    expect(put.status).toBeLessThan(300);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('opens a shell in the workspace, runs commands, and streams their output as unpersisted frames', async () => {
    const client = await WsClient.open(server, `/ws/${project.id}?${tokenQuery(alice)}&session=${sessionId}`);
    await client.waitFor((f) => f.type === 'hello');
    const id = await openTerminal(client, 'open');

    type(client, id, "echo hel''lo && ls");
    const listed = await waitForOutput(client, id, /hello\r\n(.*\r\n)*.*notes\.txt/);
    expect(listed).toContain('notes.txt');
    type(client, id, 'echo "<$(pwd)>"');
    const cwd = /<(\/[^>]*)>/.exec(await waitForOutput(client, id, /<\/[^>]*>/))?.[1];
    // The shell starts in the workspace as the sandbox sees it (`/workspace` under bubblewrap).
    const description = await server.server.context.sandboxFor({ directory: workspace }).describe?.();
    const inside = description?.workspacePath ?? workspace;
    expect(cwd).toBe(inside);

    // The ack comes before the terminal's first output.
    const ackAt = client.frames.findIndex((f) => f.type === 'ack' && f.id === 'open');
    const firstOutput = client.frames.findIndex((f) => f.type === 'terminal_output');
    expect(ackAt).toBeLessThan(firstOutput);
    // Control frames: no seq, nothing in the session's event log.
    const frames = client.frames.filter((f) => f.type === 'terminal_output');
    expect(frames.every((f) => f.seq === undefined && Object.keys(f).sort().join() === 'data,type')).toBe(
      true,
    );
    expect(await eventLog(server, sessionId)).toEqual([]);
    await client.close();
  });

  it('streams large output in frames of at most 64 KB and loses nothing', async () => {
    const client = await connect(alice);
    const id = await openTerminal(client, 'big');
    // `\132` is Z, which the echoed command line does not contain.
    type(client, id, "head -c 300000 /dev/zero | tr '\\0' '\\132'; echo '<''done>'");
    const output = await waitForOutput(client, id, /<done>/);
    expect(output.match(/Z/g)?.length).toBe(300_000);
    const sizes = client.frames
      .filter((f) => f.type === 'terminal_output')
      .map((f) => (f.data as { data: string }).data.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_FRAME_CHARS);
    await client.close();
  });

  /** Z characters among the terminal's output frames, and the characters its drop notices report. */
  const tally = (client: WsClient) => {
    let zs = 0;
    const dropped: number[] = [];
    for (const frame of client.frames) {
      if (frame.type !== 'terminal_output') continue;
      const data = (frame.data as { data: string }).data;
      for (let i = data.indexOf('Z'); i >= 0; i = data.indexOf('Z', i + 1)) zs += 1;
      for (const match of data.matchAll(/\[aura\] (\d+) characters of output were dropped/g)) {
        dropped.push(Number(match[1]));
      }
    }
    return { zs, dropped };
  };
  // Beyond the 16 MB unsent that gets a client cut off as a slow consumer.
  const flood = 24 * 1024 * 1024;
  const floodCommand = `head -c ${flood} /dev/zero | tr '\\0' '\\132'; exit`;

  it('pauses a pty that can pause while its socket is not read, and then delivers everything', async () => {
    const flowProject = await createProject(alice, 'Flow control');
    installPausablePty(await sandboxOf(flowProject.id));
    const client = await connect(alice, flowProject.id);
    const id = await openTerminal(client, 'flood');
    client.socket.pause();
    type(client, id, floodCommand);
    await until(
      'the terminal to wait for the socket',
      async () => terminalsOf(alice.id).find((t) => t.id === id)?.stalled,
      Boolean,
    );
    client.socket.resume();
    await client.waitFor((f) => f.type === 'terminal_exit');
    expect(tally(client)).toEqual({ zs: flood, dropped: [] });
    expect(await client.request('p', 'ping')).toEqual({ type: 'pong', id: 'p' });
    await client.close();
  });

  it('drops what the driver’s pty writes beyond the cap while its socket is not read, and says so', async () => {
    const client = await connect(alice);
    const id = await openTerminal(client, 'flood');
    client.socket.pause();
    type(client, id, floodCommand);
    // The whole flood is written while the client reads nothing: the server holds at most 1 MB of it.
    await until(
      'the flooding shell to exit',
      async () => terminalsOf(alice.id).some((t) => t.id === id),
      (open) => !open,
    );
    client.socket.resume();
    const exit = await client.waitFor((f) => f.type === 'terminal_exit');
    expect(client.frames.at(-1)).toBe(exit);
    const { zs, dropped } = tally(client);
    expect(dropped).toHaveLength(1);
    expect(zs).toBeLessThan(flood);
    expect(zs + dropped[0]!).toBeGreaterThanOrEqual(flood);
    expect(await client.request('p', 'ping')).toEqual({ type: 'pong', id: 'p' });
    await client.close();
  });

  it('resizes the terminal', async () => {
    const client = await connect(alice);
    const id = await openTerminal(client, 'open', { cols: 80, rows: 24 });
    type(client, id, 'stty size');
    await waitForOutput(client, id, /24 80/);
    expect(await client.request('r', 'terminal_resize', { terminalId: id, cols: 132, rows: 50 })).toEqual({
      type: 'ack',
      id: 'r',
      data: { terminalId: id, cols: 132, rows: 50 },
    });
    type(client, id, 'stty size');
    await waitForOutput(client, id, /50 132/);
    await client.close();
  });

  it('closes a terminal: terminal_exit follows the ack, the process is gone, the id is no longer valid', async () => {
    const client = await connect(alice);
    const id = await openTerminal(client, 'open');
    type(client, id, 'echo "<$$>"');
    await waitForOutput(client, id, /<\d+>/);
    const [info] = terminalsOf(alice.id).filter((t) => t.id === id);
    const pid = info?.pid;
    if (pid === undefined) throw new Error('the terminal has no pid');

    const from = client.frames.length;
    expect(await client.request('c', 'terminal_close', { terminalId: id })).toEqual({
      type: 'ack',
      id: 'c',
      data: { terminalId: id },
    });
    const exit = await client.waitFor((f) => f.type === 'terminal_exit', from);
    // Killed by a signal: no exit status.
    expect(exit).toEqual({ type: 'terminal_exit', data: { terminalId: id, exitCode: null } });
    await until(`terminal process ${pid} to be gone`, async () => processGone(pid), Boolean);
    expect(terminalsOf(alice.id).map((t) => t.id)).not.toContain(id);

    expect(await client.request('i', 'terminal_input', { terminalId: id, data: 'ls\r' })).toMatchObject({
      type: 'error',
      id: 'i',
      data: { code: 'not_found' },
    });
    expect(await client.request('c2', 'terminal_close', { terminalId: id })).toMatchObject({
      data: { code: 'not_found' },
    });
    await client.close();
  });

  it('reports the exit code when the shell exits by itself', async () => {
    const client = await connect(alice);
    const id = await openTerminal(client, 'open');
    type(client, id, 'exit 3');
    const exit = await client.waitFor((f) => f.type === 'terminal_exit');
    expect(exit.data).toEqual({ terminalId: id, exitCode: 3 });
    expect(terminalsOf(alice.id).map((t) => t.id)).not.toContain(id);
    await client.close();
  });

  it('kills the terminals of a socket when it closes, and only those', async () => {
    const keeper = await connect(alice);
    const kept = await openTerminal(keeper, 'k');
    const client = await connect(alice);
    const ids = [await openTerminal(client, 'a'), await openTerminal(client, 'b')];
    const pids = terminalsOf(alice.id)
      .filter((t) => ids.includes(t.id))
      .map((t) => t.pid);
    expect(pids).toHaveLength(2);

    client.drop();
    for (const pid of pids) {
      if (pid === undefined) throw new Error('a terminal has no pid');
      await until(`terminal process ${pid} to be gone`, async () => processGone(pid), Boolean);
    }
    await until(
      'the dropped socket’s terminals to leave the registry',
      async () => terminalsOf(alice.id).map((t) => t.id),
      (open) => open.includes(kept) && !ids.some((id) => open.includes(id)),
    );
    type(keeper, kept, "echo still''alive");
    await waitForOutput(keeper, kept, /stillalive/);
    await keeper.close();
  });

  it('lets only the socket that opened a terminal use it', async () => {
    const client = await connect(alice);
    const id = await openTerminal(client, 'open');
    const bobs = await createProject(bob, 'Bob’s');
    const intruder = await connect(bob, bobs.id);
    const sameUser = await connect(alice);

    for (const other of [intruder, sameUser]) {
      const attempts: [string, Record<string, unknown>][] = [
        ['terminal_input', { terminalId: id, data: 'echo "<in""truder>"\r' }],
        ['terminal_resize', { terminalId: id, cols: 10, rows: 10 }],
        ['terminal_close', { terminalId: id }],
      ];
      for (const [command, data] of attempts) {
        expect(await other.request('x', command, data)).toEqual({
          type: 'error',
          id: 'x',
          data: { code: 'not_found', message: 'Terminal not found' },
        });
      }
      expect(other.frames.some((f) => f.type === 'terminal_output')).toBe(false);
    }

    // None of it reached the shell: still open, old size, and no intruder output before this marker.
    type(client, id, 'stty size; echo "<mar""ker>"');
    const output = await waitForOutput(client, id, /<marker>/);
    expect(output).not.toContain('<intruder>');
    expect(output).toMatch(/24 80\r\n/);
    await Promise.all([client.close(), intruder.close(), sameUser.close()]);
  });

  it('answers unknown terminals and bad sizes with error frames', async () => {
    const client = await connect(alice);
    await client.waitFor((f) => f.type === 'hello');
    for (const [command, data] of [
      ['terminal_input', { terminalId: 'term_nope', data: 'ls\r' }],
      ['terminal_resize', { terminalId: 'term_nope', cols: 80, rows: 24 }],
      ['terminal_close', { terminalId: 'term_nope' }],
    ] as const) {
      expect(codeOf(await client.request('u', command, data))).toBe('not_found');
    }
    const badSizes = [
      { cols: 0, rows: 24 },
      { cols: 80, rows: 1001 },
      { cols: 80.5, rows: 24 },
      { cols: '80', rows: 24 },
      { cols: 80 },
    ];
    for (const size of badSizes) {
      expect(codeOf(await client.request('o', 'terminal_open', size))).toBe('invalid_command');
    }
    const id = await openTerminal(client, 'open');
    for (const size of badSizes) {
      expect(codeOf(await client.request('r', 'terminal_resize', { terminalId: id, ...size }))).toBe(
        'invalid_command',
      );
    }
    // Without an id nobody could learn the new terminal's id: refused, nothing opened.
    const before = terminalsOf(alice.id).length;
    const from = client.frames.length;
    client.send({ type: 'terminal_open', data: { cols: 80, rows: 24 } });
    expect(codeOf(await client.waitFor((f) => f.type === 'error', from))).toBe('invalid_command');
    expect(terminalsOf(alice.id)).toHaveLength(before);
    expect(
      codeOf(await client.request('big', 'terminal_input', { terminalId: id, data: 'x'.repeat(1_000_001) })),
    ).toBe('invalid_command');
    await client.close();
  });

  it('caps terminals per project and per user', async () => {
    const carol = await signUp(server, 'carol');
    const projects = await Promise.all(['One', 'Two', 'Three'].map((name) => createProject(carol, name)));
    const [one, two, three] = await Promise.all(projects.map((p) => connect(carol, p.id)));
    if (!one || !two || !three) throw new Error('sockets missing');

    const inOne = [];
    for (let i = 0; i < 4; i++) inOne.push(await openTerminal(one, `one${i}`));
    expect(await one.request('over', 'terminal_open', { cols: 80, rows: 24 })).toMatchObject({
      type: 'error',
      data: { code: 'too_many_terminals', message: expect.stringContaining('This project') },
    });
    for (let i = 0; i < 4; i++) await openTerminal(two, `two${i}`);
    expect(await three.request('over', 'terminal_open', { cols: 80, rows: 24 })).toMatchObject({
      type: 'error',
      data: { code: 'too_many_terminals', message: expect.stringContaining('You have 8') },
    });
    expect(terminalsOf(carol.id)).toHaveLength(8);

    // Another user is not held back by carol's terminals.
    const other = await connect(alice);
    await openTerminal(other, 'free');
    await other.close();

    // A slot frees once the closed terminal has exited.
    const from = one.frames.length;
    await one.request('c', 'terminal_close', { terminalId: inOne[0] });
    await one.waitFor((f) => f.type === 'terminal_exit', from);
    await openTerminal(three, 'again');
    await Promise.all([one.close(), two.close(), three.close()]);
    await until(
      'carol’s terminals to be gone',
      async () => terminalsOf(carol.id).length,
      (n) => n === 0,
    );
  });
});

describe('terminals at shutdown', () => {
  it('are killed when the server stops', async () => {
    const server = await startTestServer('sqlite');
    const user = await signUp(server, 'dave');
    const project = await createProject(user, 'Shutdown');
    const client = await WsClient.open(server, `/ws/${project.id}?${tokenQuery(user)}`);
    await openTerminal(client, 'open');
    const [info] = server.server.context.terminals.list();
    await server.close();
    await until('the terminal process to be gone', async () => processGone(info!.pid!), Boolean);
    expect(server.server.context.terminals.size).toBe(0);
    await expect(client.closed).resolves.toMatchObject({ code: 1001 });
  });
});

describe('terminal output to a slow socket', () => {
  /** A socket whose congestion the test switches by hand. */
  function fakeClient() {
    const frames: TerminalFrame[] = [];
    const drainListeners: (() => void)[] = [];
    const state = { congested: false, open: true };
    let closeSocket!: () => void;
    const client: TerminalClient = {
      get isOpen() {
        return state.open;
      },
      closed: new Promise((resolve) => {
        closeSocket = resolve;
      }),
      send: (frame) => frames.push(frame),
      congested: () => state.congested,
      whenDrained: (listener) => drainListeners.push(listener),
    };
    const drain = () => {
      state.congested = false;
      for (const listener of drainListeners.splice(0)) listener();
    };
    const close = () => {
      state.open = false;
      closeSocket();
      for (const listener of drainListeners.splice(0)) listener();
    };
    return { client, frames, state, drain, close, drainListeners };
  }
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  const text = (frames: TerminalFrame[]) =>
    frames.map((f) => (f.type === 'terminal_output' ? f.data.data : '')).join('');

  it('coalesces the chunks of one tick into one frame and sends the exit after them', async () => {
    const { client, frames } = fakeClient();
    const output = new TerminalOutput('t1', client);
    for (const chunk of ['a', 'b', 'c']) output.push(chunk);
    output.exit(0);
    await tick();
    expect(frames).toEqual([
      { type: 'terminal_output', data: { terminalId: 't1', data: 'abc' } },
      { type: 'terminal_exit', data: { terminalId: 't1', exitCode: 0 } },
    ]);
  });

  it('pauses the pty while the socket is congested and resumes it once drained, losing nothing', async () => {
    const socket = fakeClient();
    const flow = { paused: 0, resumed: 0 };
    const output = new TerminalOutput('t1', socket.client, {
      pause: () => flow.paused++,
      resume: () => flow.resumed++,
    });
    socket.state.congested = true;
    output.push('held ');
    await tick();
    output.push('back');
    await tick();
    expect(socket.frames).toEqual([]);
    expect(flow).toEqual({ paused: 1, resumed: 0 });
    expect(socket.drainListeners).toHaveLength(1);

    socket.drain();
    await tick();
    expect(text(socket.frames)).toBe('held back');
    expect(flow).toEqual({ paused: 1, resumed: 1 });
  });

  it('drops output beyond the cap and marks the gap, never splitting a surrogate pair', async () => {
    const socket = fakeClient();
    const output = new TerminalOutput('t1', socket.client);
    socket.state.congested = true;
    const held = `${'x'.repeat(MAX_FRAME_CHARS - 1)}😀${'y'.repeat(MAX_PENDING_CHARS - MAX_FRAME_CHARS - 1)}`;
    output.push(held);
    output.push('lost');
    output.push('also lost');
    await tick();
    socket.drain();
    await tick();
    output.push('after');
    await tick();

    const frames = socket.frames.map((f) => (f.type === 'terminal_output' ? f.data.data : ''));
    expect(Math.max(...frames.map((f) => f.length))).toBeLessThanOrEqual(MAX_FRAME_CHARS);
    expect(frames[0]).toBe('x'.repeat(MAX_FRAME_CHARS - 1));
    expect(frames[1]?.startsWith('😀')).toBe(true);
    expect(text(socket.frames)).toBe(
      `${held}\r\n[aura] 13 characters of output were dropped: the connection could not keep up.\r\nafter`,
    );
  });

  it('sends nothing more once the socket has closed', async () => {
    const socket = fakeClient();
    const flow = { paused: 0, resumed: 0 };
    const output = new TerminalOutput('t1', socket.client, {
      pause: () => flow.paused++,
      resume: () => flow.resumed++,
    });
    socket.state.congested = true;
    output.push('never');
    await tick();
    socket.close();
    output.exit(0);
    await tick();
    expect(socket.frames).toEqual([]);
    expect(flow).toEqual({ paused: 1, resumed: 1 });
  });
});

/**
 * A pty with node-pty's flow control (pause/resume), which the drivers' PtyProcess does not pass
 * through yet: a shell on node-pty in the sandbox's workspace, killed with its process group.
 */
function installPausablePty(sandbox: Sandbox): void {
  sandbox.openPty = async ({ cols, rows }) => {
    const pty = spawn('/bin/bash', ['--norc', '--noprofile', '-i'], {
      name: 'xterm-256color',
      cols,
      rows,
      cwd: sandbox.workspace,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: sandbox.workspace,
        TERM: 'xterm-256color',
        PS1: '$ ',
      },
    });
    const process_: Awaited<ReturnType<Sandbox['openPty']>> & { pause(): void; resume(): void } = {
      pid: pty.pid,
      onData: (listener) => void pty.onData(listener),
      onExit: (listener) => void pty.onExit(({ exitCode }) => listener(exitCode)),
      write: (data) => pty.write(data),
      resize: (c, r) => pty.resize(c, r),
      kill: () => {
        try {
          process.kill(-pty.pid, 'SIGKILL');
        } catch {
          pty.kill('SIGKILL');
        }
      },
      pause: () => pty.pause(),
      resume: () => pty.resume(),
    };
    return process_;
  };
}
