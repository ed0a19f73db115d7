import type { UIMessageChunk } from 'ai';
import type { SessionFeed } from './feed.ts';
import { UiChunkTranslator } from './ui-chunks.ts';

/**
 * The run's UI message chunks, pulled from the feed only as fast as the client reads them.
 * Ends after the run's `finish`; cancelling (the client went away) closes only the feed.
 */
export function uiMessageStream(
  feed: SessionFeed,
  sessionId: string,
  runId: string,
  onError: (error: unknown) => void,
): ReadableStream<UIMessageChunk> {
  const translator = new UiChunkTranslator(sessionId, runId);
  let finished = false;
  const finish = (controller: ReadableStreamDefaultController<UIMessageChunk>) => {
    finished = true;
    feed.close();
    controller.close();
  };
  return new ReadableStream<UIMessageChunk>({
    async pull(controller) {
      for (;;) {
        let items: Awaited<ReturnType<SessionFeed['next']>>;
        try {
          items = await feed.next();
        } catch (error) {
          if (finished) return;
          onError(error);
          controller.enqueue({
            type: 'error',
            errorText: 'The server lost the event stream. The run goes on: reload the session to see it.',
          });
          return finish(controller);
        }
        if (finished) return;
        if (!items) return finish(controller);
        const chunks = items.flatMap((item) => translator.translate(item.envelope));
        for (const chunk of chunks) controller.enqueue(chunk);
        if (translator.done) return finish(controller);
        if (chunks.length > 0) return;
      }
    },
    cancel() {
      finished = true;
      feed.close();
    },
  });
}
