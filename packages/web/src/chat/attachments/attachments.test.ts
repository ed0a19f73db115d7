import { describe, expect, it } from 'vitest';
import {
  addAttachment,
  type ChatAttachment,
  fromProtocol,
  MAX_ATTACHMENTS,
  MAX_IMAGE_CHARS,
  mediaTypeOfPath,
  toProtocol,
} from './attachments.ts';

const image = (name: string, size: number): ChatAttachment => ({
  kind: 'image',
  name,
  mediaType: 'image/png',
  dataUrl: `data:image/png;base64,${'A'.repeat(size)}`,
});

describe('addAttachment', () => {
  it('adds once, ignoring the same file or image again', () => {
    const first = addAttachment([], { kind: 'file', path: 'src/a.ts' });
    expect(first).toEqual({ list: [{ kind: 'file', path: 'src/a.ts' }], problem: null });
    const again = addAttachment(first.list, { kind: 'file', path: 'src/a.ts' });
    expect(again.list).toBe(first.list);
    expect(again.problem).toBeNull();
  });

  it('refuses beyond the count limit and beyond the image budget', () => {
    const full = Array.from(
      { length: MAX_ATTACHMENTS },
      (_, i): ChatAttachment => ({ kind: 'file', path: `f${i}` }),
    );
    expect(addAttachment(full, { kind: 'file', path: 'one-more' }).problem).toMatch(/at most 20/);
    const big = addAttachment([], image('big.png', MAX_IMAGE_CHARS - 1_000));
    expect(big.problem).toBeNull();
    const second = addAttachment(big.list, image('second.png', 2_000));
    expect(second.problem).toMatch(/second\.png does not fit/);
    expect(second.list).toBe(big.list);
  });
});

describe('protocol attachments', () => {
  it('sends files as workspace paths and images as data URLs', () => {
    expect(toProtocol({ kind: 'file', path: 'src/App.tsx' })).toEqual({
      mediaType: 'text/typescript',
      filename: 'src/App.tsx',
      url: 'src/App.tsx',
    });
    const png = image('shot.png', 4);
    expect(toProtocol(png)).toEqual({
      mediaType: 'image/png',
      filename: 'shot.png',
      url: 'data:image/png;base64,AAAA',
    });
    expect(fromProtocol(toProtocol(png))).toEqual(png);
    expect(fromProtocol({ mediaType: 'text/plain', url: 'notes.txt' })).toEqual({
      kind: 'file',
      path: 'notes.txt',
    });
  });

  it('guesses a media type from the extension', () => {
    expect(mediaTypeOfPath('README.md')).toBe('text/markdown');
    expect(mediaTypeOfPath('logo.PNG')).toBe('image/png');
    expect(mediaTypeOfPath('Makefile')).toBe('text/plain');
    expect(mediaTypeOfPath('odd.constructor')).toBe('text/plain');
  });
});
