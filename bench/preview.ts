// Template → live preview (issue 4). Budget (DESIGN): template → preview HTTP 200 in ≤ 3 s with a
// warm dependency cache.
//
// A real server in this process (SQLite, a temp data dir, the sandbox driver start.ts picks).
// One run = POST /api/projects {template} (files copied, node_modules hard-linked from the cache)
// → POST /api/projects/:id/preview (the dev server starts on a free port; the route waits until
// it answers HTTP) → GET the preview link through the proxy (token exchange: 302 + cookie) → GET
// `/` on the preview origin with the cookie → 200 with the reporter injected. Timed from the
// first request to the 200.
//   cold:  the first project of a fresh data dir: empty template cache AND empty npm download
//          cache (<data>/cache/npm), so the install downloads every package from the registry.
//   warm:  every later project (the cache is ready): BENCH_RUNS runs (default 5), each project's
//          dev server stopped before the next.
// Memory: the last project's dev server is loaded once in headless Chromium (every module
// transformed, the HMR socket open; plain HTTP GETs when Chromium is missing), left idle for
// BENCH_IDLE_MS (default 10 s), then the RSS and PSS of its whole process tree (the sandbox's
// processes included: the shell, bwrap where used, node/vite and its workers) are read from /proc.
// RSS counts shared pages once per process; PSS shares them out, so PSS sums honestly.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverOptionsFrom } from '../packages/server/src/config.ts';
import { chromiumArgs } from '../packages/server/src/preview/chromium.ts';
import { startServer } from '../packages/server/src/start.ts';
import { ms, printTable, stats } from './table.ts';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const idleMs = Number(process.env.BENCH_IDLE_MS ?? 10_000);
const template = process.env.BENCH_TEMPLATE ?? 'react-vite';
const chromiumPath = process.env.AURA_CHROMIUM ?? '/usr/bin/chromium';

const dataDir = await mkdtemp(join(tmpdir(), 'aura-bench-preview-'));
// Thumbnails off: their Chromium would share the CPU with the runs being timed.
const options = {
  ...serverOptionsFrom({ port: 0, data: dataDir }, { AURA_THUMBNAILS: '0' }),
  logLevel: 'warn',
};
const server = await startServer({ options });
const origin = new URL(server.context.options.baseUrl).origin;

async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      origin,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

function hostGet(host: string, path: string, cookie?: string) {
  return new Promise<{ status: number; cookie: string | undefined; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        headers: { host, ...(cookie ? { cookie } : {}) },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            cookie: res.headers['set-cookie']?.[0]?.split(';')[0],
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

// A user with a token, signed up through Better Auth.
const email = `bench-${Date.now()}@example.test`;
const signUp = await fetch(`${server.url}/api/auth/sign-up/email`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', origin },
  body: JSON.stringify({ email, password: 'bench-password-1', name: 'bench' }),
});
const cookie = signUp.headers
  .getSetCookie()
  .map((c) => c.split(';')[0])
  .join('; ');
const created = await fetch(`${server.url}/api/tokens`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', origin, cookie },
  body: JSON.stringify({ name: 'bench' }),
});
const { token } = (await created.json()) as { token: string };

interface Sample {
  total: number;
  create: number;
  start: number;
  first200: number;
  projectId: string;
  url: string;
}

async function once(name: string): Promise<Sample> {
  const t0 = performance.now();
  const project = await call<{ id: string }>('POST', '/api/projects', { name, template }, token);
  const t1 = performance.now();
  const preview = await call<{ url: string; status: string; logs?: string }>(
    'POST',
    `/api/projects/${project.id}/preview`,
    {},
    token,
  );
  if (preview.status !== 'running') throw new Error(`preview ${preview.status}: ${preview.logs}`);
  const t2 = performance.now();
  const link = new URL(preview.url);
  const exchange = await hostGet(link.host, `/${link.search}`);
  if (exchange.status !== 302 || !exchange.cookie) throw new Error(`token exchange: ${exchange.status}`);
  const page = await hostGet(link.host, '/', exchange.cookie);
  if (page.status !== 200 || !page.body.includes('/__aura/preview.js')) {
    throw new Error(`preview page: ${page.status} ${page.body.slice(0, 200)}`);
  }
  const t3 = performance.now();
  return {
    total: t3 - t0,
    create: t1 - t0,
    start: t2 - t1,
    first200: t3 - t2,
    projectId: project.id,
    url: preview.url,
  };
}

/** pid → parent pid for every process. */
async function parents(): Promise<Map<number, number>> {
  const map = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      map.set(Number(name), Number(fields[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  return map;
}

async function treeMemory(root: number): Promise<{ processes: number; rssKb: number; pssKb: number }> {
  const parentOf = await parents();
  const tree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parentOf) {
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let rssKb = 0;
  let pssKb = 0;
  for (const pid of tree) {
    try {
      const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
      rssKb += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      pssKb += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return { processes: tree.size, rssKb, pssKb };
}

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

try {
  const rows: Record<string, string | number>[] = [];
  if (process.env.BENCH_COLD !== '0') {
    const cold = await once('cold');
    rows.push({
      cache: 'cold (empty template + npm cache)',
      runs: 1,
      'create project': ms(cold.create),
      'POST preview → running': ms(cold.start),
      'first 200 via proxy': ms(cold.first200),
      'total median': ms(cold.total),
      'total p95': '–',
    });
    await call('DELETE', `/api/projects/${cold.projectId}/preview`, undefined, token);
  }
  const warm: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const sample = await once(`warm ${i}`);
    warm.push(sample);
    if (i < runs - 1) await call('DELETE', `/api/projects/${sample.projectId}/preview`, undefined, token);
  }
  const total = stats(warm.map((s) => s.total));
  rows.push({
    cache: 'warm',
    runs,
    'create project': ms(stats(warm.map((s) => s.create)).median),
    'POST preview → running': ms(stats(warm.map((s) => s.start)).median),
    'first 200 via proxy': ms(stats(warm.map((s) => s.first200)).median),
    'total median': ms(total.median),
    'total p95': ms(total.p95),
  });
  printTable(
    `${template} → preview HTTP 200 through the proxy (sandbox: ${server.context.sandboxFor({ directory: dataDir }).kind})`,
    rows,
  );

  const last = warm.at(-1)!;
  let loadedWith = 'HTTP GETs';
  if (existsSync(chromiumPath)) {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', ...chromiumArgs()],
    });
    const page = await browser.newPage();
    await page.goto(last.url);
    await page.waitForSelector('h1');
    loadedWith = 'Chromium (page loaded, HMR socket open)';
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const dev = server.context.preview.devStatus(last.projectId);
    const memory = await treeMemory(dev!.pid!);
    await browser.close();
    printMemory(memory, loadedWith);
  } else {
    const link = new URL(last.url);
    const exchange = await hostGet(link.host, `/${link.search}`);
    for (const path of ['/', '/src/main.tsx', '/src/App.tsx', '/src/index.css']) {
      await hostGet(link.host, path, exchange.cookie);
    }
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const dev = server.context.preview.devStatus(last.projectId);
    printMemory(await treeMemory(dev!.pid!), loadedWith);
  }
} finally {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
}

function printMemory(memory: { processes: number; rssKb: number; pssKb: number }, loadedWith: string) {
  printTable(`Idle dev server (${template}) after ${idleMs / 1000} s, loaded with ${loadedWith}`, [
    {
      processes: memory.processes,
      'RSS (sum)': mb(memory.rssKb),
      'PSS (sum)': mb(memory.pssKb),
      'server + bench process RSS': mb(process.memoryUsage().rss / 1024),
    },
  ]);
}
