import { describe, expect, it } from 'vitest';
import { lineDiff, mergeIntoRegion } from './line-diff.ts';

describe('lineDiff', () => {
  it('keeps common lines and orders deletions before insertions', () => {
    expect(lineDiff(['a', 'b', 'c'], ['a', 'B', 'c'])).toEqual([
      { op: 'keep', old: 0 },
      { op: 'delete', old: 1 },
      { op: 'insert', new: 1 },
      { op: 'keep', old: 2 },
    ]);
  });

  it('handles empty sides', () => {
    expect(lineDiff([], ['x'])).toEqual([{ op: 'insert', new: 0 }]);
    expect(lineDiff(['x'], [])).toEqual([{ op: 'delete', old: 0 }]);
  });
});

describe('mergeIntoRegion', () => {
  it('keeps file text for unchanged lines and file-only blank lines', () => {
    const fileLines = ['\tkeep();  ', '', '\tdrop();', 'after();'];
    const out = mergeIntoRegion({
      fileLines,
      first: 0,
      last: 2,
      map: [0, 2],
      oldLines: ['keep();', 'drop();'],
      newLines: ['keep();', 'added();'],
      adapt: (line) => `\t${line}`,
    });
    expect(out).toEqual(['\tkeep();  ', '', '\tadded();']);
  });

  it('drops file-only blank lines before a deletion at the end', () => {
    const out = mergeIntoRegion({
      fileLines: ['a', '', 'b'],
      first: 0,
      last: 2,
      map: [0, 2],
      oldLines: ['a', 'b'],
      newLines: ['a'],
      adapt: (line) => line,
    });
    expect(out).toEqual(['a']);
  });

  it('drops file-only blank lines inside a stretch replaced wholesale', () => {
    const out = mergeIntoRegion({
      fileLines: ['a', '', 'b', 'c'],
      first: 0,
      last: 3,
      map: [0, 2, 3],
      oldLines: ['a', 'b', 'c'],
      newLines: ['x'],
      adapt: (line) => line,
    });
    expect(out).toEqual(['x']);
  });

  it('puts pure insertions right after the kept line before file-only blanks', () => {
    const out = mergeIntoRegion({
      fileLines: ['a', '', 'b'],
      first: 0,
      last: 2,
      map: [0, 2],
      oldLines: ['a', 'b'],
      newLines: ['a', 'x', 'b'],
      adapt: (line) => line,
    });
    expect(out).toEqual(['a', 'x', '', 'b']);
  });
});
