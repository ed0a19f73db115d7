// Streaming path (issue 3): added latency scripted model → WS/SSE client, and 50 / 200 concurrent
// streaming sessions (events/s, dropped / duplicated events, server RSS). Budget (DESIGN): ≤ 1 ms
// median added latency provider → client; 200 concurrent sessions on 2 cores without a dropped or
// duplicated event. Exits 1 if any event is dropped, duplicated, reordered or altered, or a
// session fails (error frame, unexpected close, no end of turn within 90 s).
//
// Setup. The real server runs as a child process (`aura serve --port 0`, SQLite in a temp dir),
// so its RSS can be read from /proc and the clients (this process) do not share its event loop.
// The child is started with a tiny `--import` preload that only records timestamps
// (performance.timeOrigin + performance.now(), sub-ms) at two points and hands them over IPC at
// the end of a scenario:
//   - provider:  the moment the scripted model enqueues a text delta into its LanguageModel stream
//                (ReadableStreamDefaultController.prototype.enqueue, first sighting of each delta;
//                every delta text is a unique tag `~<session><chunk> `, so it can be matched to
//                the text_delta event that carries it). For a real provider this is the moment
//                the adapter hands over a chunk it has read from the network.
//   - publish:   EventBus.prototype.publish, i.e. after the event's SQLite transaction committed,
//                when the feeds of the connected clients are woken.
// The client timestamp is taken in the `message` handler (WS) or when the body chunk is read
// (SSE), before JSON.parse. The two processes' clocks (same machine, both timeOrigin + now()) are
// aligned with an NTP-style IPC ping-pong (minimum-RTT sample) before and after each scenario;
// the residual error (RTT/2 plus any drift between the two probes) is printed as "clock ±".
// The preload costs a few array stores per event; its arrays stay under ~1 MB of the RSS.
//
// What the latency columns measure (text deltas only, except pub→client and ts→client: every event):
//   prov→client  = client receive − provider enqueue: everything Aura adds once the chunk is in
//                  hand — AI SDK stream plumbing, the run loop, SessionEvents batching, the SQLite
//                  append, bus publish, SessionFeed, WS/SSE framing, loopback TCP, the client's
//                  frame decode. A lower bound on the added latency: it starts when the server
//                  gets round to the chunk, so it cannot see a busy event loop picking chunks up late.
//   due→client   = client receive − (previous chunk's enqueue + delayMs), i.e. from the earliest
//                  moment the scripted model could have produced the chunk; the first chunk of each
//                  step is left out (it follows a model call, not a timer). An upper bound: it adds
//                  the pickup lag, which includes libuv's ≤ 1 ms timer rounding. Under overload
//                  it still understates what an open-loop network provider would see, because the
//                  scripted model only schedules a chunk after the previous one was taken — there
//                  the stretch of the whole turn ("turn p50" vs the unloaded one) is the honest figure.
//   pickup lag   = due→client − prov→client: how late the server's event loop ran the model stream.
//   prov→pub     = publish − provider enqueue (both in the server process): the engine + persist part.
//   pub→client   = client receive − publish: the transport part (feed → socket → client).
//   ts→client    = client receive − envelope `ts`. `ts` is Date.now() taken in appendEvents just
//                  before the transaction, so this is "persist start → client" on the wall clock,
//                  with 1 ms resolution (ts is truncated: on average it reads 0.5 ms high). It is
//                  the only one of these a client can compute without instrumentation.
// Comparing arrival times against the script's absolute schedule (i × delayMs from the start) was
// rejected: setTimeout overshoots accumulate over 200 sleeps, so it would measure timer drift.
// An in-process server was not used either: it would share the clients' event loop, and the child
// process with aligned clocks measures the same path without that distortion.
//
// Scenarios: "unloaded" runs 5 sessions one after another (the latency budget's case); the
// concurrent ones connect and `resume {since: 0}` every client first, then start every session's
// run at once (WS `send` / SSE `POST …/messages`). Each scenario gets a fresh server, so its RSS
// peak (VmHWM) is its own. A session's script streams its text chunks (8 characters each, delayMs
// before each) in three steps, the first two ending with a `write` tool call: 200 chunks at 5 ms,
// as issue 3 asks, and a paced variant (50 chunks at 200 ms) that the server can keep up with for
// 200 sessions. At the end every session's full log is replayed over SSE
// (`GET /api/sessions/:id/events?since=0`, up to `GET /state`'s lastSeq, i.e. from the store) and
// compared with what the live client received: seqs must be exactly 1..lastSeq, in order, once
// each, byte-identical.
//
// Load columns: events = envelopes received live, all sessions; wall = first run started → last
// turn ended (summed over waves); events/s = events / wall; turn p50 = a session's send → its
// `state_change IDLE`; RSS idle = after setup (user, sessions), before any client connects;
// RSS peak = VmRSS sampled every 50 ms; VmHWM = the kernel's peak for the whole server process;
// server CPU = user + system time / wall; ELU = event-loop utilisation of the server's main thread
// and of this (client) process over the same period.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, realpathSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { printTable } from './table.ts';

