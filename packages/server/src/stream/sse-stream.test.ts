import { EventBus, openStore, type Store } from '@aura/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionFeed } from './feed.ts';
import { sseStream } from './sse-stream.ts';

describe('sseStream', () => {
  let store: Store;
  let bus: EventBus;
  let sessionId: string;

  beforeEach(async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    bus = new EventBus();
    sessionId = (await store.createSession({ directory: '/tmp/sse-test' })).id;
  });

  afterEach(async () => {
    await store.close();
  });

  it('frames events with id and event fields, sends heartbeats while idle, and closes the feed on cancel', async () => {
    const [saved] = await store.appendEvents(sessionId, [
      { type: 'session_updated', data: { title: 'Hi\nthere' } },
    ]);
    const feed = new SessionFeed({ store, bus }, sessionId, 0);
    const reader = sseStream(feed, { heartbeatMs: 5, onError: () => {} }).getReader();
    const decoder = new TextDecoder();

    const first = decoder.decode((await reader.read()).value);
    expect(first).toBe(`id: 1\nevent: session_updated\ndata: ${JSON.stringify(saved)}\n\n`);
    expect(first.split('\n\n')).toHaveLength(2);

    // Nothing more is published: the next chunk can only be a heartbeat comment.
    expect(decoder.decode((await reader.read()).value)).toBe(': ping\n\n');

    await reader.cancel();
    expect(feed.closed).toBe(true);
  });

  it('errors the stream when the store fails, and reports it', async () => {
    const broken = await openStore({ sqlitePath: ':memory:' });
    const session = await broken.createSession({ directory: '/tmp/sse-test' });
    const feed = new SessionFeed({ store: broken, bus }, session.id, 0);
    await broken.close();
    const errors: unknown[] = [];
    const reader = sseStream(feed, {
      heartbeatMs: 60_000,
      onError: (error) => errors.push(error),
    }).getReader();
    await expect(reader.read()).rejects.toThrow();
    expect(errors).toHaveLength(1);
    expect(feed.closed).toBe(true);
  });
});
