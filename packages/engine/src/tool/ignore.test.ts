import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitignoreRules, parseGitignore } from './ignore.ts';

describe('parseGitignore', () => {
  it('understands comments, negation, anchoring and directory-only rules', () => {
    const rules = parseGitignore(
      '# comment\n\ndist/\n/root-only.txt\n*.log\n!keep.log\ndocs/**/*.tmp\n\\#hash\n',
      '',
    );
    expect(rules.map((rule) => [rule.negate, rule.dirOnly, rule.baseName])).toEqual([
      [false, true, true],
      [false, false, false],
      [false, false, true],
      [true, false, true],
      [false, false, false],
      [false, false, true],
    ]);
  });
});

describe('GitignoreRules', () => {
  it('applies rules relative to their directory, last match winning', async () => {
    const rules = new GitignoreRules();
    const dir = mkdtempSync(path.join(tmpdir(), 'aura-ignore-'));
    try {
      writeFileSync(path.join(dir, '.gitignore'), 'dist/\n/root-only.txt\n*.log\n!keep.log\ndocs/**/*.tmp\n');
      mkdirSync(path.join(dir, 'pkg'));
      writeFileSync(path.join(dir, 'pkg/.gitignore'), 'generated/\n/local.txt\n');
      await rules.load(dir, '');
      await rules.load(path.join(dir, 'pkg'), 'pkg');
      expect(rules.ignores('dist', true)).toBe(true);
      expect(rules.ignores('dist', false)).toBe(false);
      expect(rules.ignores('a/b/dist', true)).toBe(true);
      expect(rules.ignores('root-only.txt', false)).toBe(true);
      expect(rules.ignores('sub/root-only.txt', false)).toBe(false);
      expect(rules.ignores('x/y/debug.log', false)).toBe(true);
      expect(rules.ignores('x/keep.log', false)).toBe(false);
      expect(rules.ignores('docs/a/b/x.tmp', false)).toBe(true);
      expect(rules.ignores('pkg/generated', true)).toBe(true);
      expect(rules.ignores('generated', true)).toBe(false);
      expect(rules.ignores('pkg/local.txt', false)).toBe(true);
      expect(rules.ignores('pkg/sub/local.txt', false)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
