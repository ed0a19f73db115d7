// Web IDE responsiveness in headless Chromium against a real server (SQLite, scripted model):
//   1. time until the workspace page is interactive: from navigation start until the chat history
//      is on screen and the message box accepts typing (BENCH_RUNS loads, cold-ish: new page each);
//   2. long tasks (> 50 ms main-thread blocks) while a ~10k-token answer streams into the open page:
//      count, longest, and total blocking time (the sum of each long task's time past 50 ms).

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serverOptionsFrom } from '../packages/server/src/config.ts';
import { startServer } from '../packages/server/src/start.ts';
import { ms, printTable, stats } from './table.ts';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const chromiumPath = process.env.AURA_CHROMIUM ?? '/usr/bin/chromium';
/** ≈ 10k tokens at ~4 characters a token, streamed in small deltas like a fast model. */
const ANSWER_CHARS = 40_000;

const built = spawnSync(
  process.execPath,
  [fileURLToPath(new URL('../scripts/build-web.ts', import.meta.url))],
  {
    stdio: 'inherit',
  },
);
if (built.status !== 0) process.exit(1);

const dataDir = await mkdtemp(join(tmpdir(), 'aura-bench-web-'));
const options = {
  ...serverOptionsFrom({ port: 0, data: dataDir }, { AURA_ALLOW_SCRIPTED_MODELS: '1' }),
  logLevel: 'warn',
};
const server = await startServer({ options });
const origin = new URL(server.context.options.baseUrl).origin;
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});

// Page-side code, as source: it runs in the browser, not under this file's Node types.
const READY_CHECK = `(() => {
  const box = document.querySelector('textarea');
  const history = document.body.innerText.includes('when you are.');
  return box && !box.disabled && history ? performance.now() : false;
})()`;
const OBSERVE_LONG_TASKS = `(() => {
  window.longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.longTasks.push(entry.duration);
  }).observe({ type: 'longtask' });
})()`;

async function call<T>(method: string, path: string, body: unknown, cookie: string): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', origin, cookie },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

try {
  // The IDE's CSP forbids eval; the measuring snippets below are passed as source, so let them run.
  const context = await browser.newContext({ bypassCSP: true });
  const email = `bench-${Date.now()}@example.com`;
  // Signed up from a page: only the browser resolves *.localhost, where the IDE lives.
  const first = await context.newPage();
  await first.goto(`${origin}/`);
  const status = await first.evaluate(`fetch('/api/auth/sign-up/email', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: '${email}', password: 'correct horse battery', name: 'Bench' }),
  }).then((response) => response.status)`);
  if (status !== 200) throw new Error(`sign-up: ${status}`);
  await first.close();
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');

  const project = await call<{ id: string }>('POST', '/api/projects', { name: 'Bench' }, cookie);
  const session = await call<{ id: string }>(
    'POST',
    `/api/projects/${project.id}/sessions`,
    { title: 'Bench' },
    cookie,
  );
  // A short conversation to render on load.
  const shortScript = join(dataDir, 'short.json');
  writeFileSync(shortScript, JSON.stringify({ steps: [{ text: 'Hello! **Ready** when you are.' }] }));
  await call(
    'POST',
    `/api/sessions/${session.id}/messages`,
    { text: 'hi', model: `script:${shortScript}` },
    cookie,
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));

  const url = `${origin}/p/${project.id}?session=${session.id}`;
  const loads: number[] = [];
  for (let i = 0; i < runs; i++) {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    // Checked in the page on every frame: the moment both hold is the figure.
    const ready = await page
      .waitForFunction(READY_CHECK, undefined, { polling: 'raf', timeout: 30_000 })
      .catch(async (error: unknown) => {
        await page.screenshot({ path: join(tmpdir(), 'aura-bench-web-timeout.png') });
        throw error;
      });
    loads.push(Number(await ready.jsonValue()));
    await page.close();
  }
  const load = stats(loads);
  printTable(
    `Workspace page → interactive (${runs} loads: navigation start → history shown, message box enabled)`,
    [{ median: ms(load.median), min: ms(load.min), p95: ms(load.p95) }],
  );

  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole('textbox', { name: /message/i }).waitFor();
  await page.evaluate(OBSERVE_LONG_TASKS);
  // Shaped like a model's answer: paragraphs, a list and a fenced code block, repeated.
  const section = [
    'The change touches the store and the view. '.repeat(8).trim(),
    '',
    '- first, read the **current** state\n- then, write the `next` one\n- finally, render it',
    '',
    '```ts\nexport function next(state: State): State {\n  return { ...state, count: state.count + 1 };\n}\n```',
    '',
    '',
  ].join('\n');
  const longScript = join(dataDir, 'long.json');
  const text = section.repeat(Math.ceil(ANSWER_CHARS / section.length)).slice(0, ANSWER_CHARS);
  writeFileSync(
    longScript,
    JSON.stringify({ steps: [{ text: `${text}\nEND-OF-ANSWER`, chunkSize: 16, delayMs: 1 }] }),
  );
  const started = performance.now();
  await call(
    'POST',
    `/api/sessions/${session.id}/messages`,
    { text: 'long', model: `script:${longScript}` },
    cookie,
  );
  await page.getByText('END-OF-ANSWER').waitFor({ timeout: 120_000 });
  const streamMs = performance.now() - started;
  const longTasks = (await page.evaluate('window.longTasks')) as number[];
  const blocking = longTasks.reduce((sum, duration) => sum + Math.max(0, duration - 50), 0);
  printTable(`Long tasks while a ${ANSWER_CHARS.toLocaleString()}-character (~10k-token) answer streams`, [
    {
      'stream time': ms(streamMs),
      deltas: Math.ceil(ANSWER_CHARS / 16),
      'long tasks': longTasks.length,
      longest: ms(Math.max(0, ...longTasks)),
      'total blocking time': ms(blocking),
    },
  ]);
} finally {
  await browser.close();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
}
