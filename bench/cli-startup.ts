// `aura --version` and `aura --help` wall time from process spawn to exit (budget: --version ≤ 100 ms).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ms, printTable, stats } from './table.ts';

const bin = fileURLToPath(new URL('../packages/cli/bin/aura.js', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 20);

function time(args: string[]): number[] {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, [bin, ...args], { stdio: 'ignore' });
    samples.push(performance.now() - start);
    if (result.status !== 0) throw new Error(`aura ${args.join(' ')} exited ${result.status}`);
  }
  return samples;
}

const baseline = (() => {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
    samples.push(performance.now() - start);
  }
  return samples;
})();

const rows = [
  ['node -e "" (floor)', baseline],
  ['aura --version', time(['--version'])],
  ['aura --help', time(['--help'])],
] as const;

printTable(
  `CLI start-up, ${runs} runs each (node ${process.version})`,
  rows.map(([name, samples]) => {
    const s = stats([...samples]);
    return { command: name, min: ms(s.min), median: ms(s.median), p95: ms(s.p95) };
  }),
);
