import { describe, expect, it } from 'vitest';
import { normalizeUserCode, validateUserCode } from './user-code.ts';

describe('device user codes typed into the page', () => {
  it('accept any case, spaces and a dash, and show as XXXX-XXXX', () => {
    for (const typed of ['BCDF-GHJK', 'bcdf-ghjk', 'bcdfghjk', ' BCDF GHJK ', 'bc-df-gh-jk']) {
      expect(normalizeUserCode(typed), typed).toBe('BCDF-GHJK');
    }
  });

  it('refuse what the server never issues, saying what a code looks like', () => {
    for (const typed of ['BCDF-GHJ', 'BCDF-GHJKL', 'AEIO-UBCD', 'BCD1-GHJK', 'BCDF_GHJK', '<script>']) {
      expect(normalizeUserCode(typed), typed).toBeUndefined();
      expect(validateUserCode(typed), typed).toMatch(/8 letters, like BCDF-GHJK/);
    }
    expect(validateUserCode('  ')).toBe('Enter the code your terminal shows.');
    expect(validateUserCode('bcdf-ghjk')).toBeUndefined();
  });
});
