import { describe, expect, it } from 'vitest';
import { type DiffOp, diffLines, splitLines } from './line-diff.ts';

/** Applies a diff to the old lines: the result must be the new lines. */
function replay(ops: DiffOp[]): { before: string[]; after: string[] } {
  return {
    before: ops.filter((op) => op.kind !== 'insert').map((op) => op.line),
    after: ops.filter((op) => op.kind !== 'delete').map((op) => op.line),
  };
}

const changes = (ops: DiffOp[]) => ops.filter((op) => op.kind !== 'equal').length;

describe('diffLines', () => {
  it('finds the minimal edit between two versions', () => {
    const ops = diffLines(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e']);
    expect(ops).toEqual([
      { kind: 'equal', line: 'a' },
      { kind: 'delete', line: 'b' },
      { kind: 'insert', line: 'x' },
      { kind: 'equal', line: 'c' },
      { kind: 'equal', line: 'd' },
      { kind: 'insert', line: 'e' },
    ]);
  });

  it('handles empty sides and identical inputs', () => {
    expect(diffLines([], ['a'])).toEqual([{ kind: 'insert', line: 'a' }]);
    expect(diffLines(['a'], [])).toEqual([{ kind: 'delete', line: 'a' }]);
    expect(diffLines(['a', 'b'], ['a', 'b']).every((op) => op.kind === 'equal')).toBe(true);
    expect(diffLines([], [])).toEqual([]);
  });

  it('always reproduces both sides, minimally for the classic example', () => {
    const a = 'ABCABBA'.split('');
    const b = 'CBABAC'.split('');
    const ops = diffLines(a, b);
    expect(replay(ops)).toEqual({ before: a, after: b });
    expect(changes(ops)).toBe(5);
  });

  it('falls back to a block replacement beyond the edit limit, still correct', () => {
    const a = Array.from({ length: 50 }, (_, i) => `old ${i}`);
    const b = Array.from({ length: 50 }, (_, i) => `new ${i}`);
    const ops = diffLines(['same', ...a, 'end'], ['same', ...b, 'end'], 10);
    expect(replay(ops)).toEqual({ before: ['same', ...a, 'end'], after: ['same', ...b, 'end'] });
    expect(ops.slice(1, 51).every((op) => op.kind === 'delete')).toBe(true);
  });

  it('agrees with a brute-force check on random inputs', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 200; round++) {
      const pick = () =>
        Array.from({ length: Math.floor(random() * 8) }, () => 'abc'[Math.floor(random() * 3)]!);
      const a = pick();
      const b = pick();
      const ops = diffLines(a, b);
      expect(replay(ops)).toEqual({ before: a, after: b });
      expect(changes(ops)).toBe(a.length + b.length - 2 * lcsLength(a, b));
    }
  });
});

function lcsLength(a: string[], b: string[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      table[i]![j] =
        a[i - 1] === b[j - 1] ? table[i - 1]![j - 1]! + 1 : Math.max(table[i - 1]![j]!, table[i]![j - 1]!);
  return table[a.length]![b.length]!;
}

describe('splitLines', () => {
  it('treats a final newline as the end of the last line', () => {
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\nb')).toEqual(['a', 'b']);
    expect(splitLines('')).toEqual([]);
    expect(splitLines('\n')).toEqual(['']);
  });
});
