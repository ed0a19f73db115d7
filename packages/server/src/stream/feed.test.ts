import { EventBus, openStore, type Store } from '@aura/engine';
import type { EventEnvelope, EventInput } from '@aura/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FeedItem, SessionFeed } from './feed.ts';

const delta = (i: number): EventInput => ({
  type: 'text_delta',
  data: { messageId: 'msg_1', delta: `d${i}` },
});
const seqsOf = (items: FeedItem[]) => items.map((item) => item.envelope.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Everything the feed hands out until it has reached `last`. */
async function drain(feed: SessionFeed, last: number): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  while (feed.cursor < last) {
    const batch = await feed.next();
    if (!batch) break;
    items.push(...batch);
  }
  return items;
}

describe('SessionFeed', () => {
  let store: Store;
  let bus: EventBus;
  let sessionId: string;

  /** Persists events the way the engine does, and publishes them only if asked. */
  const persist = async (from: number, to: number) =>
    store.appendEvents(sessionId, range(from, to).map(delta));
  const publish = (envelopes: EventEnvelope[]) => {
    for (const envelope of envelopes) bus.publish(envelope);
  };

  beforeEach(async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    bus = new EventBus();
    sessionId = (await store.createSession({ directory: '/tmp/feed-test' })).id;
  });

  afterEach(async () => {
    await store.close();
  });

  it('replays the store after the cursor, then continues live', async () => {
    publish(await persist(1, 5));
    const feed = new SessionFeed({ store, bus }, sessionId, 2);
    const replayed = await feed.next();
    expect(seqsOf(replayed ?? [])).toEqual([3, 4, 5]);
    const pending = feed.next();
    publish(await persist(6, 7));
    expect(seqsOf((await pending) ?? [])).toEqual([6, 7]);
    expect(feed.cursor).toBe(7);
    feed.close();
  });

  it('hands out events persisted before the subscription but published after it exactly once', async () => {
    publish(await persist(1, 3));
    const late = await persist(4, 6); // saved, not yet published
    const feed = new SessionFeed({ store, bus }, sessionId, 0);
    publish(late);
    publish(await persist(7, 8));
    expect(seqsOf(await drain(feed, 8))).toEqual(range(1, 8));
    feed.close();
  });

  it('fills a gap in the live events from the store', async () => {
    const feed = new SessionFeed({ store, bus }, sessionId, 0);
    const saved = await persist(1, 4);
    // Published out of order, as two writers on one session could.
    publish([saved[0]!, saved[2]!, saved[1]!, saved[3]!]);
    expect(seqsOf(await drain(feed, 4))).toEqual([1, 2, 3, 4]);
    feed.close();
  });

  it('drops its buffer for a consumer that falls behind and catches it up from the store', async () => {
    const limits = { maxBufferedEvents: 5, maxBufferedBytes: 1_000_000, pageSize: 4 };
    const feed = new SessionFeed({ store, bus }, sessionId, 0, limits);
    for (let i = 1; i <= 40; i++) publish(await persist(i, i));
    expect(feed.overflows).toBeGreaterThan(0);
    expect(seqsOf(await drain(feed, 40))).toEqual(range(1, 40));
    feed.close();
  });

  it('caps the buffer by size as well as by count', async () => {
    const limits = { maxBufferedEvents: 1_000, maxBufferedBytes: 500, pageSize: 100 };
    const feed = new SessionFeed({ store, bus }, sessionId, 0, limits);
    publish(await persist(1, 20));
    expect(feed.overflows).toBeGreaterThan(0);
    expect(seqsOf(await drain(feed, 20))).toEqual(range(1, 20));
    feed.close();
  });

  it('limits each batch by events and by size', async () => {
    publish(await persist(1, 10));
    const feed = new SessionFeed({ store, bus }, sessionId, 0);
    expect(seqsOf((await feed.next({ maxEvents: 3, maxChars: 1_000_000 })) ?? [])).toEqual([1, 2, 3]);
    const pending = feed.next({ maxEvents: 100, maxChars: 1 });
    expect(seqsOf((await pending) ?? [])).toHaveLength(1);
    feed.close();
  });

  it('resolves a waiting next() with undefined on close and stops listening', async () => {
    const feed = new SessionFeed({ store, bus }, sessionId, 0);
    const pending = feed.next();
    feed.close();
    expect(await pending).toBeUndefined();
    publish(await persist(1, 1));
    expect(await feed.next()).toBeUndefined();
  });
});
