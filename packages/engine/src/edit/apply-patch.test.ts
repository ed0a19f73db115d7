import { describe, expect, it } from 'vitest';
import { applyPatch } from './apply-patch.ts';
import { patchCases, readFrom } from './cases.ts';

describe('applyPatch case table', () => {
  it('has at least 15 cases with unique names', () => {
    expect(patchCases.length).toBeGreaterThanOrEqual(15);
    expect(new Set(patchCases.map((c) => c.name)).size).toBe(patchCases.length);
  });

  it.each(patchCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = applyPatch(c.patch, readFrom(c.files));
    if (Array.isArray(c.expect)) {
      expect(result.ok ? result : result.error).toMatchObject({ ok: true });
      if (result.ok) expect(result.changes).toEqual(c.expect);
    } else {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(c.expect.error);
    }
  });
});

describe('applyPatch details', () => {
  it('applies later sections of a patch on top of earlier ones for the same file', () => {
    const patch = [
      '--- a/f.txt',
      '+++ b/f.txt',
      '@@ -1,2 +1,2 @@',
      '-a',
      '+A',
      ' b',
      '--- a/f.txt',
      '+++ b/f.txt',
      '@@ -1,2 +1,2 @@',
      ' A',
      '-b',
      '+B',
      '',
    ].join('\n');
    const result = applyPatch(patch, readFrom({ 'f.txt': 'a\nb\n' }));
    expect(result).toEqual({ ok: true, changes: [{ kind: 'modify', path: 'f.txt', content: 'A\nB\n' }] });
  });

  it('reports every failing file, not only the first', () => {
    const patch = [
      '--- a/x',
      '+++ b/x',
      '@@ @@',
      '-nope',
      '+1',
      '--- a/y',
      '+++ b/y',
      '@@ @@',
      '-nope',
      '+2',
      '',
    ];
    const result = applyPatch(patch.join('\n'), readFrom({ x: 'a\n', y: 'b\n' }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(/^x: hunk #1/);
      expect(result.error).toMatch(/\n\ny: hunk #1/);
    }
  });

  it('searches near the stated line before accepting a farther match', () => {
    const file = `${['x();', 'y();', 'x();', 'y();'].join('\n')}\n${'pad();\n'.repeat(100)}x();\ny();\n`;
    const patch = ['--- a/f', '+++ b/f', '@@ -4,2 +4,2 @@', ' x();', '-y();', '+z();', ''].join('\n');
    const result = applyPatch(patch, readFrom({ f: file }));
    expect(result.ok).toBe(true);
    if (result.ok && result.changes[0]?.kind === 'modify') {
      // Line 4 holds y(); the nearest x();/y() pair starts at line 3.
      expect(result.changes[0].content.split('\n').slice(0, 4)).toEqual(['x();', 'y();', 'x();', 'z();']);
    }
  });

  it('inserts a pure addition hunk after the stated line', () => {
    const patch = ['--- a/f', '+++ b/f', '@@ -2,0 +3,1 @@', '+inserted', ''].join('\n');
    const result = applyPatch(patch, readFrom({ f: 'one\ntwo\nthree\n' }));
    expect(result).toEqual({
      ok: true,
      changes: [{ kind: 'modify', path: 'f', content: 'one\ntwo\ninserted\nthree\n' }],
    });
  });

  it('rejects a rename onto an existing file', () => {
    const patch = ['diff --git a/a b/b', 'rename from a', 'rename to b', ''].join('\n');
    const result = applyPatch(patch, readFrom({ a: '1\n', b: '2\n' }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/cannot rename to b because b already exists/);
  });

  it('explains hunks given out of order', () => {
    const patch = ['--- a/f', '+++ b/f', '@@ @@', ' d', '-e', '+E', '@@ @@', ' a', '-b', '+B', ''].join('\n');
    const result = applyPatch(patch, readFrom({ f: 'a\nb\nc\nd\ne\n' }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/hunk #2 \(@@ @@\) matches line 1, above the previous hunk/);
  });
});
