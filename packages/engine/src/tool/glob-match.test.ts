import { describe, expect, it } from 'vitest';
import { compileGlob, globToRegExp } from './glob-match.ts';

const matches = (pattern: string, path: string) => globToRegExp(pattern).test(path);

describe('globToRegExp', () => {
  it.each([
    ['*.ts', 'a.ts', true],
    ['*.ts', 'dir/a.ts', false],
    ['*.ts', '.hidden.ts', true],
    ['**/*.ts', 'a.ts', true],
    ['**/*.ts', 'x/y/a.ts', true],
    ['src/**', 'src/a/b', true],
    ['src/**/test/*.ts', 'src/test/a.ts', true],
    ['src/**/test/*.ts', 'src/x/y/test/a.ts', true],
    ['src/**/test/*.ts', 'src/x/test/y/a.ts', false],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false],
    ['*.{ts,tsx}', 'a.tsx', true],
    ['*.{ts,tsx}', 'a.js', false],
    ['{src,lib}/**/*.{js,mjs}', 'lib/x/y.mjs', true],
    ['{a,{b,c}}.txt', 'c.txt', true],
    ['[abc].txt', 'b.txt', true],
    ['[!abc].txt', 'b.txt', false],
    ['[!abc].txt', 'd.txt', true],
    ['[a-c]x', 'bx', true],
    ['file[1].txt', 'file1.txt', true],
    ['\\*.txt', '*.txt', true],
    ['\\*.txt', 'a.txt', false],
    ['a.b', 'axb', false],
    ['(x)+.txt', '(x)+.txt', true],
    ['{unclosed', '{unclosed', true],
    ['[unclosed', '[unclosed', true],
    ['a**b', 'aXXb', true],
    ['a**b', 'a/b', false],
  ])('%s vs %s → %s', (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected);
  });
});

describe('compileGlob', () => {
  it('matches names at any depth when the pattern has no slash', () => {
    const glob = compileGlob('*.test.ts');
    expect(glob('a/b/c.test.ts')).toBe(true);
    expect(glob.matchesBaseName).toBe(true);
    expect(glob.base).toBe('');
  });

  it('anchors patterns with a slash and finds the literal base directory', () => {
    const glob = compileGlob('./src/tool/**/*.ts');
    expect(glob('src/tool/a/b.ts')).toBe(true);
    expect(glob('lib/src/tool/b.ts')).toBe(false);
    expect(glob.base).toBe('src/tool');
    expect(compileGlob('src/*/x.ts').base).toBe('src');
    expect(compileGlob('docs/').base).toBe('docs');
  });
});
