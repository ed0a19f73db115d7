import { describe, expect, it } from 'vitest';
import { lineBreakOf, minimalChange, reloadChange } from './text-change.ts';

const apply = (text: string, change: { from: number; to: number; insert: string }) =>
  text.slice(0, change.from) + change.insert + text.slice(change.to);

describe('minimalChange', () => {
  it.each([
    ['abc', 'abc'],
    ['', 'new file\n'],
    ['old\n', ''],
    ['const a = 1;\nconst b = 2;\n', 'const a = 1;\nconst b = 3;\n'],
    ['aaa', 'aaaa'],
    ['line 1\nline 2\n', 'line 0\nline 1\nline 2\n'],
    ['x\ny\nz\n', 'x\nz\n'],
  ])('turns %j into %j', (before, after) => {
    expect(apply(before, minimalChange(before, after))).toBe(after);
  });

  it('replaces only what differs', () => {
    expect(minimalChange('const b = 2;', 'const b = 3;')).toEqual({ from: 10, to: 11, insert: '3' });
    expect(minimalChange('same', 'same')).toEqual({ from: 4, to: 4, insert: '' });
  });
});

describe('lineBreakOf', () => {
  it('keeps CRLF files as they are', () => {
    expect(lineBreakOf('a\r\nb\r\n')).toBe('\r\n');
    expect(lineBreakOf('a\nb\n')).toBeNull();
    expect(lineBreakOf('')).toBeNull();
  });
});

describe('reloadChange', () => {
  it('counts positions with one-character line breaks and inserts CRLF into a CRLF file', () => {
    expect(reloadChange('a\nb\n', 'a\r\nc\r\nb\r\n', '\r\n')).toEqual({ from: 2, to: 2, insert: 'c\r\n' });
    expect(reloadChange('a\nb\n', 'a\nc\nb\n', null)).toEqual({ from: 2, to: 2, insert: 'c\n' });
  });
});
