import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionSocket } from './session-socket.ts';
import { TerminalChannel, type TerminalListener } from './terminal-channel.ts';
import type { TransportHandlers } from './transport.ts';

/** The server end of a control-only socket: records commands, acks them when told. */
class FakeServer {
  sent: Record<string, unknown>[] = [];
  handlers: TransportHandlers | undefined;
  frame(value: unknown) {
    this.handlers?.onMessage(JSON.stringify(value));
  }
  commands(type: string) {
    return this.sent.filter((f) => f.type === type).map((f) => f.data);
  }
  /** Acks the newest command of `type` with `data`. */
  ack(type: string, data: Record<string, unknown>) {
    const command = this.sent.findLast((f) => f.type === type);
    if (!command) throw new Error(`no ${type} sent`);
    this.frame({ type: 'ack', id: command.id, data });
  }
  refuse(type: string, code: string, message: string) {
    const command = this.sent.findLast((f) => f.type === type);
    this.frame({ type: 'error', id: command?.id, data: { code, message } });
  }
}

function setup() {
  const server = new FakeServer();
  const socket = new SessionSocket({
    endpoint: 'ws://ide.test/ws/prj_1',
    sessionId: 'ses_1',
    events: false,
    network: { isOnline: () => true, subscribe: () => () => {} },
    random: () => 0.5,
    transport: (_url, handlers) => {
      server.handlers = handlers;
      server.sent = [];
      return {
        send: (text) => server.sent.push(JSON.parse(text) as Record<string, unknown>),
        close: () => {},
      };
    },
  });
  socket.start();
  server.frame({ type: 'hello', data: { sessionId: 'ses_1', projectId: 'prj_1', lastSeq: 4 } });
  const channel = new TerminalChannel(socket);
  return { server, socket, channel };
}

function recorder() {
  const heard: string[] = [];
  const listener: TerminalListener = {
    output: (data) => heard.push(`out:${data}`),
    exit: (code) => heard.push(`exit:${code}`),
    lost: () => heard.push('lost'),
  };
  return { heard, listener };
}

async function openOne(server: FakeServer, channel: TerminalChannel, id = 'term_1') {
  const { heard, listener } = recorder();
  const opening = channel.open({ cols: 80, rows: 24 }, listener);
  server.ack('terminal_open', { terminalId: id });
  return { handle: await opening, heard };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('TerminalChannel', () => {
  it('opens a terminal and routes only its own output and exit to it', async () => {
    const { server, channel } = setup();
    const first = await openOne(server, channel, 'term_1');
    const second = await openOne(server, channel, 'term_2');
    expect(server.commands('terminal_open')).toEqual([
      { cols: 80, rows: 24 },
      { cols: 80, rows: 24 },
    ]);
    server.frame({ type: 'terminal_output', data: { terminalId: 'term_1', data: 'a.txt\r\n' } });
    server.frame({ type: 'terminal_output', data: { terminalId: 'term_2', data: 'b' } });
    server.frame({ type: 'terminal_output', data: { terminalId: 'term_other', data: 'c' } });
    server.frame({ type: 'terminal_exit', data: { terminalId: 'term_1', exitCode: 0 } });
    server.frame({ type: 'terminal_output', data: { terminalId: 'term_1', data: 'late' } });
    expect(first.heard).toEqual(['out:a.txt\r\n', 'exit:0']);
    expect(second.heard).toEqual(['out:b']);
  });

  it('sends input, changed sizes only, and close, and stops listening once closed', async () => {
    const { server, channel } = setup();
    const { handle, heard } = await openOne(server, channel);
    handle.write('ls\r');
    handle.resize({ cols: 80, rows: 24 });
    handle.resize({ cols: 132.4, rows: 40 });
    handle.resize({ cols: 132, rows: 40 });
    handle.close();
    handle.write('ignored');
    handle.resize({ cols: 10, rows: 10 });
    handle.close();
    expect(server.commands('terminal_input')).toEqual([{ terminalId: 'term_1', data: 'ls\r' }]);
    expect(server.commands('terminal_resize')).toEqual([{ terminalId: 'term_1', cols: 132, rows: 40 }]);
    expect(server.commands('terminal_close')).toEqual([{ terminalId: 'term_1' }]);
    server.frame({ type: 'terminal_exit', data: { terminalId: 'term_1', exitCode: null } });
    expect(heard).toEqual([]);
  });

  it('tells every open terminal it is lost when the socket drops, and forgets them', async () => {
    const { server, socket, channel } = setup();
    const first = await openOne(server, channel, 'term_1');
    const second = await openOne(server, channel, 'term_2');
    server.handlers?.onClose(1006, '');
    expect(socket.status.state).toBe('offline');
    expect(first.heard).toEqual(['lost']);
    expect(second.heard).toEqual(['lost']);
    vi.advanceTimersByTime(60_000);
    server.frame({ type: 'hello', data: { sessionId: 'ses_1', projectId: 'prj_1', lastSeq: 4 } });
    server.frame({ type: 'terminal_output', data: { terminalId: 'term_1', data: 'x' } });
    expect(first.heard).toEqual(['lost']);
  });

  it('passes on the server refusing to open one', async () => {
    const { server, channel } = setup();
    const opening = channel.open({ cols: 80, rows: 24 }, recorder().listener);
    server.refuse('terminal_open', 'too_many_terminals', 'This project has 4 terminals open.');
    await expect(opening).rejects.toMatchObject({ code: 'too_many_terminals' });
  });

  it('fails at once while the socket is not online', async () => {
    const { server, channel } = setup();
    server.handlers?.onClose(1006, '');
    await expect(channel.open({ cols: 80, rows: 24 }, recorder().listener)).rejects.toMatchObject({
      code: 'offline',
    });
  });

  it('hears nothing after dispose', async () => {
    const { server, channel } = setup();
    const { heard } = await openOne(server, channel);
    channel.dispose();
    server.frame({ type: 'terminal_output', data: { terminalId: 'term_1', data: 'x' } });
    server.handlers?.onClose(1006, '');
    expect(heard).toEqual([]);
  });
});