const bin = fileURLToPath(new URL('../packages/cli/bin/aura.js', import.meta.url));
const busModule = pathToFileURL(
  realpathSync(fileURLToPath(new URL('../packages/engine/src/bus/bus.ts', import.meta.url))),
).href;
/** The IDE origin the server is told about; sign-up (cookie auth) must come from it. */
const ideOrigin = 'http://127.0.0.1:5173';
const CHUNK_CHARS = 8;
const WAVE_TIMEOUT_MS = 90_000;
const now = () => performance.timeOrigin + performance.now();

/** Runs in the server process (plain JS, via --import): records timestamps, answers over IPC. */
const preload = `
const now = () => performance.timeOrigin + performance.now();
const provider = new Map();
const published = new Map();
const proto = globalThis.ReadableStreamDefaultController.prototype;
const enqueue = proto.enqueue;
proto.enqueue = function (chunk) {
  if (chunk && chunk.type === 'text-delta' && typeof chunk.delta === 'string' &&
      chunk.delta.length === ${CHUNK_CHARS} && chunk.delta.charCodeAt(0) === 126) {
    const session = parseInt(chunk.delta.slice(1, 4), 36);
    const index = parseInt(chunk.delta.slice(4, 7), 36);
    let times = provider.get(session);
    if (!times) provider.set(session, (times = []));
    if (times[index] === undefined) times[index] = now();
  }
  return enqueue.call(this, chunk);
};
const { EventBus } = await import(${JSON.stringify(busModule)});
const publish = EventBus.prototype.publish;
EventBus.prototype.publish = function (event) {
  let times = published.get(event.sessionId);
  if (!times) published.set(event.sessionId, (times = []));
  times[event.seq] = now();
  return publish.call(this, event);
};
let elu = performance.eventLoopUtilization();
process.on('message', (message) => {
  if (message.type === 'clock') process.send({ type: 'clock', t: now() });
  if (message.type === 'elu') {
    process.send({ type: 'elu', utilization: performance.eventLoopUtilization(elu).utilization });
    elu = performance.eventLoopUtilization();
  }
  if (message.type === 'dump') {
    process.send({ type: 'dump', provider: [...provider], published: [...published] });
    provider.clear();
    published.clear();
  }
});
process.channel?.unref();
`;

// ---------------------------------------------------------------- server child process

interface Probe {
  /** Child time minus parent time, and its uncertainty (half the best round trip). */
  offset: number;
  error: number;
}

interface Dump {
  provider: Map<number, (number | null)[]>;
  published: Map<string, (number | null)[]>;
}

interface ServerChild {
  url: string;
  pid: number;
  clock(): Promise<Probe>;
  /** Event-loop utilization of the server since the previous call. */
  elu(): Promise<number>;
  dump(): Promise<Dump>;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

function cleanupSync(): void {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanupSync();
    process.exit(130);
  });
}

