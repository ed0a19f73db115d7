import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  applyPatchTool,
  computeDiff,
  createLocalSandbox,
  editTool,
  runTool,
  type ToolContext,
  type ToolDefinition,
  writeTool,
} from '@aura/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffStats, renderDiff } from '../src/tui/diff.ts';
import { displayWidth } from '../src/tui/md-width.ts';

const sgr = /\u001b\[[\d;]*m/g;
const stripSgr = (text: string) => text.replace(sgr, '');
const plain = (diff: string, width = 40, maxLines?: number) =>
  renderDiff(diff, { width, color: false, maxLines });

const numbered = (count: number) => Array.from({ length: count }, (_, i) => `line ${i + 1}\n`).join('');

describe('renderDiff on diffs from the engine tools', () => {
  let root: string;
  let ctx: ToolContext;
  const run = async <Input>(tool: ToolDefinition<Input>, input: unknown) => {
    const result = await runTool(tool as unknown as ToolDefinition, input, ctx);
    expect(result.ok, result.output).toBe(true);
    return String((result.metadata as { diff: string }).diff);
  };

  beforeAll(() => {
    root = realpathSync(mkdtempSync(path.join(tmpdir(), 'aura-diff-render-')));
    ctx = {
      workspace: root,
      sandbox: createLocalSandbox({ workspace: root }),
      signal: new AbortController().signal,
      allowPrivateNetwork: false,
    };
  });
  afterAll(async () => {
    await ctx.sandbox.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('shows an edit with a file header, numbered lines and changes', async () => {
    writeFileSync(path.join(root, 'app.ts'), 'const a = 1;\nconst b = 2;\nconst c = 3;\n');
    const diff = await run(editTool, {
      path: 'app.ts',
      old_string: 'const b = 2;',
      new_string: 'const b = 20;',
    });
    expect(plain(diff)).toBe(
      ['app.ts +1 −1', '1   const a = 1;', '2 - const b = 2;', '2 + const b = 20;', '3   const c = 3;'].join(
        '\n',
      ),
    );
    expect(diffStats(diff)).toEqual({ added: 1, removed: 1 });
  });

  it('marks a file the write tool created as new', async () => {
    const diff = await run(writeTool, { path: 'src/new.txt', content: 'hello\nworld\n' });
    expect(plain(diff)).toBe(['src/new.txt (new) +2', '1 + hello', '2 + world'].join('\n'));
  });

  it('renders every file of an apply_patch, including deletions, with a gap between hunks', async () => {
    writeFileSync(path.join(root, 'long.txt'), numbered(30));
    writeFileSync(path.join(root, 'old.txt'), 'bye\n');
    const patch = [
      '--- a/long.txt',
      '+++ b/long.txt',
      '@@ -2,1 +2,1 @@',
      '-line 2',
      '+line two',
      '@@ -28,1 +28,1 @@',
      '-line 28',
      '+line twenty-eight',
      '--- a/old.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      '',
    ].join('\n');
    const diff = await run(applyPatchTool, { patch });
    expect(plain(diff, 40, 100)).toBe(
      [
        'long.txt +2 −2',
        ' 1   line 1',
        ' 2 - line 2',
        ' 2 + line two',
        ' 3   line 3',
        ' 4   line 4',
        ' 5   line 5',
        ' ⋮',
        '25   line 25',
        '26   line 26',
        '27   line 27',
        '28 - line 28',
        '28 + line twenty-eight',
        '29   line 29',
        '30   line 30',
        'old.txt (deleted) −1',
        ' 1 - bye',
      ].join('\n'),
    );
    expect(diffStats(diff)).toEqual({ added: 2, removed: 3 });
  });
});

describe('renderDiff layout', () => {
  const diff = computeDiff(numbered(40), numbered(40).replace(/line (\d)\n/g, 'LINE $1\n'), {
    oldPath: 'a/f.txt',
    newPath: 'b/f.txt',
  }).text;

  it('cuts long diffs after maxLines (default 20) and counts the rest', () => {
    const lines = plain(diff).split('\n');
    expect(lines).toHaveLength(21);
    expect(lines.at(-1)).toMatch(/^… \d+ more lines$/);
    const total = plain(diff, 40, 1000).split('\n').length;
    expect(lines.at(-1)).toBe(`… ${total - 20} more lines`);
    expect(plain(diff, 40, 3).split('\n')).toEqual([
      'f.txt +9 −9',
      ' 1 - line 1',
      ' 2 - line 2',
      `… ${total - 3} more lines`,
    ]);
  });

  it('shows the last row instead of a "1 more line" note', () => {
    const small = computeDiff('a\nb\n', 'a\nc\n', { oldPath: 'a/x', newPath: 'b/x' }).text;
    expect(plain(small, 40, 3)).toBe('x +1 −1\n1   a\n2 - b\n2 + c');
  });

  it('truncates long lines to the width with an ellipsis', () => {
    const wide = computeDiff('short\n', `${'x'.repeat(500)}\n`, { oldPath: 'a/w', newPath: 'b/w' }).text;
    const out = plain(wide, 30);
    expect(out.split('\n')[2]).toBe(`1 + ${'x'.repeat(25)}…`);
    expect(Math.max(...out.split('\n').map(displayWidth))).toBeLessThanOrEqual(30);
  });

  it('expands tabs and shows a missing final newline', () => {
    const d = computeDiff('\tindented\n', '\tindented', { oldPath: 'a/t', newPath: 'b/t' }).text;
    expect(plain(d)).toBe(
      ['t +1 −1', '1 -     indented', '1 +     indented', '\\ No newline at end of file'].join('\n'),
    );
  });

  it('colours added lines green, removed red, context dim, and strips back to the plain view', () => {
    const out = renderDiff(diff, { width: 40, color: true, maxLines: 30 });
    expect(out).toContain('\u001b[32m+ LINE 1\u001b[39m');
    expect(out).toContain('\u001b[31m- line 1\u001b[39m');
    expect(out).toContain('\u001b[1mf.txt\u001b[22m');
    expect(out).toContain('\u001b[2m  line 10\u001b[22m');
    expect(stripSgr(out)).toBe(plain(diff, 40, 30));
  });

  it('emits no escape sequences with colour off', () => {
    expect(plain(diff, 40, 1000)).not.toContain('\u001b');
  });
});

describe('diffStats', () => {
  it('counts lines whose content starts with -- or ++ as changes, not headers', () => {
    const d = computeDiff('-- a comment\nkeep\n', '++counter;\nkeep\n', {
      oldPath: 'a/s.sql',
      newPath: 'b/s.sql',
    }).text;
    expect(diffStats(d)).toEqual({ added: 1, removed: 1 });
    expect(plain(d)).toBe('s.sql +1 −1\n1 - -- a comment\n1 + ++counter;\n2   keep');
  });

  it('uses the totals of a truncated diff, not just the lines still in it', () => {
    const result = computeDiff('', numbered(3000), { oldPath: 'a/big', newPath: 'b/big', maxBytes: 2000 });
    expect(result.truncated).toBe(true);
    expect(diffStats(result.text)).toEqual({ added: 3000, removed: 0 });
    expect(plain(result.text, 60, 2).split('\n')[0]).toBe('big +3000');
  });

  it('is zero for an empty diff, and an empty diff renders as nothing', () => {
    expect(diffStats('')).toEqual({ added: 0, removed: 0 });
    expect(plain('')).toBe('');
  });
});

describe('renderDiff on patches models write and on bad input', () => {
  it('reads git headers and hunks without line counts', () => {
    const patch = [
      'diff --git a/src/x.ts b/src/x.ts',
      'index 83db48f..bf269f4 100644',
      '--- a/src/x.ts',
      '+++ b/src/x.ts',
      '@@ ... @@',
      ' keep',
      '-old',
      '+new',
    ].join('\n');
    expect(plain(patch)).toBe('src/x.ts +1 −1\n  keep\n- old\n+ new');
  });

  it('shows text that is not a diff as dim notes instead of failing', () => {
    expect(plain('not a diff\nat all')).toBe('not a diff\nat all');
    expect(renderDiff('Binary files a/x and b/x differ', { width: 40, color: true })).toBe(
      '\u001b[2mBinary files a/x and b/x differ\u001b[22m',
    );
  });

  it('survives hunk headers that lie about their counts', () => {
    const lying = '--- a/x\n+++ b/x\n@@ -1,50 +1,50 @@\n-a\n+b\n';
    expect(plain(lying)).toBe('x +1 −1\n1 - a\n1 + b');
    expect(diffStats(lying)).toEqual({ added: 1, removed: 1 });
  });

  it('neutralises escape sequences in paths and lines', () => {
    const hostile = [
      '--- a/\u001b]0;pwned\u0007x',
      '+++ b/\u001b]0;pwned\u0007x',
      '@@ -1 +1 @@',
      '-\u001b[2J\u001b]52;c;ZXZpbA==\u0007old',
      '+new\rEVIL \u009b31m',
    ].join('\n');
    for (const color of [false, true]) {
      const out = renderDiff(hostile, { width: 80, color });
      expect(stripSgr(out)).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(out).toContain('^[]52;c;ZXZpbA==^G');
    }
  });

  it('keeps a 100 KB line and odd widths or maxLines bounded', () => {
    const huge = `--- a/h\n+++ b/h\n@@ -1 +1 @@\n-${'y'.repeat(100_000)}\n+z\n`;
    for (const [width, maxLines] of [
      [80, 20],
      [0, -3],
      [Number.NaN, Number.NaN],
      [1e9, 1],
    ] as const) {
      const out = renderDiff(huge, { width, color: false, maxLines });
      expect(Math.max(...out.split('\n').map(displayWidth))).toBeLessThanOrEqual(1000);
      expect(out.split('\n').length).toBeLessThanOrEqual(
        Math.max(2, (Number.isFinite(maxLines) ? maxLines : 20) + 1),
      );
    }
  });
});
