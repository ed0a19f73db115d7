import { describe, expect, it } from 'vitest';
import { splitBlocks } from './blocks.ts';

describe('splitBlocks', () => {
  it('splits paragraphs, headings and tables at blank lines', () => {
    const source = '# Plan\n\nFirst paragraph\ncontinues here.\n\n| a | b |\n| - | - |\n| 1 | 2 |\n';
    expect(splitBlocks(source)).toEqual([
      '# Plan',
      'First paragraph\ncontinues here.',
      '| a | b |\n| - | - |\n| 1 | 2 |',
    ]);
  });

  it('keeps a fenced code block whole, blank lines included', () => {
    const source = 'Code:\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\nAfter.';
    expect(splitBlocks(source)).toEqual(['Code:', '```ts\nconst a = 1;\n\nconst b = 2;\n```', 'After.']);
  });

  it('closes a fence only with the same character and at least its length', () => {
    const source = '````md\n```\ninner\n```\n\n````\n\nNext';
    expect(splitBlocks(source)).toEqual(['````md\n```\ninner\n```\n\n````', 'Next']);
    expect(splitBlocks('~~~\n```\n\nstill code\n~~~')).toEqual(['~~~\n```\n\nstill code\n~~~']);
  });

  it('treats an unclosed fence, as while streaming, as running to the end', () => {
    expect(splitBlocks('Intro\n\n```py\ndef f():\n\n    return 1')).toEqual([
      'Intro',
      '```py\ndef f():\n\n    return 1',
    ]);
  });

  it('keeps loose lists, list continuations and quotes together', () => {
    expect(splitBlocks('1. one\n\n2. two\n\n   more of two\n\nEnd')).toEqual([
      '1. one\n\n2. two\n\n   more of two',
      'End',
    ]);
    expect(splitBlocks('> a\n\n> b\n\nc')).toEqual(['> a\n\n> b', 'c']);
  });

  it('gives finished blocks the same text as more arrives', () => {
    const full = 'One.\n\nTwo is longer.\n\n```js\nx()\n```';
    let previous: string[] = [];
    for (let end = 1; end <= full.length; end++) {
      const blocks = splitBlocks(full.slice(0, end));
      expect(blocks.slice(0, previous.length - 1)).toEqual(previous.slice(0, -1));
      previous = blocks;
    }
    expect(previous).toHaveLength(3);
  });

  it('leaves text with link definitions whole, and nothing for blank text', () => {
    const source = 'See [docs][1].\n\n[1]: https://example.com';
    expect(splitBlocks(source)).toEqual([source]);
    expect(splitBlocks('\n\n  \n')).toEqual([]);
  });
});
