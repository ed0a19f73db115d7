// New project from a template to a dev server answering HTTP 200 (budget ≤ 3 s with a warm
// dependency cache), for react-vite: the cold install into the cache, the warm copy + hard-link
// of node_modules, and the dev server (aura.json `dev`, spawned plainly, no sandbox) up to 200.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { copyTemplate, getTemplate, prepareTemplateCache } from '@aura/engine';
import { httpGet, startDevServer, waitForHttp } from '../packages/engine/src/template/dev-server.ts';
import { ms, printTable, stats } from './table.ts';

const template = process.env.BENCH_TEMPLATE ?? 'react-vite';
const runs = Number(process.env.BENCH_RUNS ?? 5);
// Dev servers and npm run on this Node (24), as under `npm run`.
process.env.PATH = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`;

const root = await mkdtemp(join(tmpdir(), 'aura-bench-template-'));
const time = async <T>(work: () => Promise<T>): Promise<[number, T]> => {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
};

try {
  const { manifest } = await getTemplate(template);
  const npmVersion = spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.trim();

  // Cold: an empty npm cache too (everything downloaded), then an empty template cache with
  // npm's cache warm (what a second template, or a changed lockfile, costs).
  const [coldDownload] = await time(() =>
    prepareTemplateCache(template, { cacheDir: join(root, 'cache-a'), npmCacheDir: join(root, 'npm') }),
  );
  const cacheDir = join(root, 'cache');
  const [coldWarmNpm] = await time(() =>
    prepareTemplateCache(template, { cacheDir, npmCacheDir: join(root, 'npm') }),
  );

  const copies: number[] = [];
  const plainCopies: number[] = [];
  const devReady: number[] = [];
  const moduleReady: number[] = [];
  const totals: number[] = [];
  let files = 0;
  for (let i = 0; i < runs; i++) {
    // Warm copy, hard links (the default) and, for comparison, real copies.
    const [copyMs] = await time(() =>
      copyTemplate(template, join(root, `copy-${i}`), {
        cacheDir,
        onProgress: (e) => {
          if (e.type === 'dependencies') files = e.files;
        },
      }),
    );
    copies.push(copyMs);
    const [plainMs] = await time(() =>
      copyTemplate(template, join(root, `plain-${i}`), { cacheDir, linkMode: 'copy' }),
    );
    plainCopies.push(plainMs);

    // The whole path a new project takes: copy, start the dev server, first 200 on `/`.
    const workspace = join(root, `project-${i}`);
    const started = performance.now();
    await copyTemplate(template, workspace, { cacheDir });
    const devStarted = performance.now();
    const dev = await startDevServer(manifest.dev, workspace);
    try {
      await waitForHttp(dev, 60_000, 10);
      const now = performance.now();
      totals.push(now - started);
      devReady.push(now - devStarted);
      // The app's entry module compiled (React pre-bundled on first use): what the browser needs next.
      const entry = await httpGet(dev.port, '/src/main.tsx');
      if (entry.status !== 200) throw new Error(`/src/main.tsx answered ${entry.status}`);
      moduleReady.push(performance.now() - devStarted);
    } finally {
      await dev.stop();
    }
  }

  const row = (measure: string, samples: number[]) => {
    const s = stats(samples);
    return { measure, median: ms(s.median), min: ms(s.min), max: ms(s.max) };
  };
  printTable(
    `Template ${template} → dev server HTTP 200 (${runs} runs; node ${process.version}, npm ${npmVersion}, ${files} files in node_modules)`,
    [
      row('cold install, empty npm cache (downloads)', [coldDownload]),
      row('cold install, npm cache warm', [coldWarmNpm]),
      row('warm copy: files + hard-linked node_modules', copies),
      row('warm copy with linkMode "copy" (for comparison)', plainCopies),
      row('dev server: spawn → GET / 200', devReady),
      row('dev server: spawn → /src/main.tsx 200', moduleReady),
      row('total warm: template → GET / 200 (budget 3 s)', totals),
    ],
  );
  const worst = Math.max(...totals);
  console.log(
    worst <= 3_000 ? `within budget (worst ${ms(worst)})` : `OVER BUDGET: worst ${ms(worst)} > 3000 ms`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
