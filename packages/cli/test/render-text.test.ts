import { describe, expect, it } from 'vitest';
import { sanitizeForTerminal } from '../src/render-text.ts';

describe('sanitizeForTerminal', () => {
  it('neutralises escape sequences from model or tool output but keeps newlines and tabs', () => {
    const hostile = 'ok\u001b]0;pwned\u0007\u001b[2J\tdone\r\nnext\u009b31m';
    const shown = sanitizeForTerminal(hostile);
    expect(shown).not.toMatch(/[\u001b\u0007\u009b\r]/);
    expect(shown).toContain('\tdone\nnext');
    expect(shown).toContain('^[');
  });
});
