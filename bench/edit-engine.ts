/**
 * Edit-engine benchmark: runs every applyEdit / applyPatch case from the shared tables, prints pass
 * counts per category and the median time per call. Run with `node bench/edit-engine.ts`.
 */
import {
  type CaseOutcome,
  checkEditCase,
  checkPatchCase,
  editCases,
  patchCases,
  readFrom,
} from '../packages/engine/src/edit/cases.ts';
import { applyEdit, applyPatch } from '../packages/engine/src/edit/index.ts';

interface Group {
  cases: number;
  passed: number;
  strategies: Set<string>;
}

export interface EditEngineBenchResult {
  passed: number;
  total: number;
  editMedianMicros: number;
  patchMedianMicros: number;
  failures: string[];
}

const ITERATIONS = 200;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

/** Microseconds per call of fn, one sample per call. */
function sample(fn: () => unknown, iterations: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return out;
}

function tally<C extends { name: string; category: string }>(
  cases: readonly C[],
  check: (c: C) => CaseOutcome,
  strategyOf: (c: C) => string | undefined,
  failures: string[],
): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const c of cases) {
    const group = groups.get(c.category) ?? { cases: 0, passed: 0, strategies: new Set<string>() };
    groups.set(c.category, group);
    group.cases++;
    const outcome = check(c);
    if (outcome.pass) group.passed++;
    else failures.push(`${c.category} / ${c.name}: ${outcome.detail.slice(0, 400)}`);
    const strategy = strategyOf(c);
    if (strategy) group.strategies.add(strategy);
  }
  return groups;
}

function printGroups(title: string, groups: Map<string, Group>, showStrategies: boolean): void {
  console.log(`\n${title}`);
  const header = `${'category'.padEnd(22)}${'cases'.padStart(6)}${'passed'.padStart(8)}`;
  console.log(showStrategies ? `${header}  strategies seen` : header);
  let cases = 0;
  let passed = 0;
  for (const [name, g] of groups) {
    cases += g.cases;
    passed += g.passed;
    const row = `${name.padEnd(22)}${String(g.cases).padStart(6)}${String(g.passed).padStart(8)}`;
    const strategies = [...g.strategies].join(', ') || '(error cases)';
    console.log(showStrategies ? `${row}  ${strategies}` : row);
  }
  console.log(`${'total'.padEnd(22)}${String(cases).padStart(6)}${String(passed).padStart(8)}`);
}

function count(groups: Map<string, Group>): { cases: number; passed: number } {
  let cases = 0;
  let passed = 0;
  for (const g of groups.values()) {
    cases += g.cases;
    passed += g.passed;
  }
  return { cases, passed };
}

function scaleTimings(): Array<[string, number]> {
  const lines = Array.from({ length: 20_000 }, (_, i) => `    const value${i} = compute(${i});`);
  const lf = `${lines.join('\n')}\n`;
  const crlf = `${lines.join('\r\n')}\r\n`;
  const block = 'const value12345 = compute(12345);\nconst value12346 = compute(12346);';
  const time = (fn: () => unknown): number => median(sample(fn, 15));
  return [
    ['exact, 20k-line file', time(() => applyEdit(lf, `    ${block.split('\n')[0]}`, 'x'))],
    ['indentation, 20k-line file', time(() => applyEdit(lf, block, 'x'))],
    [
      'line endings, 20k-line CRLF file',
      time(() => applyEdit(crlf, `    ${block.replace('\n', '\n    ')}`, 'x')),
    ],
    ['not found + closest, 20k-line file', time(() => applyEdit(lf, block.replace('12346);', '1);'), 'x'))],
  ];
}

export function runEditEngineBench(print = true): EditEngineBenchResult {
  const failures: string[] = [];
  const editGroups = tally(
    editCases,
    checkEditCase,
    (c) => {
      const r = applyEdit(c.file, c.old, c.new, { replaceAll: c.replaceAll === true });
      return r.ok ? r.strategy : undefined;
    },
    failures,
  );
  const patchGroups = tally(patchCases, checkPatchCase, () => undefined, failures);

  const editTimes: number[] = [];
  for (const c of editCases) {
    const opts = { replaceAll: c.replaceAll === true };
    editTimes.push(...sample(() => applyEdit(c.file, c.old, c.new, opts), ITERATIONS));
  }
  const patchTimes: number[] = [];
  for (const c of patchCases) {
    const read = readFrom(c.files);
    patchTimes.push(...sample(() => applyPatch(c.patch, read), ITERATIONS));
  }

  const edit = count(editGroups);
  const patch = count(patchGroups);
  const result: EditEngineBenchResult = {
    passed: edit.passed + patch.passed,
    total: edit.cases + patch.cases,
    editMedianMicros: median(editTimes),
    patchMedianMicros: median(patchTimes),
    failures,
  };
  if (!print) return result;

  console.log('Edit engine benchmark');
  printGroups('applyEdit', editGroups, true);
  printGroups('applyPatch', patchGroups, false);
  console.log(`\napplyEdit:  ${edit.passed} / ${edit.cases} passed`);
  console.log(`applyPatch: ${patch.passed} / ${patch.cases} passed`);
  console.log(`TOTAL:      ${result.passed} / ${result.total} passed`);
  const micros = (n: number): string => `${n.toFixed(1)} µs`;
  console.log(
    `\nmedian per applyEdit over the suite:  ${micros(result.editMedianMicros)} ` +
      `(p95 ${micros(percentile(editTimes, 0.95))}, ${editTimes.length} calls)`,
  );
  console.log(
    `median per applyPatch over the suite: ${micros(result.patchMedianMicros)} ` +
      `(p95 ${micros(percentile(patchTimes, 0.95))}, ${patchTimes.length} calls)`,
  );
  console.log('\nscale (median of 15 calls):');
  for (const [label, us] of scaleTimings()) console.log(`  ${label.padEnd(38)}${(us / 1000).toFixed(2)} ms`);
  if (failures.length > 0) {
    console.log(`\nFailures:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  }
  return result;
}

if (import.meta.main) {
  const result = runEditEngineBench();
  if (result.passed !== result.total) process.exitCode = 1;
}
