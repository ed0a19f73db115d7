// `aura chat` in a pseudo-terminal (80×24): cold start to first paint and idle memory (budget ≤
// 100 MB), from the CLI's bundle as installed and from the sources, for a new session, a
// 1,000-message one (budget ≤ 50 ms to load) and a session on a server (`--server`, where the
// engine is not in the process). `aura --version` is in cli-startup.ts.
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, sqliteFile } from '@aura/engine';
import type { MessagePart } from '@aura/protocol';
import type { IPty } from '@lydell/node-pty';
import { checkBundle } from '../packages/cli/bin/bundle.js';
import { renderTranscript } from '../packages/cli/src/tui/render-item.ts';
import { createTheme } from '../packages/cli/src/tui/theme.ts';
import { transcriptFromMessages } from '../packages/cli/src/tui/transcript.ts';
import { createProject, createSession, signUp, startTestServer } from '../packages/server/test/helpers.ts';
import { buildCliBundle } from '../scripts/build-cli.ts';
import * as table from './table.ts';

const bin = fileURLToPath(new URL('../packages/cli/bin/aura.js', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 5);
const settleMs = 1000;

// What `npm install` leaves: a fresh bundle.
if (!checkBundle().entry) await buildCliBundle();
const { ms, printTable, stats } = table;
const pty = createRequire(import.meta.url)('@lydell/node-pty') as typeof import('@lydell/node-pty');
const home = await mkdtemp(join(tmpdir(), 'aura-bench-tui-'));
await mkdir(join(home, 'project'));
const workspace = await realpath(join(home, 'project'));
const dataDir = join(home, 'data');
const script = join(home, 'script.json');
await writeFile(script, JSON.stringify({ steps: [{ text: 'Hello.' }] }));
const env: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  HOME: home,
  LANG: 'C.UTF-8',
  TERM: 'xterm-256color',
  XDG_CONFIG_HOME: join(home, 'config'),
  XDG_STATE_HOME: join(home, 'state'),
  // bin/aura.js keeps V8's compiled code here between runs.
  NODE_COMPILE_CACHE: join(home, 'compile-cache'),
  AURA_DATA_DIR: dataDir,
};

const plain = (text: string) => text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '');
const sleep = (delay: number) => new Promise((resolve) => setTimeout(resolve, delay));

/** Resident memory, and the part of it that is the process's own (not the node binary's pages). */
async function memoryMb(pid: number): Promise<{ rss: number; anonymous: number }> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1]);
  return { rss: kb('Rss') / 1024, anonymous: kb('Anonymous') / 1024 };
}

