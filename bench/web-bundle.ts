// Web IDE bundle size: what a first visit downloads before anything is lazy-loaded (the entry
// script, its modulepreloads and stylesheets named in index.html), gzip level 9, against the
// 300 KB budget; and the lazy chunks (editor, terminal, highlighter…) listed by size.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { printTable } from './table.ts';

const budgetKb = 300;
const dist = fileURLToPath(new URL('../packages/web/dist/', import.meta.url));
const build = spawnSync(
  process.execPath,
  [fileURLToPath(new URL('../scripts/build-web.ts', import.meta.url)), '--force'],
  {
    stdio: 'inherit',
  },
);
if (build.status !== 0) process.exit(1);

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const gzipSize = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
const initial = new Set<string>();
for (const match of html.matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g)) initial.add(match[1]!);

const assets = readdirSync(path.join(dist, 'assets')).map((name) => `assets/${name}`);
const rows = [...initial].map((file) => ({
  file,
  kind: file.endsWith('.css') ? 'css' : 'js',
  raw: kb(statSync(path.join(dist, file)).size),
  gzip: kb(gzipSize(path.join(dist, file))),
}));
printTable('Loaded by the first page (index.html)', rows);

const initialJs = [...initial]
  .filter((file) => file.endsWith('.js'))
  .reduce((sum, file) => sum + gzipSize(path.join(dist, file)), 0);
const lazy = assets
  .filter((file) => file.endsWith('.js') && !initial.has(file))
  .map((file) => ({ file, gzip: gzipSize(path.join(dist, file)) }))
  .sort((a, b) => b.gzip - a.gzip);
printTable(
  `Lazy chunks (${lazy.length}, largest first)`,
  lazy.slice(0, 15).map((chunk) => ({ file: chunk.file, gzip: kb(chunk.gzip) })),
);
printTable('Initial JS against the budget', [
  {
    'initial JS (gzip)': kb(initialJs),
    budget: `${budgetKb} KB`,
    verdict: initialJs <= budgetKb * 1024 ? 'ok' : 'OVER',
    'lazy JS total (gzip)': kb(lazy.reduce((sum, chunk) => sum + chunk.gzip, 0)),
  },
]);
