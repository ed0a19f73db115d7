import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGrepTool, searchWorkspace } from './grep.ts';
import type { GrepRequest } from './grep-common.ts';
import { createTestWorkspace, type TestWorkspace } from './test-utils.ts';
import { findExecutable } from './which.ts';

const rg = findExecutable('rg');
let ws: TestWorkspace;

beforeEach(() => {
  ws = createTestWorkspace({
    '.gitignore': 'dist/\n*.log\n!keep.log\n',
    'a.ts': 'const needle = 1;\nconst other = 2;\n',
    'a.b/z.ts': 'needle in a.b\n',
    'b/c.ts': 'nothing here\n  needle indented\r\nNEEDLE upper\n',
    'b/deep/d.js': 'function needle() {}\n',
    'b/deep/.hidden.ts': 'needle hidden\n',
    'b/.gitignore': 'generated.ts\n',
    'b/generated.ts': 'needle generated\n',
    'dist/out.js': 'needle in dist\n',
    'debug.log': 'needle in log\n',
    'keep.log': 'needle kept\n',
    'node_modules/pkg/index.js': 'needle in deps\n',
    '.git/config': 'needle in git\n',
    'image.bin': 'needle\0binary\n',
    'last.txt': 'no newline needle',
  });
  symlinkSync(ws.outside, path.join(ws.root, 'out'));
  symlinkSync('a.ts', path.join(ws.root, 'link.ts'));
  ws.write('../outside/needle.txt', 'needle outside\n');
});
afterEach(() => ws.cleanup());

const expected = [
  'a.b/z.ts:1: needle in a.b',
  'a.ts:1: const needle = 1;',
  'b/c.ts:2:   needle indented',
  'b/deep/.hidden.ts:1: needle hidden',
  'b/deep/d.js:1: function needle() {}',
  'keep.log:1: needle kept',
  'last.txt:1: no newline needle',
];

function request(overrides: Partial<GrepRequest> = {}): GrepRequest {
  return {
    workspace: ws.root,
    pattern: 'needle',
    start: '',
    startIsFile: false,
    maxMatches: 100,
    signal: new AbortController().signal,
    ...overrides,
  };
}

const engines = [['js fallback', false], ...(rg ? [['ripgrep', rg] as const] : [])] as const;

describe.each(engines)('grep (%s)', (_name, ripgrep) => {
  const tool = createGrepTool({ ripgrep });

  it('finds matches in path order, skipping ignored, hidden-by-rule, binary and linked files', async () => {
    const result = await ws.run(tool, { pattern: 'needle' });
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toBe(expected.join('\n'));
    expect(result.metadata?.engine).toBe(ripgrep ? 'ripgrep' : 'js');
  });

  it('searches a subdirectory with the root .gitignore still applied, and a single file', async () => {
    ws.write('b/dist/x.ts', 'needle in nested dist\n');
    ws.write('b/trace.log', 'needle in nested log\n');
    const sub = await ws.run(tool, { pattern: 'needle', path: 'b' });
    expect(sub.output).toBe(
      [
        'b/c.ts:2:   needle indented',
        'b/deep/.hidden.ts:1: needle hidden',
        'b/deep/d.js:1: function needle() {}',
      ].join('\n'),
    );
    const file = await ws.run(tool, { pattern: '(?i)needle', path: 'b/c.ts' });
    expect(file.output).toBe('b/c.ts:2:   needle indented\nb/c.ts:3: NEEDLE upper');
  });

  it('filters with glob', async () => {
    expect((await ws.run(tool, { pattern: 'needle', glob: '*.js' })).output).toBe(
      'b/deep/d.js:1: function needle() {}',
    );
    // Like ripgrep's override globs, a matching glob reaches files .gitignore would skip.
    expect((await ws.run(tool, { pattern: 'needle', glob: 'b/**/*.ts' })).output).toBe(
      'b/c.ts:2:   needle indented\nb/deep/.hidden.ts:1: needle hidden\nb/generated.ts:1: needle generated',
    );
    expect((await ws.run(tool, { pattern: 'needle', glob: '!*.ts' })).output).toBe(
      'b/deep/d.js:1: function needle() {}\nkeep.log:1: needle kept\nlast.txt:1: no newline needle',
    );
  });

  it('reports no matches and invalid patterns clearly', async () => {
    expect((await ws.run(tool, { pattern: 'zebra' })).output).toBe(
      'No matches for /zebra/ in the workspace.',
    );
    const invalid = await ws.run(tool, { pattern: 'foo(' });
    expect(invalid.ok).toBe(false);
    expect(invalid.output).toMatch(/Invalid regular expression \/foo\(\/.*Escape special characters/s);
  });

  it('caps the number of matches', async () => {
    ws.write('many.txt', 'needle\n'.repeat(400));
    const result = await ws.run(tool, { pattern: 'needle', path: 'many.txt' });
    expect(result.output.split('\n').filter((line) => line.startsWith('many.txt:'))).toHaveLength(250);
    expect(result.output).toMatch(/Showing the first 250 matches \(in 1 file\); there are more/);
    expect(result.metadata?.truncated).toBe(true);
  });

  it('does not search through links that lead outside', async () => {
    expect((await ws.run(tool, { pattern: 'SECRET|outside' })).output).toMatch(/^No matches/);
    expect((await ws.run(tool, { pattern: 'SECRET', path: 'out' })).ok).toBe(false);
  });
});

describe.runIf(rg)('grep engines agree', () => {
  it('gives identical results with ripgrep and the JS fallback', async () => {
    for (const overrides of [
      {},
      { pattern: 'need(le)?\\s' },
      { start: 'b' },
      { glob: '*.{ts,js}' },
      { pattern: '^\\s+' },
    ]) {
      const viaRg = await searchWorkspace(request(overrides), { ripgrep: rg! });
      const viaJs = await searchWorkspace(request(overrides), { ripgrep: false });
      expect(viaRg.engine).toBe('ripgrep');
      expect(viaJs.engine).toBe('js');
      expect(viaJs.matches, JSON.stringify(overrides)).toEqual(viaRg.matches);
    }
  });

  it('falls back to JS for look-around that ripgrep cannot parse', async () => {
    const result = await searchWorkspace(request({ pattern: '(?<=const )needle' }), { ripgrep: rg! });
    expect(result.engine).toBe('js');
    expect(result.matches.map((match) => match.path)).toEqual(['a.ts']);
  });
});
