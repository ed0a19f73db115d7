import type { EventEnvelope } from '@aura/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay } from './backoff.ts';
import { type ConnectionStatus, SessionSocket } from './session-socket.ts';
import type { NetworkMonitor, TransportHandlers } from './transport.ts';

/** A stand-in server end: records what the client sent and lets the test answer. */
class FakeConnection {
  readonly sent: Record<string, unknown>[] = [];
  closedWith: number | undefined;
  readonly url: string;
  readonly handlers: TransportHandlers;
  constructor(url: string, handlers: TransportHandlers) {
    this.url = url;
    this.handlers = handlers;
  }
  frame(value: unknown) {
    this.handlers.onMessage(JSON.stringify(value));
  }
  hello(lastSeq: number, sessionId = 'ses_1') {
    this.frame({ type: 'hello', data: { sessionId, projectId: 'prj_1', lastSeq } });
  }
  /** The client's last resume, acked as the server would. */
  ackResume() {
    const resume = this.sent.findLast((f) => f.type === 'resume');
    if (!resume) throw new Error('no resume sent');
    this.frame({ type: 'ack', id: resume.id, data: {} });
    return (resume.data as { since: number }).since;
  }
  events(...seqs: number[]) {
    for (const seq of seqs) this.frame(event(seq));
  }
  drop(code = 1006) {
    this.handlers.onClose(code, '');
  }
  commands(type: string) {
    return this.sent.filter((f) => f.type === type);
  }
}

function event(seq: number): EventEnvelope {
  return { seq, sessionId: 'ses_1', ts: seq, type: 'text_delta', data: { messageId: 'a1', delta: `${seq}` } };
}

class FakeNetwork implements NetworkMonitor {
  online = true;
  listener: ((online: boolean) => void) | undefined;
  isOnline = () => this.online;
  subscribe(onChange: (online: boolean) => void) {
    this.listener = onChange;
    return () => {
      this.listener = undefined;
    };
  }
  set(online: boolean) {
    this.online = online;
    this.listener?.(online);
  }
}

