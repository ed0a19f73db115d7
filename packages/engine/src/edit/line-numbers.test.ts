import { describe, expect, it } from 'vitest';
import { stripLineNumbers, stripReplacementNumbers } from './line-numbers.ts';

describe('stripLineNumbers', () => {
  it('strips cat -n and arrow prefixes with consecutive numbers', () => {
    expect(stripLineNumbers('     7\tfoo\n     8\t  bar\n')).toEqual({ text: 'foo\n  bar\n', firstLine: 7 });
    expect(stripLineNumbers('12→x\n13→y')).toEqual({ text: 'x\ny', firstLine: 12 });
  });

  it('rejects blocks where a line lacks a prefix or numbers jump', () => {
    expect(stripLineNumbers('1\tfoo\nbar')).toBeUndefined();
    expect(stripLineNumbers('1\tfoo\n3\tbar')).toBeUndefined();
    expect(stripLineNumbers('plain text')).toBeUndefined();
  });
});

describe('stripReplacementNumbers', () => {
  it('strips only when every line is prefixed, renumbering allowed', () => {
    expect(stripReplacementNumbers('5\ta\n9\tb')).toBe('a\nb');
    expect(stripReplacementNumbers('5\ta\nb')).toBe('5\ta\nb');
  });
});
