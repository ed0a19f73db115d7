// Sandbox command overhead: bubblewrap exec against a plain spawn of the same command (budget: ≤ 15 ms
// added per command). Runs are interleaved so background load hits every variant alike.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBwrapSandbox, createLocalSandbox, sandboxAvailability } from '../packages/engine/src/index.ts';
import { ms, printTable, stats } from './table.ts';

const runs = Number(process.env.BENCH_RUNS ?? 40);
const budgetMs = 15;

function plainSpawn(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/bash', ['--norc', '-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}`))));
  });
}

const availability = await sandboxAvailability();
if (!availability.bwrap.available) {
  console.log(`bubblewrap is not usable here: ${availability.bwrap.reason}`);
  process.exit(1);
}

const workspace = mkdtempSync(path.join(tmpdir(), 'aura-bench-sandbox-'));
const bwrap = createBwrapSandbox({ workspace });
// The network off skips joining the sandbox's own network namespace: the difference is that cost.
const offline = createBwrapSandbox({ workspace, network: false });
const local = createLocalSandbox({ workspace });
const description = await bwrap.describe?.();

async function check(run: () => Promise<{ exitCode: number | null; stderr: string }>) {
  const result = await run();
  if (result.exitCode !== 0) throw new Error(`exit ${result.exitCode}: ${result.stderr}`);
}

const commands = ['true', `${process.execPath} -e 0`];
const variants = commands.flatMap((command) => {
  const shown = command.startsWith('/') ? 'node -e 0' : command;
  const inside = command.startsWith('/') ? 'node -e 0' : command;
  return [
    { name: `plain spawn: ${shown}`, command: shown, run: () => plainSpawn(command) },
    { name: `local sandbox: ${shown}`, command: shown, run: () => check(() => local.exec(command)) },
    { name: `bwrap sandbox: ${shown}`, command: shown, run: () => check(() => bwrap.exec(inside)) },
    { name: `bwrap, network off: ${shown}`, command: shown, run: () => check(() => offline.exec(inside)) },
  ];
});

try {
  for (const variant of variants) await variant.run(); // warm-up (bwrap probes the host once)
  const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let i = 0; i < runs; i++) {
    for (const variant of variants) {
      const started = performance.now();
      await variant.run();
      samples.get(variant.name)?.push(performance.now() - started);
    }
  }

  printTable(
    `Sandbox exec, ${runs} interleaved runs each (node ${process.version}, ${description?.user?.name ?? '?'} uid ${description?.user?.uid ?? '?'}, network ${description?.networkScope ?? 'off'})`,
    variants.map((variant) => {
      const s = stats(samples.get(variant.name) ?? []);
      return { variant: variant.name, min: ms(s.min), median: ms(s.median), p95: ms(s.p95) };
    }),
  );

  const rows = commands.map((command) => {
    const shown = command.startsWith('/') ? 'node -e 0' : command;
    const plain = stats(samples.get(`plain spawn: ${shown}`) ?? []);
    const boxed = stats(samples.get(`bwrap sandbox: ${shown}`) ?? []);
    const overhead = boxed.median - plain.median;
    return {
      command: shown,
      'plain median': ms(plain.median),
      'bwrap median': ms(boxed.median),
      overhead: ms(overhead),
      ratio: `${(boxed.median / plain.median).toFixed(2)}×`,
      'p95 overhead': ms(boxed.p95 - plain.p95),
      budget: overhead <= budgetMs ? `ok (≤ ${budgetMs} ms)` : `OVER (${budgetMs} ms)`,
    };
  });
  printTable('bwrap overhead against a plain spawn', rows);
  const limits = (description?.limits ?? []).map((limit) => ({
    limit: limit.name,
    value:
      limit.unit === 'bytes' ? `${Math.round(limit.value / 1024 ** 2)} MiB` : `${limit.value} ${limit.unit}`,
    mechanism: limit.mechanism,
    scope: limit.scope,
  }));
  printTable('Limits in force on this host', limits);
} finally {
  await bwrap.dispose();
  await offline.dispose();
  await local.dispose();
  rmSync(workspace, { recursive: true, force: true });
}
