import { describe, expect, it } from 'vitest';
import { applyEdit } from './apply-edit.ts';
import { editCases } from './cases.ts';

describe('applyEdit case table', () => {
  it('has at least 60 cases with unique names', () => {
    expect(editCases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(editCases.map((c) => c.name)).size).toBe(editCases.length);
  });

  it.each(editCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = applyEdit(c.file, c.old, c.new, { replaceAll: c.replaceAll === true });
    if (typeof c.expect === 'string') {
      expect(result.ok ? result : result.error).toMatchObject({ ok: true });
      if (!result.ok) return;
      expect(result.content).toBe(c.expect);
      if (c.strategy !== undefined) expect(result.strategy).toBe(c.strategy);
      if (c.replacements !== undefined) expect(result.replacements).toBe(c.replacements);
    } else {
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatch(c.expect.error);
    }
  });
});

describe('applyEdit never matches a changed token', () => {
  // Each snippet is perturbed in a tolerated way (indentation, trailing space, CRLF, smart quotes,
  // blank line) and has one real token changed; no combination may apply.
  const file = [
    'function total(items, tax) {',
    "  const label = 'sum';",
    '  if (items.length === 0) {',
    '    return 0;',
    '  }',
    '',
    '  return items.reduce((a, b) => a + b, 0) * (1 + tax);',
    '}',
    '',
  ].join('\n');
  const block = file.split('\n').slice(1, 7);
  const tokenChanges: Array<[string, string]> = [
    ['===', '=='],
    ["'sum'", "'sun'"],
    ['return 0', 'return 1'],
    ['(a, b)', '(a, c)'],
    ['a + b', 'a - b'],
    ['items.length', 'items.size'],
  ];
  const perturbations: Array<[string, (lines: string[]) => string]> = [
    ['dropped indentation', (ls) => ls.map((l) => l.replace(/^ {2}/, '')).join('\n')],
    ['added indentation', (ls) => ls.map((l) => (l ? `    ${l}` : l)).join('\n')],
    ['tabs', (ls) => ls.map((l) => l.replace(/^ {2}/, '\t')).join('\n')],
    ['trailing spaces', (ls) => ls.map((l) => `${l}  `).join('\n')],
    ['CRLF', (ls) => ls.join('\r\n')],
    ['smart quotes', (ls) => ls.join('\n').replace(/'([^']*)'/g, '‘$1’')],
    ['blank line dropped', (ls) => ls.filter((l) => l !== '').join('\n')],
    ['blank line added', (ls) => [ls[0] ?? '', '', ...ls.slice(1)].join('\n')],
    [
      'tabs + smart quotes + CRLF',
      (ls) =>
        ls
          .map((l) => l.replace(/^ {2}/, '\t'))
          .join('\r\n')
          .replace(/'([^']*)'/g, '‘$1’'),
    ],
    [
      'dropped indentation + blank line dropped',
      (ls) =>
        ls
          .filter((l) => l !== '')
          .map((l) => l.replace(/^ {2}/, ''))
          .join('\n'),
    ],
    ['line-number prefixes', (ls) => ls.map((l, i) => `${String(i + 2).padStart(6)}\t${l}`).join('\n')],
  ];
  for (const [from, to] of tokenChanges) {
    for (const [label, perturb] of perturbations) {
      it(`${from} → ${to} with ${label}`, () => {
        const changed = block.map((line) => line.split(from).join(to));
        const old = perturb(changed);
        const result = applyEdit(file, old, `${old}\n// edited`);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error).toMatch(/not found/);
      });
    }
  }
  for (const [label, perturb] of perturbations) {
    it(`control: the unchanged block with ${label} does apply`, () => {
      const result = applyEdit(file, perturb(block), 'X');
      expect(result.ok ? result.strategy : result.error).not.toBe('exact');
      expect(result.ok).toBe(true);
    });
  }
});

describe('applyEdit details', () => {
  it('reports the number of replacements', () => {
    const r = applyEdit('a a a', 'a', 'b', { replaceAll: true });
    expect(r).toEqual({ ok: true, content: 'b b b', replacements: 3, strategy: 'exact' });
  });

  it('lists at most ten places for a very ambiguous edit', () => {
    const r = applyEdit('x\n'.repeat(30), 'x', 'y');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/matches 30 places.*lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …\)/);
  });

  it('keeps a BOM that the model echoed in old_string', () => {
    const r = applyEdit('\uFEFFa\n', '\uFEFFa', 'b');
    expect(r).toMatchObject({ ok: true, content: '\uFEFFb\n' });
  });

  it('answers quickly with a closest match on a large file', () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `const value${i} = compute(${i});`).join('\n');
    const started = performance.now();
    const r = applyEdit(big, 'const value12345 = compute(99999);\nconst value12346 = compute(1);', 'x');
    expect(performance.now() - started).toBeLessThan(5000);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/closest match is lines 1234\d-1234\d/);
  });
});
