import { describe, expect, it } from 'vitest';
import { languageOf } from './languages.ts';

describe('languageOf', () => {
  it('reads the language from a fence info string, aliases and case included', () => {
    expect(languageOf('ts')).toBe('typescript');
    expect(languageOf('TypeScript')).toBe('typescript');
    expect(languageOf('tsx title="App.tsx"')).toBe('tsx');
    expect(languageOf('sh')).toBe('shellscript');
    expect(languageOf('Dockerfile')).toBe('docker');
  });

  it('has nothing for unknown or missing languages', () => {
    expect(languageOf('brainfuck')).toBeNull();
    expect(languageOf('')).toBeNull();
    expect(languageOf(null)).toBeNull();
    expect(languageOf('toString')).toBeNull();
    expect(languageOf('constructor')).toBeNull();
  });
});