async function startServerChild(dataDir: string): Promise<ServerChild> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      `data:text/javascript,${encodeURIComponent(preload)}`,
      bin,
      'serve',
      '--port',
      '0',
      '--data',
      dataDir,
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: {
        ...process.env,
        AURA_ALLOW_SCRIPTED_MODELS: '1',
        AURA_LOG_LEVEL: 'warn',
        AURA_RUN_STARTS_PER_MINUTE: '100000',
        AURA_BASE_URL: ideOrigin,
      },
    },
  );
  children.add(child);
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${stderr}`)), 30_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
      const match = /Aura is running at (http:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${stderr}`));
    });
  });

  const replies: ((message: Record<string, unknown>) => void)[] = [];
  child.on('message', (message) => replies.shift()?.(message as Record<string, unknown>));
  const ask = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      replies.push(resolve);
      child.send({ type }, (error) => error && reject(error));
    });

  return {
    url,
    pid: child.pid!,
    async clock() {
      let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
      for (let i = 0; i < 200; i++) {
        const sent = now();
        const reply = await ask('clock');
        const received = now();
        const rtt = received - sent;
        if (rtt < best.rtt) best = { rtt, offset: (reply.t as number) - (sent + received) / 2 };
      }
      return { offset: best.offset, error: best.rtt / 2 };
    },
    async elu() {
      return (await ask('elu')).utilization as number;
    },
    async dump() {
      const reply = await ask('dump');
      return {
        provider: new Map(reply.provider as [number, (number | null)[]][]),
        published: new Map(reply.published as [string, (number | null)[]][]),
      };
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.disconnect();
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      children.delete(child);
    },
  };
}

function procStatus(pid: number): { rss: number; hwm: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 };
}

/** CPU seconds (user + system, all threads) of a process; Linux clock ticks are 100 Hz. */
function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// ---------------------------------------------------------------- HTTP helpers

interface Auth {
  token?: string;
  cookie?: string;
}

async function call<T>(url: string, auth: Auth, method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) {
    headers.cookie = auth.cookie;
    headers.origin = ideOrigin;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!);
      }
    }),
  );
  return results;
}

/** Reads an SSE body, calling `onData(data, receivedAt)` per event; resolves when it ends or is aborted. */
async function readSse(
  response: Response,
  onData: (data: string, receivedAt: number) => void,
  signal: AbortSignal,
): Promise<void> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const chunk = await reader.read();
      const receivedAt = now();
      if (chunk.done) return;
      buffer += decoder.decode(chunk.value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        for (const line of block.split('\n'))
          if (line.startsWith('data: ')) onData(line.slice(6), receivedAt);
        end = buffer.indexOf('\n\n');
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

// ---------------------------------------------------------------- scripts and clients

const tag = (session: number, chunk: number) =>
  `~${session.toString(36).padStart(3, '0')}${chunk.toString(36).padStart(3, '0')} `;

/** Where each of the three steps starts, and the end. */
const stepBounds = (chunks: number) => [0, Math.round(chunks * 0.35), Math.round(chunks * 0.7), chunks];

/** `chunks` tagged chunks in three steps; the first two end with a `write`. */
async function writeScript(dir: string, session: number, chunks: number, delayMs: number): Promise<string> {
  const text = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => tag(session, from + i)).join('');
  const split = stepBounds(chunks);
  const steps = [0, 1, 2].map((step) => ({
    text: text(split[step]!, split[step + 1]!),
    chunkSize: CHUNK_CHARS,
    delayMs,
    ...(step < 2
      ? {
          tools: [
            { name: 'write', input: { path: `s${session}-${step}.txt`, content: 'bench\n'.repeat(20) } },
          ],
        }
      : {}),
  }));
  const file = join(dir, `script-${session}.json`);
  await writeFile(file, JSON.stringify({ steps }));
  return `script:${file}`;
}

interface Envelope {
  seq: number;
  type: string;
  ts: number;
  data: Record<string, unknown>;
}

interface Received {
  seq: number;
  type: string;
  ts: number;
  at: number;
  json: string;
  delta?: string;
}

type Transport = 'ws' | 'sse';

class Client {
  readonly index: number;
  readonly sessionId: string;
  readonly model: string;
  readonly received: Received[] = [];
  sentAt = 0;
  doneAt = 0;
  failure: string | undefined;
  readonly done: Promise<void>;
  ws: WebSocket | undefined;
  readonly abort = new AbortController();
  #finished = false;
  #resolve!: () => void;

