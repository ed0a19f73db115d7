import { describe, expect, it } from 'vitest';
import {
  ancestorsOf,
  baseName,
  isSameOrInside,
  joinPath,
  movedPath,
  parentOf,
  pathProblem,
  shellQuote,
} from './paths.ts';

describe('pathProblem', () => {
  it.each(['App.tsx', 'src/components/Button.tsx', '.env', 'a b/c d.txt', 'weird..name', 'ü/日本.md'])(
    'accepts %s',
    (path) => expect(pathProblem(path)).toBeNull(),
  );

  it.each([
    ['', 'Enter a name.'],
    ['   ', 'Enter a name.'],
    ['/etc/passwd', 'inside the project'],
    ['C:/x', 'inside the project'],
    ['a\\b', 'Separate folders'],
    ['../secret', '“..”'],
    ['src/../../x', '“..”'],
    ['./a', '“.”'],
    ['a//b', 'empty part'],
    ['src/', 'empty part'],
    [' a.ts', 'spaces'],
    ['src/ a.ts', 'spaces'],
    ['a\u0000b', 'control characters'],
    ['a\nb', 'control characters'],
    ['x'.repeat(4097), 'at most 4096'],
  ])('refuses %j', (path, message) => {
    expect(pathProblem(path)).toContain(message);
  });
});

describe('path helpers', () => {
  it('splits and joins paths', () => {
    expect(parentOf('src/a/b.ts')).toBe('src/a');
    expect(parentOf('b.ts')).toBe('');
    expect(baseName('src/a/b.ts')).toBe('b.ts');
    expect(joinPath('', 'a.ts')).toBe('a.ts');
    expect(joinPath('src', 'a.ts')).toBe('src/a.ts');
    expect(ancestorsOf('a/b/c.ts')).toEqual(['a', 'a/b']);
    expect(ancestorsOf('c.ts')).toEqual([]);
  });

  it('knows what is inside a folder, by whole names', () => {
    expect(isSameOrInside('src/a.ts', 'src')).toBe(true);
    expect(isSameOrInside('src', 'src')).toBe(true);
    expect(isSameOrInside('srcx/a.ts', 'src')).toBe(false);
  });

  it('follows a move of a file or a folder', () => {
    expect(movedPath('a.ts', 'a.ts', 'b.ts')).toBe('b.ts');
    expect(movedPath('src/x/y.ts', 'src/x', 'lib/x')).toBe('lib/x/y.ts');
    expect(movedPath('src/xy.ts', 'src/x', 'lib/x')).toBeNull();
  });

  it('quotes for the shell', () => {
    expect(shellQuote('a b')).toBe(`'a b'`);
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
    expect(shellQuote('$(rm -rf /)')).toBe(`'$(rm -rf /)'`);
  });
});
