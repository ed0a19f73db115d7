// Time to first event of a scripted `aura run`: process spawn → first JSON envelope on stdout,
// and → exit. Also in-process: startRun → first published event.
import { spawn } from 'node:child_process';
import { mkdtemp, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  builtinTools,
  createLocalSandbox,
  defaultRules,
  EventBus,
  openStore,
  resolveModel,
  startRun,
} from '@aura/engine';
import { ms, printTable, stats } from './table.ts';

const bin = fileURLToPath(new URL('../packages/cli/bin/aura.js', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 10);
const home = await mkdtemp(join(tmpdir(), 'aura-bench-'));
const script = join(home, 'script.json');
await writeFile(
  script,
  JSON.stringify({
    steps: [
      { text: 'Writing.', tools: [{ name: 'write', input: { path: 'a.txt', content: 'a' } }] },
      { text: 'Done.' },
    ],
  }),
);

function once(): Promise<{ first: number; total: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let first = 0;
    const child = spawn(
      process.execPath,
      [
        bin,
        'run',
        'bench',
        '--model',
        `script:${script}`,
        '--dir',
        join(home, 'ws'),
        '--data',
        join(home, 'data'),
        '--format',
        'json',
        '--yes',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    child.stdout.on('data', () => {
      if (!first) first = performance.now() - start;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve({ first, total: performance.now() - start }) : reject(new Error(`exit ${code}`)),
    );
  });
}

const cli: { first: number; total: number }[] = [];
for (let i = 0; i < runs; i++) cli.push(await once());

const inProcess: number[] = [];
const store = await openStore({ sqlitePath: join(home, 'inproc.db') });
const workspace = await realpath(await mkdtemp(join(tmpdir(), 'aura-bench-ws-')));
const sandbox = createLocalSandbox({ workspace });
for (let i = 0; i < runs; i++) {
  const session = await store.createSession({ directory: workspace });
  const bus = new EventBus();
  const model = await resolveModel(`script:${script}`, { config: {}, env: {} });
  const start = performance.now();
  let first = 0;
  bus.subscribe(session.id, () => {
    if (!first) first = performance.now() - start;
  });
  const run = startRun({
    store,
    bus,
    sessionId: session.id,
    text: 'bench',
    model,
    workspace,
    sandbox,
    tools: builtinTools({}),
    permissions: { rules: defaultRules, mode: 'yes' },
  });
  await run.done;
  inProcess.push(first);
}
await sandbox.dispose();
await store.close();

const firsts = stats(cli.map((c) => c.first));
const totals = stats(cli.map((c) => c.total));
const inproc = stats(inProcess);
printTable(`Scripted run, ${runs} runs (2-step script, SQLite)`, [
  { measure: 'aura run: spawn → first event', median: ms(firsts.median), p95: ms(firsts.p95) },
  { measure: 'aura run: spawn → exit', median: ms(totals.median), p95: ms(totals.p95) },
  { measure: 'in-process: startRun → first event', median: ms(inproc.median), p95: ms(inproc.p95) },
]);
