import { describe, expect, it } from 'vitest';
import { diffLines } from './line-diff.ts';
import { hunksOf, parseUnifiedDiff } from './unified.ts';

const lines = (n: number, prefix = 'line') => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);

describe('hunksOf', () => {
  it('keeps three lines of context and numbers both sides', () => {
    const before = lines(10);
    const after = [...before];
    after[4] = 'changed';
    const [hunk, ...rest] = hunksOf(diffLines(before, after));
    expect(rest).toEqual([]);
    expect(hunk).toMatchObject({ oldStart: 2, newStart: 2 });
    expect(hunk!.lines.map((l) => [l.kind, l.oldNumber, l.newNumber])).toEqual([
      ['context', 2, 2],
      ['context', 3, 3],
      ['context', 4, 4],
      ['delete', 5, null],
      ['add', null, 5],
      ['context', 6, 6],
      ['context', 7, 7],
      ['context', 8, 8],
    ]);
  });

  it('splits far-apart changes and merges near ones', () => {
    const before = lines(30);
    const far = before.map((line, i) => (i === 2 || i === 25 ? `${line}!` : line));
    expect(hunksOf(diffLines(before, far))).toHaveLength(2);
    const near = before.map((line, i) => (i === 2 || i === 9 ? `${line}!` : line));
    expect(hunksOf(diffLines(before, near))).toHaveLength(1);
    expect(hunksOf(diffLines(before, before))).toEqual([]);
  });
});

describe('parseUnifiedDiff', () => {
  it('reads a git diff of several files with line numbers and counts', () => {
    const text = [
      'diff --git a/src/a.ts b/src/a.ts',
      'index 83db48f..bf269f4 100644',
      '--- a/src/a.ts',
      '+++ b/src/a.ts',
      '@@ -1,3 +1,4 @@ export function a()',
      ' one',
      '-two',
      '+TWO',
      '+2.5',
      ' three',
      '--- /dev/null',
      '+++ b/new.txt',
      '@@ -0,0 +1 @@',
      '+hello',
      '\\ No newline at end of file',
      '',
    ].join('\n');
    const [a, added] = parseUnifiedDiff(text);
    expect(a).toMatchObject({ oldPath: 'src/a.ts', newPath: 'src/a.ts', added: 2, removed: 1, notes: [] });
    expect(a!.hunks[0]).toMatchObject({ oldStart: 1, newStart: 1, section: 'export function a()' });
    expect(a!.hunks[0]!.lines.map((l) => [l.kind, l.text, l.oldNumber, l.newNumber])).toEqual([
      ['context', 'one', 1, 1],
      ['delete', 'two', 2, null],
      ['add', 'TWO', null, 2],
      ['add', '2.5', null, 3],
      ['context', 'three', 3, 4],
    ]);
    expect(added).toMatchObject({ oldPath: null, newPath: 'new.txt', added: 1, removed: 0 });
    expect(added!.hunks[0]!.lines[0]).toMatchObject({ kind: 'add', newNumber: 1 });
  });

  it('takes a removed line that starts with dashes as a removed line', () => {
    const text = '--- a/x.md\n+++ b/x.md\n@@ -1,2 +1 @@\n--- not a header\n keep\n';
    const [file] = parseUnifiedDiff(text);
    expect(file!.hunks[0]!.lines.map((l) => [l.kind, l.text])).toEqual([
      ['delete', '-- not a header'],
      ['context', 'keep'],
    ]);
  });

  it('keeps what is not a hunk as notes, and reads a deleted file', () => {
    const text =
      '--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n[diff truncated: +0 -1 lines in total]\n';
    expect(parseUnifiedDiff(text)).toEqual([
      {
        oldPath: 'gone.txt',
        newPath: null,
        hunks: [
          {
            oldStart: 1,
            newStart: 0,
            section: '',
            lines: [{ kind: 'delete', text: 'bye', oldNumber: 1, newNumber: null }],
          },
        ],
        added: 0,
        removed: 1,
        notes: ['[diff truncated: +0 -1 lines in total]'],
        numbered: true,
      },
    ]);
    expect(parseUnifiedDiff('')).toEqual([]);
  });
});
