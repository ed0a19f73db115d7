import type { FeedItem, SessionFeed } from './feed.ts';

export interface SseStreamOptions {
  heartbeatMs: number;
  onError(error: unknown): void;
}

const encoder = new TextEncoder();

/** One SSE event per envelope: `id` is the seq, so a reconnecting EventSource resumes after it. */
export function formatSseEvent({ envelope, json }: FeedItem): string {
  return `id: ${envelope.seq}\nevent: ${envelope.type}\ndata: ${json}\n\n`;
}

/**
 * A pull-based body: the next batch is taken from the feed only when the HTTP layer has written
 * the previous one, so a slow client leaves its events in the feed (capped) rather than in
 * socket buffers.
 */
export function sseStream(feed: SessionFeed, options: SseStreamOptions): ReadableStream<Uint8Array> {
  let heartbeat: NodeJS.Timeout | undefined;
  let finished = false;
  const finish = () => {
    finished = true;
    clearInterval(heartbeat);
    feed.close();
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        heartbeat = setInterval(() => {
          // Only into an empty queue: a client that reads nothing does not collect pings.
          if ((controller.desiredSize ?? 0) > 0) controller.enqueue(encoder.encode(': ping\n\n'));
        }, options.heartbeatMs);
        heartbeat.unref();
      },
      async pull(controller) {
        let items: FeedItem[] | undefined;
        try {
          items = await feed.next();
        } catch (error) {
          if (finished) return;
          finish();
          options.onError(error);
          controller.error(error);
          return;
        }
        if (finished) return;
        if (!items) {
          finish();
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(items.map(formatSseEvent).join('')));
      },
      cancel() {
        finish();
      },
    },
    { highWaterMark: 1 },
  );
}
