import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { EventEnvelope } from '@aura/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteApi } from '../src/remote/api-client.ts';
import type { RemoteError } from '../src/remote/errors.ts';
import { SessionEventStream } from '../src/remote/event-stream.ts';
import { SseParser } from '../src/remote/sse-parser.ts';

describe('SseParser', () => {
  it('parses events split at any point, with CRLF, comments and multi-line data', () => {
    const text =
      ': ping\r\n\r\nid: 1\r\nevent: text_delta\r\ndata: {"a":\r\ndata: 1}\r\n\r\nid: 2\ndata: plain\n\n: ping\n\nretry: 10\n\n';
    const whole = new SseParser().push(text);
    expect(whole).toEqual([
      { id: '1', event: 'text_delta', data: '{"a":\n1}' },
      { id: '2', event: 'message', data: 'plain' },
    ]);
    for (let size = 1; size <= 7; size++) {
      const parser = new SseParser();
      const pieces: ReturnType<SseParser['push']> = [];
      for (let i = 0; i < text.length; i += size) pieces.push(...parser.push(text.slice(i, i + size)));
      expect(pieces, `pieces of ${size}`).toEqual(whole);
    }
  });

  it('keeps an event without a blank line after it until one arrives', () => {
    const parser = new SseParser();
    expect(parser.push('id: 1\ndata: x\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ id: '1', event: 'message', data: 'x' }]);
  });
});

/** A stand-in for the server's SSE route: each connection is handled by the next scripted step. */
type Step = (request: IncomingMessage, response: ServerResponse) => void;

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function sseServer(steps: Step[]) {
  const lastEventIds: (string | undefined)[] = [];
  const authorizations: (string | undefined)[] = [];
  const server = createServer((request, response) => {
    lastEventIds.push(request.headers['last-event-id'] as string | undefined);
    authorizations.push(request.headers.authorization);
    const step = steps.shift();
    if (!step) {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      return;
    }
    step(request, response);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}`, lastEventIds, authorizations, server };
}

const envelope = (seq: number) =>
  `id: ${seq}\nevent: text_delta\ndata: ${JSON.stringify({
    seq,
    sessionId: 'ses_1',
    ts: seq,
    type: 'text_delta',
    data: { messageId: 'msg_1', delta: `d${seq}` },
  })}\n\n`;

const sends =
  (seqs: number[], end: 'close' | 'destroy' | 'hold' = 'close'): Step =>
  (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    // Written out before the connection is dropped, so the client has them when it breaks.
    response.write(seqs.map(envelope).join(''), () => {
      if (end === 'close') response.end();
      if (end === 'destroy') response.socket?.destroy();
    });
  };

function follow(url: string, opts: { since?: number; stallMs?: number } = {}) {
  const events: EventEnvelope[] = [];
  const notices: string[] = [];
  const fatal: RemoteError[] = [];
  const stream = new SessionEventStream({
    api: new RemoteApi(url, 'aura_pat_test'),
    sessionId: 'ses_1',
    since: opts.since ?? 0,
    onEvent: (event) => events.push(event),
    onNotice: (message) => notices.push(message),
    onFatal: (error) => fatal.push(error),
    backoff: { initialMs: 5, maxMs: 20 },
    ...(opts.stallMs ? { stallMs: opts.stallMs } : {}),
  });
  stream.start();
  return { stream, events, notices, fatal };
}

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('SessionEventStream', () => {
  it('resumes after the last delivered seq, drops replayed duplicates and refetches a gap', async () => {
    const sse = await sseServer([
      sends([1, 2, 3], 'destroy'),
      // A server replaying too much: 2 and 3 again.
      sends([2, 3, 4, 5], 'close'),
      // A gap after 6: the stream reconnects from 6 instead of delivering 8.
      sends([6, 8], 'hold'),
      sends([7, 8, 9], 'hold'),
    ]);
    const { stream, events, notices } = follow(sse.url);
    await until(() => events.length === 9, '9 events');
    await stream.close();
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sse.lastEventIds).toEqual(['0', '3', '5', '6']);
    expect(sse.authorizations.every((value) => value === 'Bearer aura_pat_test')).toBe(true);
    expect(notices[0]).toMatch(/^Lost the event stream/);
    expect(notices).toContain(`Reconnected to ${sse.url}; no events were missed.`);
    expect(notices.join(' ')).not.toContain('aura_pat_test');
  });

  it('starts after `since` and reconnects a connection that goes silent', async () => {
    const sse = await sseServer([sends([5], 'hold'), sends([6], 'hold')]);
    const { stream, events, notices } = follow(sse.url, { since: 4, stallMs: 100 });
    await until(() => events.length === 2, 'two events');
    await stream.close();
    expect(events.map((e) => e.seq)).toEqual([5, 6]);
    expect(sse.lastEventIds).toEqual(['4', '5']);
    expect(notices[0]).toBe('Lost the event stream (no data for 0 s); reconnecting…');
  });

  it('reconnects past data that is not an Aura event', async () => {
    const sse = await sseServer([
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(`${envelope(1)}data: {not json\n\n`);
      },
      sends([2], 'hold'),
    ]);
    const { stream, events, notices } = follow(sse.url);
    await until(() => events.length === 2, 'two events');
    await stream.close();
    expect(notices[0]).toBe(
      'Lost the event stream (the server sent an event that is not an Aura event of this session); reconnecting…',
    );
  });

  it('stops for good, saying why, when the token is refused or the session is gone', async () => {
    for (const [status, code, expected] of [
      [401, 'unauthorized', /refused the token \(401\)/],
      [404, 'not_found', /^Session not found$/],
    ] as const) {
      const sse = await sseServer([
        (_request, response) => {
          response.writeHead(status, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: { code, message: 'Session not found' } }));
        },
      ]);
      const { stream, fatal } = follow(sse.url);
      await until(() => fatal.length === 1, 'the stream to give up');
      expect(fatal[0]?.message).toMatch(expected);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sse.lastEventIds).toHaveLength(1);
      await stream.close();
    }
  });

  it('keeps retrying, with backoff, while the server is down, and closes promptly', async () => {
    const sse = await sseServer([]);
    const url = sse.url;
    sse.server.close();
    const { stream, events, notices } = follow(url);
    await until(() => notices.length === 1, 'the outage notice');
    expect(notices[0]).toMatch(
      /^Lost the event stream \(Cannot reach the Aura server at http:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/,
    );
    await stream.close();
    expect(events).toEqual([]);
  });
});
