import { describe, expect, it } from 'vitest';
import { foreignLookalikes, normalize, normalizeUnicode, replaceLookalikes } from './normalize.ts';

const all = { eol: true, trailing: true, unicode: true };

describe('normalize', () => {
  it('maps CRLF to LF and remembers both original characters', () => {
    const n = normalize('a\r\nb', { eol: true, trailing: false, unicode: false });
    expect(n.text).toBe('a\nb');
    expect([n.from[1], n.to[1]]).toEqual([1, 3]);
  });

  it('drops trailing spaces and tabs before line breaks and at the end', () => {
    const n = normalize('a \t\nb  ', { eol: true, trailing: true, unicode: false });
    expect(n.text).toBe('a\nb');
    expect(n.endStripped).toBe(true);
    // The newline's span starts after the dropped whitespace, so a match across it covers them.
    expect(n.from[1]).toBe(3);
  });

  it('keeps whitespace that is not trailing', () => {
    expect(normalize('a  b\n', all).text).toBe('a  b\n');
  });

  it('normalises quotes, dashes, spaces and the ellipsis', () => {
    const n = normalize('“a” ‘b’ – — x\u00A0y…', all);
    expect(n.text).toBe('"a" \'b\' - - x y...');
    // All three dots of the ellipsis map back to its single source character.
    const last = n.text.length - 1;
    expect([n.from[last], n.to[last]]).toEqual([15, 16]);
  });

  it('drops zero-width spaces', () => {
    expect(normalize('a\u200Bb', all).text).toBe('ab');
  });

  it('leaves surrogate pairs intact', () => {
    expect(normalize('😀 “x”', all).text).toBe('😀 "x"');
  });
});

describe('lookalike helpers', () => {
  it('normalizeUnicode is a no-op on plain text', () => {
    expect(normalizeUnicode('plain')).toBe('plain');
  });

  it('finds the lookalikes the file does not contain and fixes them in new text', () => {
    const chars = foreignLookalikes('say(“hi” – ok)', 'say("hi" – ok)');
    expect([...chars].sort()).toEqual(['“', '”']);
    expect(replaceLookalikes('“x” – y', chars)).toBe('"x" – y');
  });
});
