import { describe, expect, it } from 'vitest';
import { parseHeaderPath, parsePatch, unfence } from './patch-parse.ts';

describe('parseHeaderPath', () => {
  it('strips prefixes, timestamps and quotes', () => {
    expect(parseHeaderPath('a/src/x.ts')).toBe('src/x.ts');
    expect(parseHeaderPath('b/src/x.ts\t2024-01-01 10:00:00.000 +0100')).toBe('src/x.ts');
    expect(parseHeaderPath('src/x.ts 2024-01-01 10:00:00')).toBe('src/x.ts');
    expect(parseHeaderPath('"a/with space.ts"')).toBe('with space.ts');
    expect(parseHeaderPath('/dev/null')).toBeUndefined();
  });
});

describe('unfence', () => {
  it('keeps only diff-looking fenced blocks', () => {
    const text = ['Try:', '```sh', 'git apply', '```', '```diff', '--- a/x', '+++ b/x', '```'].join('\n');
    expect(unfence(text)).toBe('--- a/x\n+++ b/x');
  });

  it('returns unfenced text as is', () => {
    expect(unfence('--- a/x\n')).toBe('--- a/x\n');
  });
});

describe('parsePatch', () => {
  it('reads hunk headers with and without numbers', () => {
    const parsed = parsePatch(
      ['--- a/x', '+++ b/x', '@@ -3 +3,2 @@ fn()', '-a', '+b', '+c', '@@ @@', ' d'].join('\n'),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [first, second] = parsed.files[0]?.hunks ?? [];
    expect(first).toMatchObject({ oldStart: 3, oldCount: 1, newStart: 3, newCount: 2, index: 1 });
    expect(second).toMatchObject({ oldStart: undefined, index: 2, lines: [{ op: ' ', text: 'd' }] });
  });

  it('tells a removed "-- comment" line from a file header', () => {
    const parsed = parsePatch(
      ['--- a/q.sql', '+++ b/q.sql', '@@ @@', '--- old comment', ' select 1;'].join('\n'),
    );
    expect(parsed.ok && parsed.files[0]?.hunks[0]?.lines[0]).toEqual({ op: '-', text: '-- old comment' });
  });

  it('ends a hunk at prose and trailing blank lines', () => {
    const parsed = parsePatch(
      ['--- a/x', '+++ b/x', '@@ @@', '-a', '+b', '', 'Hope this helps!', ''].join('\n'),
    );
    expect(parsed.ok && parsed.files[0]?.hunks[0]?.lines).toEqual([
      { op: '-', text: 'a' },
      { op: '+', text: 'b' },
    ]);
  });

  it('records no-newline markers per side', () => {
    const parsed = parsePatch(
      ['--- a/x', '+++ b/x', '@@ -1 +1 @@', '-a', '\\ No newline at end of file', '+b'].join('\n'),
    );
    expect(parsed.ok && parsed.files[0]?.hunks[0]).toMatchObject({ oldNoNewline: true, newNoNewline: false });
  });

  it('reads git metadata', () => {
    const parsed = parsePatch(
      ['diff --git a/old.ts b/new.ts', 'similarity index 90%', 'rename from old.ts', 'rename to new.ts'].join(
        '\n',
      ),
    );
    expect(parsed.ok && parsed.files[0]).toMatchObject({
      renameFrom: 'old.ts',
      renameTo: 'new.ts',
      hunks: [],
    });
  });

  it('rejects a hunk before any header', () => {
    expect(parsePatch('@@ -1 +1 @@\n-a\n+b\n')).toMatchObject({ ok: false, error: /before any file header/ });
  });

  it('rejects binary patches', () => {
    const parsed = parsePatch('diff --git a/i.png b/i.png\nBinary files a/i.png and b/i.png differ\n');
    expect(parsed).toMatchObject({ ok: false, error: /Binary patches are not supported/ });
  });
});
