import { describe, expect, it } from 'vitest';
import { CappedCapture, decodeTail, RingBuffer } from './output.ts';

describe('RingBuffer', () => {
  it('keeps the last bytes and counts what it dropped', () => {
    const ring = new RingBuffer(5);
    ring.push(Buffer.from('abc'));
    ring.push(Buffer.from('defg'));
    expect(ring.bytes().toString()).toBe('cdefg');
    expect(ring.droppedBytes).toBe(2);
    ring.push(Buffer.from('0123456789'));
    expect(ring.bytes().toString()).toBe('56789');
    expect(ring.droppedBytes).toBe(12);
  });
});

describe('decodeTail', () => {
  it('skips a partial UTF-8 character at the start', () => {
    const bytes = Buffer.from('é€x');
    expect(decodeTail(bytes.subarray(1))).toBe('€x');
  });
});

describe('CappedCapture', () => {
  it('returns everything under the budget', () => {
    const capture = new CappedCapture(100);
    capture.push('stdout', Buffer.from('hello '));
    capture.push('stderr', Buffer.from('oops'));
    capture.push('stdout', Buffer.from('world'));
    expect(capture.text('stdout')).toBe('hello world');
    expect(capture.text('stderr')).toBe('oops');
    expect(capture.truncated).toBe(false);
  });

  it('keeps head and tail when over budget', () => {
    const capture = new CappedCapture(20);
    capture.push('stdout', Buffer.from('HEADHEADHE'));
    for (let i = 0; i < 100; i++) capture.push('stdout', Buffer.from('-'));
    capture.push('stdout', Buffer.from('TAIL!'));
    const text = capture.text('stdout');
    expect(capture.truncated).toBe(true);
    expect(text.startsWith('HEADHEADHE')).toBe(true);
    expect(text.endsWith('TAIL!')).toBe(true);
    expect(text).toContain('bytes of output omitted');
  });
});