function setup(options: { sessionId?: string; events?: boolean } = {}) {
  const connections: FakeConnection[] = [];
  const network = new FakeNetwork();
  const socket = new SessionSocket({
    endpoint: 'ws://ide.test/ws/prj_1',
    ...options,
    network,
    random: () => 0.5,
    transport: (url, handlers) => {
      const connection = new FakeConnection(url, handlers);
      connections.push(connection);
      return {
        send: (text) => connection.sent.push(JSON.parse(text) as Record<string, unknown>),
        close: (code) => {
          connection.closedWith = code;
        },
      };
    },
  });
  const seen: number[] = [];
  const statuses: ConnectionStatus[] = [];
  socket.on('event', (e) => seen.push(e.seq));
  socket.on('status', (s) => statuses.push(s));
  socket.start();
  const last = () => connections.at(-1)!;
  /** Connects the newest transport as far as online. */
  const open = (lastSeq: number) => {
    last().hello(lastSeq);
    return last().ackResume();
  };
  return { socket, connections, network, seen, statuses, last, open };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('SessionSocket', () => {
  it('sends resume from 0 after hello and goes online when it is acked', () => {
    const { socket, last, seen } = setup();
    expect(socket.status).toEqual({ state: 'connecting', attempt: 0 });
    last().hello(3);
    expect(last().commands('resume')).toEqual([
      { id: expect.any(String), type: 'resume', data: { since: 0 } },
    ]);
    expect(socket.status.state).toBe('connecting');
    last().ackResume();
    expect(socket.status).toEqual({ state: 'online' });
    last().events(1, 2, 3);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('reconnects to the same session and resumes after the last event, without duplicates', () => {
    const { connections, last, open, seen } = setup();
    open(0);
    last().events(1, 2, 3);
    last().drop();
    vi.advanceTimersByTime(60_000);
    expect(connections).toHaveLength(2);
    expect(last().url).toBe('ws://ide.test/ws/prj_1?session=ses_1');
    expect(open(5)).toBe(3);
    last().events(3, 4, 5);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('waits longer after each failed attempt, with jitter, up to the cap', () => {
    const { connections, last, statuses } = setup();
    for (let attempt = 0; attempt < 8; attempt++) {
      const before = connections.length;
      last().drop();
      const wait = backoffDelay(attempt, () => 0.5);
      vi.advanceTimersByTime(wait - 1);
      expect(connections).toHaveLength(before);
      vi.advanceTimersByTime(1);
      expect(connections).toHaveLength(before + 1);
    }
    const offline = statuses.filter((s) => s.state === 'offline');
    expect(offline.map((s) => s.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(backoffDelay(3, () => 0)).toBe(2_000);
    expect(backoffDelay(3, () => 1)).toBe(4_000);
    expect(backoffDelay(40, () => 1)).toBe(30_000);
  });

  it('starts the backoff over once a connection is back online', () => {
    const { connections, last, open } = setup();
    last().drop();
    vi.advanceTimersByTime(backoffDelay(0, () => 0.5));
    last().drop();
    vi.advanceTimersByTime(backoffDelay(1, () => 0.5));
    open(0);
    last().drop();
    vi.advanceTimersByTime(backoffDelay(0, () => 0.5));
    expect(connections).toHaveLength(4);
  });

  it('queues commands sent while offline and sends them, in order, after the resume', async () => {
    const { socket, last, open } = setup();
    open(0);
    last().drop();
    const first = socket.send({ type: 'send', data: { text: 'one' } });
    const second = socket.send({ type: 'send', data: { text: 'two' } });
    expect(socket.queued.map((q) => q.command)).toEqual([
      { type: 'send', data: { text: 'one' } },
      { type: 'send', data: { text: 'two' } },
    ]);
    vi.advanceTimersByTime(60_000);
    last().hello(0);
    expect(last().commands('send')).toEqual([]);
    last().ackResume();
    const sent = last().commands('send');
    expect(sent.map((f) => (f.data as { text: string }).text)).toEqual(['one', 'two']);
    expect(socket.queued).toEqual([]);
    last().frame({ type: 'ack', id: sent[0]!.id, data: { runId: 'r1' } });
    last().frame({
      type: 'error',
      id: sent[1]!.id,
      data: { code: 'run_active', message: 'A run is active.' },
    });
    await expect(first).resolves.toEqual({ runId: 'r1' });
    await expect(second).rejects.toMatchObject({ code: 'run_active', message: 'A run is active.' });
  });

  it('fails commands that were sent but not answered when the connection drops', async () => {
    const { socket, last, open } = setup();
    open(0);
    const pending = socket.send({ type: 'cancel', data: {} });
    last().drop();
    await expect(pending).rejects.toMatchObject({ code: 'connection_lost' });
  });

  it('refuses unqueueable commands while offline, and lets queued ones be taken back', async () => {
    const { socket, last } = setup();
    last().drop();
    await expect(
      socket.send({ type: 'terminal_open', data: { cols: 80, rows: 24 } }, { queue: false }),
    ).rejects.toMatchObject({ code: 'offline' });
    const queued = socket.send({ type: 'send', data: { text: 'later' } });
    socket.unqueue(socket.queued[0]!.id);
    await expect(queued).rejects.toMatchObject({ code: 'cancelled' });
    expect(socket.queued).toEqual([]);
  });

  it('asks again from its cursor when an event is missing, and delivers in order', () => {
    const { last, open, seen } = setup();
    open(0);
    last().events(1, 2, 4, 5);
    expect(seen).toEqual([1, 2]);
    expect(last().commands('resume').at(-1)?.data).toEqual({ since: 2 });
    expect(last().commands('resume')).toHaveLength(2);
    last().ackResume();
    last().events(3, 4, 5);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('starts over from 0 when the server has fewer events than it saw', () => {
    const { socket, last, open, seen } = setup();
    const resets: number[] = [];
    socket.on('reset', () => resets.push(socket.cursor));
    open(0);
    last().events(1, 2, 3);
    last().drop();
    vi.advanceTimersByTime(60_000);
    expect(open(1)).toBe(0);
    expect(resets).toEqual([0]);
    last().events(1);
    expect(seen).toEqual([1, 2, 3, 1]);
  });

  it('gives up for good when the session is gone', async () => {
    const { socket, connections, last } = setup({ sessionId: 'ses_gone' });
    expect(last().url).toBe('ws://ide.test/ws/prj_1?session=ses_gone');
    const queued = socket.send({ type: 'send', data: { text: 'hi' } });
    last().drop(4404);
    expect(socket.status).toEqual({ state: 'closed', reason: 'This session no longer exists.' });
    await expect(queued).rejects.toMatchObject({ code: 'closed' });
    vi.advanceTimersByTime(120_000);
    expect(connections).toHaveLength(1);
  });

  it('waits for the network instead of retrying while the browser is offline', () => {
    const { socket, connections, network, last, open } = setup();
    open(0);
    network.set(false);
    expect(last().closedWith).toBe(4000);
    expect(socket.status).toEqual({ state: 'offline', attempt: 0, retryAt: null });
    vi.advanceTimersByTime(120_000);
    expect(connections).toHaveLength(1);
    network.set(true);
    expect(connections).toHaveLength(2);
    expect(socket.status.state).toBe('connecting');
  });

  it('reconnects when the server stops answering pings', () => {
    const { connections, last, open } = setup();
    open(0);
    vi.advanceTimersByTime(25_000);
    expect(last().commands('ping')).toHaveLength(1);
    vi.advanceTimersByTime(10_000);
    expect(connections[0]?.closedWith).toBe(4000);
    vi.advanceTimersByTime(backoffDelay(0, () => 0.5));
    expect(connections).toHaveLength(2);
  });

  it('stays connected while pings are answered', () => {
    const { connections, last, open } = setup();
    open(0);
    for (let i = 0; i < 3; i++) {
      vi.advanceTimersByTime(25_000);
      last().frame({ type: 'pong' });
    }
    vi.advanceTimersByTime(9_000);
    expect(connections).toHaveLength(1);
    expect(last().closedWith).toBeUndefined();
  });

  it('retries at once on request and ignores a late close of a replaced socket', () => {
    const { socket, connections, last } = setup();
    const first = last();
    first.drop();
    socket.retryNow();
    expect(connections).toHaveLength(2);
    first.drop();
    expect(socket.status.state).toBe('connecting');
  });

  it('hands terminal frames and unsolicited errors to control listeners', () => {
    const { socket, last, open } = setup();
    const frames: string[] = [];
    socket.on('control', (f) => frames.push(f.type));
    open(0);
    last().frame({ type: 'terminal_output', data: { terminalId: 't', data: 'ls\r\n' } });
    last().frame({ type: 'error', data: { code: 'invalid_json', message: 'bad' } });
    last().frame({ nonsense: true });
    expect(frames).toEqual(['terminal_output', 'error']);
  });

  it('goes online at hello without resuming when it carries no events', async () => {
    const { socket, last, seen } = setup({ events: false });
    last().hello(7);
    expect(socket.status).toEqual({ state: 'online' });
    expect(last().commands('resume')).toEqual([]);
    const opened = socket.send({ type: 'terminal_open', data: { cols: 80, rows: 24 } }, { queue: false });
    const [open] = last().commands('terminal_open');
    last().frame({ type: 'ack', id: open!.id, data: { terminalId: 'term_1' } });
    await expect(opened).resolves.toEqual({ terminalId: 'term_1' });
    expect(seen).toEqual([]);
  });

  it('closes and rejects everything on stop', async () => {
    const { socket, last, open } = setup();
    open(0);
    const inflight = socket.send({ type: 'get_state', data: {} });
    socket.stop();
    expect(last().closedWith).toBe(1000);
    expect(socket.status.state).toBe('closed');
    await expect(inflight).rejects.toMatchObject({ code: 'closed' });
    vi.advanceTimersByTime(120_000);
    expect(socket.status.state).toBe('closed');
  });
});
