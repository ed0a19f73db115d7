import { describe, expect, it } from 'vitest';
import { applyPatch } from '../edit/index.ts';
import { computeDiff, unifiedDiff } from './diff.ts';

/** Applies a diff with the edit engine to check it reproduces the new text. */
function roundTrip(before: string, after: string): string | undefined {
  const diff = unifiedDiff(before, after, { oldPath: 'a/f.txt', newPath: 'b/f.txt' });
  if (diff === '') return before;
  const result = applyPatch(diff, (file) => (file === 'f.txt' ? before : undefined));
  if (!result.ok) throw new Error(`${result.error}\n${diff}`);
  const change = result.changes[0];
  return change && change.kind !== 'delete' ? change.content : undefined;
}

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('unifiedDiff', () => {
  it('produces standard hunks with context', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n';
    const after = 'a\nb\nC\nd\ne\nf\ng\nh\ni\nj\nk\n';
    expect(unifiedDiff(before, after, { oldPath: 'a/x', newPath: 'b/x' })).toBe(
      [
        '--- a/x',
        '+++ b/x',
        '@@ -1,6 +1,6 @@',
        ' a',
        ' b',
        '-c',
        '+C',
        ' d',
        ' e',
        ' f',
        '@@ -8,3 +8,4 @@',
        ' h',
        ' i',
        ' j',
        '+k',
        '',
      ].join('\n'),
    );
  });

  it('handles created and deleted files and missing final newlines', () => {
    expect(unifiedDiff(undefined, 'x\n', { newPath: 'b/n' })).toBe(
      '--- /dev/null\n+++ b/n\n@@ -0,0 +1 @@\n+x\n',
    );
    expect(unifiedDiff('x\n', undefined, { oldPath: 'a/n' })).toBe(
      '--- a/n\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n',
    );
    expect(unifiedDiff('x', 'x\n', { oldPath: 'a/n', newPath: 'b/n' })).toBe(
      '--- a/n\n+++ b/n\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+x\n',
    );
    expect(unifiedDiff('same\n', 'same\n')).toBe('');
  });

  it('counts changes and caps large diffs', () => {
    const before = Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n');
    const after = Array.from({ length: 5000 }, (_, i) => `LINE ${i}`).join('\n');
    const result = computeDiff(before, after, { maxBytes: 4096 });
    expect(result.added).toBe(5000);
    expect(result.removed).toBe(5000);
    expect(result.truncated).toBe(true);
    expect(result.text.length).toBeLessThan(4200);
    expect(result.text).toMatch(/\[diff truncated: \+5000 -5000 lines in total\]\n$/);
  });

  it('round-trips random edits through the patch engine', () => {
    const next = random(42);
    const words = ['alpha', 'beta', 'gamma', 'delta', '', '  indented', '}', '{'];
    for (let round = 0; round < 150; round++) {
      const before = Array.from(
        { length: Math.floor(next() * 30) },
        () => words[Math.floor(next() * words.length)]!,
      );
      const after = [...before];
      const edits = 1 + Math.floor(next() * 5);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * (after.length + 1));
        const roll = next();
        if (roll < 0.4) after.splice(at, 1);
        else if (roll < 0.8) after.splice(at, 0, `new ${round}-${e}`);
        else after[at] = `changed ${round}-${e}`;
      }
      const beforeText = before.length ? `${before.join('\n')}\n` : '';
      const afterText = after.length ? `${after.join('\n')}\n` : '';
      if (beforeText === '' || afterText === '') continue;
      expect(roundTrip(beforeText, afterText), `round ${round}`).toBe(afterText);
    }
  });

  it('falls back to a block replacement beyond the edit-distance cap and stays correct', () => {
    const before = Array.from({ length: 300 }, (_, i) => `a${i}`).join('\n');
    const after = Array.from({ length: 300 }, (_, i) => (i % 2 ? `a${i}` : `b${i}`)).join('\n');
    const capped = computeDiff(`${before}\n`, `${after}\n`, {
      maxEditDistance: 10,
      oldPath: 'a/f.txt',
      newPath: 'b/f.txt',
    });
    expect(capped.removed).toBe(299);
    expect(roundTrip(`${before}\n`, `${after}\n`)).toBe(`${after}\n`);
  });
});
