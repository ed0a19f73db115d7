import type { EventInput } from '@aura/protocol';
import { describe, expect, it } from 'vitest';
import { FileStreamer, stringValue } from './file-stream.ts';

describe('FileStreamer', () => {
  it('emits file_start once the path is known, content chunks as they stream, then file_end', () => {
    const events: EventInput[] = [];
    const streamer = new FileStreamer((e) => events.push(e));
    const input = JSON.stringify({ path: 'src/App.tsx', content: 'line "one"\n\tlinè two ✓\n' });
    streamer.handle({ phase: 'start', toolCallId: 'c1', toolName: 'write' });
    for (let i = 0; i < input.length; i += 5)
      streamer.handle({ phase: 'delta', toolCallId: 'c1', delta: input.slice(i, i + 5) });
    streamer.handle({ phase: 'end', toolCallId: 'c1' });
    expect(events[0]).toEqual({ type: 'file_start', data: { path: 'src/App.tsx' } });
    const chunks = events
      .filter((e) => e.type === 'file_chunk')
      .map((e) => (e.type === 'file_chunk' ? e.data.chunk : ''));
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.join('')).toBe('line "one"\n\tlinè two ✓\n');
    expect(events.at(-1)).toEqual({
      type: 'file_end',
      data: { path: 'src/App.tsx', bytes: Buffer.byteLength('line "one"\n\tlinè two ✓\n') },
    });
  });

  it('ignores tools other than write', () => {
    const events: EventInput[] = [];
    const streamer = new FileStreamer((e) => events.push(e));
    streamer.handle({ phase: 'start', toolCallId: 'c1', toolName: 'edit' });
    streamer.handle({ phase: 'delta', toolCallId: 'c1', delta: '{"path":"a","content":"x"}' });
    streamer.handle({ phase: 'end', toolCallId: 'c1' });
    expect(events).toEqual([]);
  });
});

describe('stringValue', () => {
  it('decodes partial JSON strings and waits on a cut escape', () => {
    expect(stringValue('{"content": "ab\\', 'content')).toEqual({ value: 'ab', complete: false });
    expect(stringValue('{"content": "ab\\u00e9"}', 'content')).toEqual({ value: 'abé', complete: true });
    expect(stringValue('{"content": "ab\\u00', 'content')).toEqual({ value: 'ab', complete: false });
    expect(stringValue('{"path": "x"}', 'content')).toBeUndefined();
  });
});
