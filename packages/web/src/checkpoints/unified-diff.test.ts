import { describe, expect, it } from 'vitest';
import { splitDiff } from './unified-diff.ts';

const diff = [
  'diff --git a/src/App.tsx b/src/App.tsx',
  'index 1111111..2222222 100644',
  '--- a/src/App.tsx',
  '+++ b/src/App.tsx',
  '@@ -1,3 +1,3 @@ export default',
  ' import a;',
  '-const x = 1;',
  '+const x = 2;',
  ' export {};',
  '@@ -10,2 +10,3 @@',
  ' a',
  '+-- not a header',
  ' b',
  'diff --git a/logo.png b/logo.png',
  'new file mode 100644',
  'index 0000000..3333333',
  'Binary files /dev/null and b/logo.png differ',
  'diff --git a/notes.txt b/notes.txt',
  'new file mode 100644',
  '--- /dev/null',
  '+++ b/notes.txt',
  '@@ -0,0 +1 @@',
  '+hi',
  '\\ No newline at end of file',
  '',
].join('\n');

describe('splitDiff', () => {
  const [app, logo, notes] = splitDiff(diff);

  it('gives one list of lines per file, headers dropped', () => {
    expect(splitDiff(diff)).toHaveLength(3);
    expect(app?.map((line) => line.kind)).toEqual([
      'hunk',
      'context',
      'removed',
      'added',
      'context',
      'hunk',
      'context',
      'added',
      'context',
    ]);
  });

  it('numbers lines in the old and the new file from each hunk’s header', () => {
    expect(app?.slice(1, 5)).toEqual([
      { kind: 'context', text: 'import a;', oldLine: 1, newLine: 1 },
      { kind: 'removed', text: 'const x = 1;', oldLine: 2, newLine: null },
      { kind: 'added', text: 'const x = 2;', oldLine: null, newLine: 2 },
      { kind: 'context', text: 'export {};', oldLine: 3, newLine: 3 },
    ]);
    expect(app?.[7]).toEqual({ kind: 'added', text: '-- not a header', oldLine: null, newLine: 11 });
  });

  it('notes binary files and a missing final newline', () => {
    expect(logo).toEqual([{ kind: 'note', text: 'Binary file changed.', oldLine: null, newLine: null }]);
    expect(notes?.at(-1)).toEqual({
      kind: 'note',
      text: 'No newline at end of file',
      oldLine: null,
      newLine: null,
    });
  });

  it('handles an empty diff', () => {
    expect(splitDiff('')).toEqual([]);
  });
});
