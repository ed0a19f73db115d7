import { chmodSync, createWriteStream, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGrepTool, formatGrepOutcome, searchWorkspace } from './grep.ts';
import { type GrepRequest, MAX_GREP_FILE_BYTES, MAX_MATCH_LINE_CHARS } from './grep-common.ts';
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

/** Streams `bytes` bytes of `fill` into a workspace file without building it in memory. */
async function writeBigFile(relative: string, bytes: number, fill = 'x'): Promise<void> {
  const chunk = fill.repeat(Math.ceil((1024 * 1024) / fill.length)).slice(0, 1024 * 1024);
  async function* chunks() {
    for (let left = bytes; left > 0; left -= chunk.length)
      yield left >= chunk.length ? chunk : chunk.slice(0, left);
  }
  const target = path.join(ws.root, relative);
  mkdirSync(path.dirname(target), { recursive: true });
  await pipeline(Readable.from(chunks()), createWriteStream(target));
}

/** A minified-style file: long lines with matches at the start, middle and end, multibyte text. */
function writeLongLines(): void {
  const mixed = 'aé😀b'.repeat(150_000);
  ws.write(
    'min.js',
    [
      `${mixed}needle${mixed}`,
      `needle${'y'.repeat(5000)}`,
      `${'z'.repeat(5000)}needle`,
      `${'w'.repeat(350)}needle${'w'.repeat(344)}`,
      `${'é'.repeat(400)}needle`,
      `${'€'.repeat(3000)}needle${'q'.repeat(100)}\r`,
      'short needle',
    ].join('\n'),
  );
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
    expect(result.output).toMatch(/Search stopped after 250 matches \(in 1 file\); there are more/);
    expect(result.metadata?.truncated).toBe(true);
  });

  it('skips a 50 MB one-line file and says so, in a directory search and when named', async () => {
    await writeBigFile('huge.txt', 50 * 1024 * 1024);
    ws.write('small.txt', 'x marks\n');
    const all = await ws.run(tool, { pattern: 'x', glob: '*.txt' });
    expect(all.ok, all.output).toBe(true);
    expect(all.output).toMatch(/^small\.txt:1: x marks\n/);
    expect(all.output).toMatch(
      /1 file was skipped as too large to search \(over 20\.0 MB\): "huge\.txt"\. Use read with offset\/limit/,
    );
    expect(all.metadata?.skippedTooLarge).toBe(1);
    const named = await ws.run(tool, { pattern: 'x', path: 'huge.txt' });
    expect(named.output).toMatch(/^No matches for \/x\/ in "huge\.txt"\.\n\[1 file was skipped as too large/);
    expect(named.output.length).toBeLessThan(500);
  });

  it('cuts long lines to an excerpt around the match', async () => {
    // Just under the size cap: one 19 MB line, every character of which matches.
    await writeBigFile('long.txt', MAX_GREP_FILE_BYTES - 1024 * 1024);
    writeLongLines();
    const every = await ws.run(tool, { pattern: 'x', path: 'long.txt' });
    expect(every.output).toBe(
      `long.txt:1: ${'x'.repeat(MAX_MATCH_LINE_CHARS)}… [long line cut around the match]`,
    );
    const result = await ws.run(tool, { pattern: 'needle', path: 'min.js' });
    const lines = result.output.split('\n');
    expect(lines).toHaveLength(7);
    for (const line of lines) {
      expect(line).toContain('needle');
      expect(line.length).toBeLessThan(MAX_MATCH_LINE_CHARS + 60);
    }
    expect(lines[0]).toMatch(/^min\.js:1: …(aé😀b)+needle.*… \[long line cut around the match\]$/);
    expect(lines[1]).toBe(`min.js:2: needle${'y'.repeat(494)}… [long line cut around the match]`);
    expect(lines[2]).toBe(`min.js:3: …${'z'.repeat(494)}needle [long line cut around the match]`);
    expect(lines[4]).toBe(`min.js:5: ${'é'.repeat(400)}needle`);
    expect(lines[5]).toBe(
      `min.js:6: …${'€'.repeat(394)}needle${'q'.repeat(100)} [long line cut around the match]`,
    );
    expect(lines[6]).toBe('min.js:7: short needle');
  });

  it('says when the search ran out of time instead of reporting no matches', async () => {
    // A stand-in ripgrep that never answers; the JS engine checks its deadline before each file.
    const stalled = ws.write('../fake-rg', '#!/bin/sh\nexec sleep 30\n');
    chmodSync(stalled, 0o755);
    const outcome = await searchWorkspace(request({ timeoutMs: ripgrep ? 100 : 0 }), {
      ripgrep: ripgrep ? stalled : false,
    });
    expect(outcome.timedOutMs).toBeDefined();
    expect(outcome.matches).toEqual([]);
    const output = formatGrepOutcome(outcome, 'needle', 'the workspace');
    expect(output).toMatch(
      /^Search for \/needle\/ in the workspace stopped after [\d.]+ s \(time limit\) before it finished/,
    );
    expect(output).toContain('Narrow the pattern');
    expect(output).not.toMatch(/No matches/);
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

  it('agrees on long lines, multibyte text and files too large to search', async () => {
    writeLongLines();
    await writeBigFile('huge.txt', 50 * 1024 * 1024, 'needle ');
    await writeBigFile('sub/huge2.txt', MAX_GREP_FILE_BYTES + 1);
    for (const overrides of [{}, { pattern: 'needle|x' }, { start: 'min.js', startIsFile: true }]) {
      const viaRg = await searchWorkspace(request(overrides), { ripgrep: rg! });
      const viaJs = await searchWorkspace(request(overrides), { ripgrep: false });
      expect(viaRg.engine).toBe('ripgrep');
      expect(viaJs.matches, JSON.stringify(overrides)).toEqual(viaRg.matches);
      expect(viaJs.tooLarge, JSON.stringify(overrides)).toEqual(viaRg.tooLarge);
    }
    const viaRg = await searchWorkspace(request(), { ripgrep: rg! });
    expect(viaRg.tooLarge).toEqual({ count: 2, paths: ['huge.txt', 'sub/huge2.txt'] });
    expect(viaRg.matches.filter((match) => match.path === 'min.js')).toHaveLength(7);
  });

  it('falls back to JS for look-around that ripgrep cannot parse', async () => {
    const result = await searchWorkspace(request({ pattern: '(?<=const )needle' }), { ripgrep: rg! });
    expect(result.engine).toBe('js');
    expect(result.matches.map((match) => match.path)).toEqual(['a.ts']);
  });
});
