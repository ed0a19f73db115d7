import { describe, expect, it } from 'vitest';
import { detectShift, indentWidth, prefersTabs, reindentLine } from './indent.ts';

describe('detectShift', () => {
  it('finds a uniform shift of spaces', () => {
    const shift = detectShift(
      [
        ['    ', ''],
        ['        ', '    '],
      ],
      false,
    );
    expect(shift).toMatchObject({ delta: 4, useTabs: false });
  });

  it('rejects inconsistent shifts', () => {
    expect(
      detectShift(
        [
          ['    ', ''],
          ['    ', '    '],
        ],
        false,
      ),
    ).toBeUndefined();
  });

  it('finds the tab width a model used for tabs', () => {
    const shift = detectShift(
      [
        ['\t', '  '],
        ['\t\t', '    '],
      ],
      false,
    );
    expect(shift).toMatchObject({ tabWidth: 2, delta: 0, useTabs: true });
  });

  it('falls back to the file preference when the region has no indentation', () => {
    expect(detectShift([['', '  ']], true)).toMatchObject({ delta: -2, useTabs: true });
  });
});

describe('reindentLine', () => {
  const shift = detectShift(
    [
      ['\t', '    '],
      ['\t\t', '        '],
    ],
    false,
  );

  it('uses the file indentation seen for the same model indentation', () => {
    expect(shift && reindentLine('        x', shift)).toBe('\t\tx');
  });

  it('renders unseen depths in the file style', () => {
    expect(shift && reindentLine('            x', shift)).toBe('\t\t\tx');
  });

  it('empties whitespace-only lines', () => {
    expect(shift && reindentLine('    ', shift)).toBe('');
  });
});

describe('helpers', () => {
  it('indentWidth counts tabs at the given width', () => {
    expect(indentWidth('\t  ', 4)).toBe(6);
  });

  it('prefersTabs looks at indented lines', () => {
    expect(prefersTabs(['\ta', '\tb', '  c'])).toBe(true);
    expect(prefersTabs(['  a', 'b'])).toBe(false);
  });
});
