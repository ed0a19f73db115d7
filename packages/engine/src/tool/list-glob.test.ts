import { symlinkSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { globTool } from './glob.ts';
import { listTool } from './list.ts';
import { createTestWorkspace, type TestWorkspace } from './test-utils.ts';

let ws: TestWorkspace;

beforeEach(() => {
  ws = createTestWorkspace({
    'README.md': '# hi',
    '.gitignore': 'dist/\n',
    'src/index.ts': 'export {};',
    'src/util/strings.ts': 'export {};',
    'src/util/strings.test.ts': 'test',
    'src/view.tsx': '<div/>',
    'dist/bundle.js': '',
    'node_modules/react/index.js': '',
    '.git/HEAD': 'ref: refs/heads/main',
  });
  symlinkSync(ws.outside, path.join(ws.root, 'out'));
  symlinkSync('src/index.ts', path.join(ws.root, 'entry.ts'));
});
afterEach(() => ws.cleanup());

describe('list', () => {
  it('shows a tree with collapsed .git, node_modules and ignored directories', async () => {
    const result = await ws.run(listTool, {});
    expect(result.ok).toBe(true);
    expect(result.output).toBe(
      [
        './',
        '  .git/ (contents not listed)',
        '  dist/ (gitignored, not expanded)',
        '  node_modules/ (contents not listed)',
        '  src/',
        '    util/',
        '      strings.test.ts',
        '      strings.ts',
        '    index.ts',
        '    view.tsx',
        '  .gitignore',
        '  README.md',
        '  entry.ts -> src/index.ts (symlink, not followed)',
        `  out -> ${ws.outside} (symlink, not followed)`,
      ].join('\n'),
    );
    expect(result.output).not.toContain('secret.txt');
  });

  it('lists a subdirectory and refuses files and escapes', async () => {
    expect((await ws.run(listTool, { path: 'src/util' })).output).toBe(
      'src/util/\n  strings.test.ts\n  strings.ts',
    );
    expect((await ws.run(listTool, { path: 'README.md' })).output).toMatch(/is a file/);
    expect((await ws.run(listTool, { path: 'out' })).ok).toBe(false);
    expect((await ws.run(listTool, { path: '..' })).ok).toBe(false);
  });

  it('caps large directories', async () => {
    for (let i = 0; i < 250; i++) ws.write(`many/f${String(i).padStart(3, '0')}.txt`, '');
    const result = await ws.run(listTool, { path: 'many' });
    expect(result.output).toContain('… 50 more entries');
    expect(result.output).toContain('[Listing limited to 200 entries');
  });
});

describe('glob', () => {
  it('matches names at any depth and paths from the root', async () => {
    const ts = await ws.run(globTool, { pattern: '*.ts' });
    expect(ts.output.split('\n').sort()).toEqual([
      'entry.ts',
      'src/index.ts',
      'src/util/strings.test.ts',
      'src/util/strings.ts',
    ]);
    expect((await ws.run(globTool, { pattern: 'src/*.{ts,tsx}' })).output.split('\n').sort()).toEqual([
      'src/index.ts',
      'src/view.tsx',
    ]);
    expect((await ws.run(globTool, { pattern: 'src/**/strings.[t]s' })).output).toBe('src/util/strings.ts');
    expect((await ws.run(globTool, { pattern: '**/*.test.?s' })).output).toBe('src/util/strings.test.ts');
  });

  it('sorts by modification time, newest first', async () => {
    const old = new Date('2020-01-01');
    utimesSync(path.join(ws.root, 'src/index.ts'), old, old);
    const recent = new Date('2030-01-01');
    utimesSync(path.join(ws.root, 'src/util/strings.ts'), recent, recent);
    const result = await ws.run(globTool, { pattern: 'src/**/*.ts' });
    expect(result.output.split('\n')).toEqual([
      'src/util/strings.ts',
      'src/util/strings.test.ts',
      'src/index.ts',
    ]);
  });

  it('skips .git and node_modules unless named, and never follows links outside', async () => {
    expect((await ws.run(globTool, { pattern: '*.js' })).output).toBe('dist/bundle.js');
    expect((await ws.run(globTool, { pattern: 'node_modules/**/*.js' })).output).toBe(
      'node_modules/react/index.js',
    );
    expect((await ws.run(globTool, { pattern: '.git/*' })).output).toBe('.git/HEAD');
    expect((await ws.run(globTool, { pattern: '**/secret.txt' })).output).toBe(
      'No files match "**/secret.txt".',
    );
    expect((await ws.run(globTool, { pattern: 'out/*' })).ok).toBe(false);
    expect((await ws.run(globTool, { pattern: '../outside/*' })).output).toMatch(/uses ".."/);
    expect((await ws.run(globTool, { pattern: '/etc/*' })).output).toMatch(/absolute/);
  });

  it('caps results', async () => {
    for (let i = 0; i < 230; i++) ws.write(`gen/f${i}.txt`, '');
    const result = await ws.run(globTool, { pattern: 'gen/*.txt' });
    expect(result.output.split('\n').filter((line) => line.startsWith('gen/'))).toHaveLength(200);
    expect(result.output).toContain('[Showing 200 of 230 matches');
  });
});
