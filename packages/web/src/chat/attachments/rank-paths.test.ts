import { describe, expect, it } from 'vitest';
import { rankPaths } from './rank-paths.ts';

const paths = [
  'package.json',
  'src/App.tsx',
  'src/app/settings/page.tsx',
  'src/components/AppHeader.tsx',
  'src/main.tsx',
  'docs/whatsapp.md',
];

describe('rankPaths', () => {
  it('puts file names starting with the query first, then names containing it, then the rest', () => {
    expect(rankPaths(paths, 'app', 4)).toEqual([
      'src/App.tsx',
      'src/components/AppHeader.tsx',
      'docs/whatsapp.md',
      'src/app/settings/page.tsx',
    ]);
  });

  it('matches characters in order across the path', () => {
    expect(rankPaths(paths, 'srcmain', 5)).toEqual(['src/main.tsx']);
    expect(rankPaths(paths, 'sps', 5)).toContain('src/app/settings/page.tsx');
    expect(rankPaths(paths, 'zzz', 5)).toEqual([]);
  });

  it('lists everything, up to the limit, for an empty query', () => {
    expect(rankPaths(paths, '  ', 2)).toEqual(['package.json', 'src/App.tsx']);
  });
});