  constructor(index: number, sessionId: string, model: string) {
    this.index = index;
    this.sessionId = sessionId;
    this.model = model;
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  get lastSeq(): number {
    return this.received.at(-1)?.seq ?? 0;
  }

  envelope(json: string, at: number, e: Envelope = JSON.parse(json) as Envelope): void {
    const item: Received = { seq: e.seq, type: e.type, ts: e.ts, at, json };
    if (e.type === 'text_delta') item.delta = e.data.delta as string;
    this.received.push(item);
    if (e.type === 'run_finished') this.#finished = true;
    if (this.#finished && !this.doneAt && e.type === 'state_change' && e.data.state === 'IDLE') {
      this.doneAt = at;
      this.#resolve();
    }
  }

  fail(reason: string): void {
    if (this.doneAt) return;
    this.failure ??= reason;
    this.#resolve();
  }

  close(): void {
    this.ws?.close();
    this.abort.abort();
  }
}

interface Target {
  url: string;
  token: string;
  projectId: string;
}

/** Connects and resumes from 0; resolves once the resume is acknowledged (events may then flow). */
function connectWs(target: Target, client: Client): Promise<void> {
  const base = target.url.replace(/^http/, 'ws');
  const ws = new WebSocket(`${base}/ws/${target.projectId}?session=${client.sessionId}`, {
    headers: { authorization: `Bearer ${target.token}` },
  });
  client.ws = ws;
  return new Promise((resolve, reject) => {
    ws.on('message', (data, isBinary) => {
      const at = now();
      if (isBinary) return client.fail('binary frame');
      const text = String(data);
      const frame = JSON.parse(text) as { type: string; id?: string; seq?: number; data?: unknown };
      if (typeof frame.seq === 'number') return client.envelope(text, at, frame as Envelope);
      if (frame.type === 'hello')
        ws.send(JSON.stringify({ id: 'resume', type: 'resume', data: { since: 0 } }));
      else if (frame.type === 'ack' && frame.id === 'resume') resolve();
      else if (frame.type === 'error') client.fail(`error frame: ${JSON.stringify(frame.data)}`);
      else if (frame.type !== 'ack') client.fail(`unexpected frame: ${text.slice(0, 200)}`);
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
    ws.on('close', (code, reason) => {
      client.fail(`socket closed ${code} ${reason.toString()}`);
      reject(new Error(`socket closed ${code} before the resume was acknowledged`));
    });
  });
}

async function connectSse(target: Target, client: Client): Promise<void> {
  const response = await fetch(`${target.url}/api/sessions/${client.sessionId}/events?since=0`, {
    headers: { authorization: `Bearer ${target.token}` },
    signal: client.abort.signal,
  });
  if (response.status !== 200) throw new Error(`SSE: ${response.status} ${await response.text()}`);
  void readSse(response, (data, at) => client.envelope(data, at), client.abort.signal)
    .then(() => client.fail('event stream ended'))
    .catch((error: Error) => client.fail(`event stream failed: ${error.message}`));
}

async function startTurn(target: Target, transport: Transport, client: Client): Promise<void> {
  client.sentAt = now();
  if (transport === 'ws') {
    client.ws!.send(
      JSON.stringify({ id: 'send', type: 'send', data: { text: 'bench', model: client.model } }),
    );
  } else {
    await call(target.url, { token: target.token }, 'POST', `/api/sessions/${client.sessionId}/messages`, {
      text: 'bench',
      model: client.model,
    }).catch((error: Error) => client.fail(error.message));
  }
}

// ---------------------------------------------------------------- integrity check

interface Integrity {
  dropped: number;
  duplicated: number;
  reordered: number;
  altered: number;
  failed: number;
  notes: string[];
}

/** Replays the whole log over SSE and compares it with what the live client got. */
async function verify(target: Target, client: Client, integrity: Integrity): Promise<void> {
  const { lastSeq } = await call<{ lastSeq: number }>(
    target.url,
    { token: target.token },
    'GET',
    `/api/sessions/${client.sessionId}/state`,
  );
  const abort = new AbortController();
  const timeout = setTimeout(() => abort.abort(), 30_000);
  const response = await fetch(`${target.url}/api/sessions/${client.sessionId}/events?since=0`, {
    headers: { authorization: `Bearer ${target.token}` },
    signal: abort.signal,
  });
  const log = new Map<number, string>();
  let expected = 1;
  let replayBroken = false;
  if (lastSeq === 0) abort.abort();
  await readSse(
    response,
    (data) => {
      const seq = (JSON.parse(data) as { seq: number }).seq;
      if (seq !== expected++) replayBroken = true;
      log.set(seq, data);
      if (seq >= lastSeq) abort.abort();
    },
    abort.signal,
  );
  clearTimeout(timeout);
  if (replayBroken || log.size !== lastSeq) {
    integrity.notes.push(`session ${client.index}: replay is not 1..${lastSeq}`);
    integrity.failed += 1;
  }
  const seen = new Set<number>();
  let previous = 0;
  for (const item of client.received) {
    if (seen.has(item.seq)) integrity.duplicated += 1;
    else if (log.get(item.seq) !== item.json) integrity.altered += 1;
    if (item.seq <= previous) integrity.reordered += 1;
    previous = Math.max(previous, item.seq);
    seen.add(item.seq);
  }
  for (const seq of log.keys()) if (!seen.has(seq)) integrity.dropped += 1;
  if (client.failure) {
    integrity.failed += 1;
    integrity.notes.push(`session ${client.index}: ${client.failure}`);
  }
}

// ---------------------------------------------------------------- scenarios

interface Scenario {
  name: string;
  transport: Transport;
  sessions: number;
  /** Sessions started at once; the next wave starts when this one has finished. */
  wave: number;
  /** Text chunks per session, and the scripted model's pause before each. */
  chunks: number;
  delayMs: number;
}

const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : Number.NaN;
const sortNumbers = (values: number[]) => values.sort((a, b) => a - b);
const ms2 = (value: number) => (Number.isNaN(value) ? '–' : `${value.toFixed(2)} ms`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function runScenario(scenario: Scenario, root: string) {
  const dir = join(root, scenario.name.replace(/\W+/g, '-'));
  await mkdir(join(dir, 'scripts'), { recursive: true });
  const server = await startServerChild(join(dir, 'data'));
  try {
    const email = `bench-${Date.now()}@example.test`;
    const signUp = await fetch(`${server.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ideOrigin },
      body: JSON.stringify({ email, password: 'bench-password-123', name: 'Bench' }),
    });
    if (!signUp.ok) throw new Error(`sign-up: ${signUp.status} ${await signUp.text()}`);
    const cookie = signUp.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const { token } = await call<{ token: string }>(server.url, { cookie }, 'POST', '/api/tokens', {
      name: 'bench',
    });
    const project = await call<{ id: string }>(server.url, { token }, 'POST', '/api/projects', {
      name: 'Streaming bench',
    });
    const target: Target = { url: server.url, token, projectId: project.id };
    const indices = Array.from({ length: scenario.sessions }, (_, i) => i);
    const clients = await mapLimit(indices, 16, async (i) => {
      const session = await call<{ id: string }>(
        server.url,
        { token },
        'POST',
        `/api/projects/${project.id}/sessions`,
        {},
      );
      const model = await writeScript(join(dir, 'scripts'), i, scenario.chunks, scenario.delayMs);
      return new Client(i, session.id, model);
    });

    const clockBefore = await server.clock();
    const idle = procStatus(server.pid);
    let peakRss = idle.rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, procStatus(server.pid).rss);
    }, 50);
    const cpuBefore = procCpuSeconds(server.pid);
    const elu = performance.eventLoopUtilization();
    await server.elu();
    let wall = 0;
    for (let from = 0; from < clients.length; from += scenario.wave) {
      const wave = clients.slice(from, from + scenario.wave);
      await Promise.all(
        wave.map((c) => (scenario.transport === 'ws' ? connectWs(target, c) : connectSse(target, c))),
      );
      const started = now();
      await Promise.all(wave.map((c) => startTurn(target, scenario.transport, c)));
      const timeout = setTimeout(() => {
        for (const c of wave) c.fail(`turn not finished after ${WAVE_TIMEOUT_MS / 1000} s`);
      }, WAVE_TIMEOUT_MS);
      await Promise.all(wave.map((c) => c.done));
      clearTimeout(timeout);
      wall += Math.max(...wave.map((c) => c.doneAt || now())) - started;
      // Anything published after the turn's last state_change still belongs to the log: wait for it.
      await mapLimit(wave, 16, async (c) => {
        const deadline = Date.now() + 5_000;
        for (;;) {
          const state = await call<{ running: boolean; lastSeq: number }>(
            server.url,
            { token },
            'GET',
            `/api/sessions/${c.sessionId}/state`,
          );
          if ((!state.running && c.lastSeq >= state.lastSeq) || Date.now() > deadline || c.failure) return;
          await sleep(20);
        }
      });
      for (const c of wave) c.close();
    }
    const cpu = procCpuSeconds(server.pid) - cpuBefore;
    const clientElu = performance.eventLoopUtilization(elu).utilization;
    const serverElu = await server.elu();
    clearInterval(sampler);
    const end = procStatus(server.pid);
    peakRss = Math.max(peakRss, end.rss);
    const clockAfter = await server.clock();
    const dump = await server.dump();

    const integrity: Integrity = {
      dropped: 0,
      duplicated: 0,
      reordered: 0,
      altered: 0,
      failed: 0,
      notes: [],
    };
    await mapLimit(clients, 16, (c) => verify(target, c, integrity));

    // Child time → parent time: subtract the offset (averaged over the two probes).
    const offset = (clockBefore.offset + clockAfter.offset) / 2;
    const clockError =
      Math.max(clockBefore.error, clockAfter.error) + Math.abs(clockBefore.offset - clockAfter.offset) / 2;
    const firstOfStep = new Set(stepBounds(scenario.chunks));
    const provClient: number[] = [];
    const dueClient: number[] = [];
    const lag: number[] = [];
    const provPub: number[] = [];
    const pubClient: number[] = [];
    const tsClient: number[] = [];
    let events = 0;
    let missingStamps = 0;
    for (const c of clients) {
      const published = dump.published.get(c.sessionId) ?? [];
      const provided = dump.provider.get(c.index) ?? [];
      for (const item of c.received) {
        events += 1;
        tsClient.push(item.at - item.ts);
        const pub = published[item.seq];
        if (typeof pub === 'number') pubClient.push(item.at - (pub - offset));
        else missingStamps += 1;
        if (item.delta !== undefined) {
          const chunk = Number.parseInt(item.delta.slice(4, 7), 36);
          const prov = provided[chunk];
          if (typeof prov !== 'number') {
            missingStamps += 1;
            continue;
          }
          provClient.push(item.at - (prov - offset));
          if (typeof pub === 'number') provPub.push(pub - prov);
          const before = provided[chunk - 1];
          if (!firstOfStep.has(chunk) && typeof before === 'number') {
            const due = before + scenario.delayMs;
            lag.push(prov - due);
            dueClient.push(item.at - (due - offset));
          }
        }
      }
    }
    if (missingStamps > 0) integrity.notes.push(`${missingStamps} events without a server timestamp`);
    const turns = sortNumbers(clients.filter((c) => c.doneAt).map((c) => c.doneAt - c.sentAt));
    return {
      scenario,
      integrity,
      latency: {
        samples: provClient.length,
        provClient: sortNumbers(provClient),
        dueClient: sortNumbers(dueClient),
        lag: sortNumbers(lag),
        provPub: sortNumbers(provPub),
        pubClient: sortNumbers(pubClient),
        tsClient: sortNumbers(tsClient),
        clockError,
      },
      load: {
        events,
        wall,
        turnMedian: quantile(turns, 0.5),
        idleRss: idle.rss,
        peakRss,
        hwm: end.hwm,
        cpuCores: cpu / (wall / 1000),
        serverElu,
        clientElu,
      },
    };
  } finally {
    await server.stop();
  }
}

const burst = { chunks: 200, delayMs: 5 };
const scenarios: Scenario[] = [
  { name: 'WS unloaded (5 × 1 session)', transport: 'ws', sessions: 5, wave: 1, ...burst },
  { name: 'SSE unloaded (5 × 1 session)', transport: 'sse', sessions: 5, wave: 1, ...burst },
  { name: 'WS 50 concurrent', transport: 'ws', sessions: 50, wave: 50, ...burst },
  { name: 'WS 200 concurrent', transport: 'ws', sessions: 200, wave: 200, ...burst },
  { name: 'SSE 50 concurrent', transport: 'sse', sessions: 50, wave: 50, ...burst },
  // The same 200 sockets at a rate the server can sustain (~1,000 chunks/s offered in total).
  { name: 'WS 200 concurrent, paced', transport: 'ws', sessions: 200, wave: 200, chunks: 50, delayMs: 200 },
];

const root = await mkdtemp(join(tmpdir(), 'aura-bench-streaming-'));
tempDirs.add(root);
const results: Awaited<ReturnType<typeof runScenario>>[] = [];
try {
  for (const scenario of scenarios) results.push(await runScenario(scenario, root));
} finally {
  rmSync(root, { recursive: true, force: true });
  tempDirs.delete(root);
}

const script = (s: Scenario) => `${s.chunks} × ${s.delayMs} ms`;
const pct = (sorted: number[], q: number) => ms2(quantile(sorted, q));
printTable(
  `Added latency of the streaming path, text deltas (chunks of ${CHUNK_CHARS} chars; SQLite; server in a child process)`,
  results.map(({ scenario, latency: l }) => ({
    scenario: scenario.name,
    'chunks × delay': script(scenario),
    deltas: l.samples,
    'prov→client p50': pct(l.provClient, 0.5),
    'prov→client p99': pct(l.provClient, 0.99),
    'due→client p50': pct(l.dueClient, 0.5),
    'due→client p99': pct(l.dueClient, 0.99),
    'clock ±': ms2(l.clockError),
  })),
);
printTable(
  'Where the time goes: engine + persist (prov→pub), transport (pub→client), model-stream pickup lag, envelope ts',
  results.map(({ scenario, latency: l }) => ({
    scenario: scenario.name,
    'prov→pub p50': pct(l.provPub, 0.5),
    'prov→pub p99': pct(l.provPub, 0.99),
    'pub→client p50': pct(l.pubClient, 0.5),
    'pub→client p99': pct(l.pubClient, 0.99),
    'pickup lag p50': pct(l.lag, 0.5),
    'pickup lag p99': pct(l.lag, 0.99),
    'ts→client p50': pct(l.tsClient, 0.5),
    'ts→client p99': pct(l.tsClient, 0.99),
  })),
);
printTable(
  'Streaming load: every event, live client vs replayed log; server process (fresh per scenario)',
  results.map(({ scenario, integrity: i, load }) => ({
    scenario: scenario.name,
    events: load.events,
    wall: `${(load.wall / 1000).toFixed(2)} s`,
    'events/s': Math.round(load.events / (load.wall / 1000)),
    'turn p50': `${(load.turnMedian / 1000).toFixed(2)} s`,
    dropped: i.dropped,
    duplicated: i.duplicated,
    reordered: i.reordered,
    altered: i.altered,
    failed: i.failed,
    'RSS idle': mb(load.idleRss),
    'RSS peak': mb(load.peakRss),
    VmHWM: mb(load.hwm),
    'server CPU': `${load.cpuCores.toFixed(2)} cores`,
    'server ELU': `${Math.round(load.serverElu * 100)}%`,
    'client ELU': `${Math.round(load.clientElu * 100)}%`,
  })),
);
const problems = results.flatMap((r) => r.integrity.notes.map((note) => `${r.scenario.name}: ${note}`));
for (const problem of problems.slice(0, 20)) console.log(`  ${problem}`);
const bad = results.some(
  ({ integrity: i }) => i.dropped + i.duplicated + i.reordered + i.altered + i.failed > 0,
);
if (bad) console.log('\nFAIL: events were dropped, duplicated, reordered or altered, or a session failed.');
process.exitCode = bad ? 1 : 0;
