import { describe, expect, it } from 'vitest';
import { type LanguageId, languageLabels, languageOf } from './languages.ts';

describe('languageOf', () => {
  it.each<[string, LanguageId]>([
    ['src/main.js', 'javascript'],
    ['vite.config.mjs', 'javascript'],
    ['src/App.jsx', 'jsx'],
    ['src/index.ts', 'typescript'],
    ['src/App.tsx', 'tsx'],
    ['package.json', 'json'],
    ['tsconfig.JSON', 'json'],
    ['.prettierrc', 'json'],
    ['src/index.css', 'css'],
    ['styles/app.scss', 'css'],
    ['index.html', 'html'],
    ['README.md', 'markdown'],
    ['app.py', 'python'],
    ['src/main.rs', 'rust'],
    ['main.go', 'go'],
    ['Main.java', 'java'],
    ['lib/x.hpp', 'cpp'],
    ['index.php', 'php'],
    ['schema.sql', 'sql'],
    ['public/favicon.svg', 'xml'],
    ['.github/workflows/ci.yml', 'yaml'],
    ['docker-compose.yaml', 'yaml'],
  ])('%s is %s', (path, language) => {
    expect(languageOf(path)).toBe(language);
  });

  it.each(['Makefile', '.gitignore', 'notes.txt', 'archive.tar.gz', 'src.ts/README'])(
    '%s is plain text',
    (path) => {
      expect(languageOf(path)).toBeNull();
    },
  );

  it('covers at least ten languages, each with a label', () => {
    expect(Object.keys(languageLabels).length).toBeGreaterThanOrEqual(10);
  });
});