/** Starts a command, times it until the idle status line is on screen, then measures its memory. */
async function launch(
  command: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ paintMs: number; rss: number; anonymous: number }> {
  const started = performance.now();
  const child: IPty = pty.spawn(process.execPath, command, {
    cols: 80,
    rows: 24,
    cwd: home,
    env: { ...env, ...extraEnv },
  });
  let screen = '';
  const exited = new Promise<void>((resolve) => child.onExit(() => resolve()));
  const painted = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no first paint:\n${plain(screen)}`)), 30_000);
    child.onData((data) => {
      screen += data;
      if (/ · idle/.test(plain(screen))) {
        clearTimeout(timer);
        resolve(performance.now() - started);
      }
    });
  });
  const paintMs = await painted;
  await sleep(settleMs);
  const memory = await memoryMb(child.pid);
  child.write('\u0004');
  await exited;
  return { paintMs, ...memory };
}

/** `runs` starts; `freshCache`: each with an empty compile cache, as the first start after installing. */
async function measure(
  command: string[],
  options: { freshCache?: boolean; env?: Record<string, string> } = {},
): Promise<{ paint: number[]; rss: number[]; anonymous: number[] }> {
  const paint: number[] = [];
  const rss: number[] = [];
  const anonymous: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cache: Record<string, string> = options.freshCache
      ? { NODE_COMPILE_CACHE: await mkdtemp(join(home, 'compile-cache-')) }
      : {};
    const result = await launch(command, { ...options.env, ...cache });
    paint.push(result.paintMs);
    rss.push(result.rss);
    anonymous.push(result.anonymous);
  }
  return { paint, rss, anonymous };
}

/** A session of 1,000 messages, half of the answers with a tool call, in the chat's own store. */
async function longSession(): Promise<{ sessionId: string; transcriptMs: number[] }> {
  const store = await openStore({ sqlitePath: sqliteFile(dataDir) });
  const session = await store.createSession({ directory: workspace, model: `script:${script}` });
  const prose =
    'Some realistic assistant prose with `code`, a [link](https://example.com) and a list:\n\n- one\n- two\n';
  for (let i = 0; i < 1_000; i++) {
    const parts: MessagePart[] =
      i % 2 === 0
        ? [{ type: 'text', text: `Request number ${i}: change the thing in src/app.ts` }]
        : [
            { type: 'text', text: prose.repeat(2) },
            {
              type: 'tool',
              toolCallId: `c${i}`,
              tool: 'edit',
              input: { path: 'src/app.ts' },
              state: 'completed',
              output: 'Edited src/app.ts: 1 replacement, +1 -1 lines.',
              metadata: { diff: '--- a/src/app.ts\n+++ b/src/app.ts\n@@ -1 +1 @@\n-old()\n+new()\n' },
            },
          ];
    await store.createMessage({ sessionId: session.id, role: i % 2 === 0 ? 'user' : 'assistant', parts });
  }
  const messages = await store.listMessages(session.id);
  await store.close();

  // What the TUI does with the messages the store read: items, then the text it prints.
  const theme = createTheme(true);
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    renderTranscript(transcriptFromMessages(messages).done, { width: 80, theme });
    samples.push(performance.now() - start);
  }
  return { sessionId: session.id, transcriptMs: samples };
}

const chat = (...args: string[]) => [bin, 'chat', '--dir', workspace, ...args];
const fromSources = { AURA_FROM_SOURCES: '1' };
const firstEver = await measure(chat('--model', `script:${script}`), { freshCache: true });
const fresh = await measure(chat('--model', `script:${script}`));
const freshSources = await measure(chat('--model', `script:${script}`), { env: fromSources });
const { sessionId, transcriptMs } = await longSession();
const loaded = await measure(chat('--session', sessionId));

const server = await startTestServer('sqlite');
let remote: Awaited<ReturnType<typeof measure>>;
try {
  const user = await signUp(server, 'Bench');
  const project = await createProject(user, 'bench');
  const session = await createSession(user, project.id);
  const login = { AURA_SERVER: server.url, AURA_TOKEN: user.token };
  remote = await measure(chat('--server', server.url, '--session', session.id), { env: login });
} finally {
  await server.close();
}

const row = (what: string, samples: number[], unit: (n: number) => string, budget: string) => {
  const s = stats(samples);
  return { measure: what, min: unit(s.min), median: unit(s.median), max: unit(s.max), budget };
};
const mb = (n: number) => `${n.toFixed(1)} MB`;
printTable(`aura chat at 80×24, ${runs} cold starts each (node ${process.version})`, [
  row('first paint, new session, empty compile cache', firstEver.paint, ms, ''),
  row('first paint, new session', fresh.paint, ms, ''),
  row('first paint, new session, from the sources', freshSources.paint, ms, ''),
  row('first paint, 1,000-message session', loaded.paint, ms, ''),
  row('first paint, a session on a server (--server)', remote.paint, ms, ''),
  row(`idle RSS ${settleMs / 1000} s after first paint`, fresh.rss, mb, '≤ 100 MB'),
  row('idle RSS, from the sources', freshSources.rss, mb, '≤ 100 MB'),
  row('idle RSS, 1,000-message session', loaded.rss, mb, '≤ 100 MB'),
  row('idle RSS, a session on a server (--server)', remote.rss, mb, '≤ 100 MB'),
  row('idle anonymous memory (RSS less file pages)', fresh.anonymous, mb, ''),
  row('1,000 messages → printed transcript (in process)', transcriptMs, ms, '≤ 50 ms'),
]);
await rm(home, { recursive: true, force: true });
