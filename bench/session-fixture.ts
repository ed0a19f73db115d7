// The 1,000-message session the session-loading benchmarks read back, and how they time a load.
import type { Store } from '@aura/engine';
import type { MessagePart } from '@aura/protocol';
import { ms, stats } from './table.ts';

export const sessionLength = 1_000;

/** User prose, and answers that each read a file. */
export async function seedMessages(store: Pick<Store, 'createMessage'>, sessionId: string): Promise<void> {
  const body = 'Some realistic assistant prose with `code` and a list of steps. '.repeat(6);
  for (let i = 0; i < sessionLength; i++) {
    const parts: MessagePart[] =
      i % 2 === 0
        ? [{ type: 'text', text: body }]
        : [
            { type: 'text', text: body },
            {
              type: 'tool',
              toolCallId: `c${i}`,
              tool: 'read',
              input: { path: 'src/app.ts' },
              state: 'completed',
              output: body,
            },
          ];
    await store.createMessage({ sessionId, role: i % 2 === 0 ? 'user' : 'assistant', parts });
  }
}

/** `times` loads of the whole session, each checked for all its messages. */
export async function sampleLoads(times: number, load: () => Promise<{ length: number }>) {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    const messages = await load();
    samples.push(performance.now() - start);
    if (messages.length !== sessionLength) throw new Error(`wrong count: ${messages.length}`);
  }
  const s = stats(samples);
  return { median: ms(s.median), p95: ms(s.p95), max: ms(s.max) };
}
