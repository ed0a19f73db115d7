import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import type { Message } from '@aura/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  type BackendName,
  backendNames,
  createPgSchema,
  createProject,
  createSession,
  type Endpoint,
  eventLog,
  listMessages,
  messageText,
  type PgSchema,
  runTurn,
  sessionState,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  until,
  waitForIdle,
  writeScript,
} from './helpers.ts';

const auraBin = fileURLToPath(new URL('../../cli/bin/aura.js', import.meta.url));
/** The IDE origin the child servers are told about (AURA_BASE_URL), so sign-up knows its Origin. */
const ideOrigin = 'http://localhost:5173';

interface StoredEvent {
  seq: number;
  type: string;
  data: Record<string, unknown>;
}

/** `aura serve` as a real child process, on `--port 0`. */
class ServerProcess implements Endpoint {
  readonly origin = ideOrigin;
  url = '';
  #output = '';
  readonly #child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(dataDir: string, env: NodeJS.ProcessEnv) {
    this.#child = spawn(process.execPath, [auraBin, 'serve', '--port', '0', '--data', dataDir], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.#child.stderr?.setEncoding('utf8');
    this.#child.stderr?.on('data', (chunk: string) => {
      this.#output += chunk;
    });
    this.exited = once(this.#child, 'exit').then(([code]) => code as number | null);
  }

  /** Resolves with the URL from "API and CLI clients: http://…", or fails with what the child said. */
  async ready(): Promise<this> {
    const started = until(
      'the child server to print its URL',
      async () => /API and CLI clients: (\S+)/.exec(this.#output)?.[1],
      (url) => url !== undefined || this.#child.exitCode !== null,
    );
    const url = await started;
    if (!url) throw new Error(`aura serve exited (${this.#child.exitCode}):\n${this.#output}`);
    this.url = url;
    return this;
  }

  get output(): string {
    return this.#output;
  }

  async kill(signal: NodeJS.Signals): Promise<number | null> {
    this.#child.kill(signal);
    return this.exited;
  }
}

/** Reads the event log straight from the database files, with no server involved. */
interface RawDatabase {
  events(sessionId: string): Promise<StoredEvent[]>;
  close(): Promise<void>;
}

function rawDatabase(backend: BackendName, dataDir: string, pg: PgSchema | undefined): RawDatabase {
  if (backend === 'postgres' && pg) {
    return {
      async events(sessionId) {
        const rows = await pg.query('select seq, type, data from events where session_id = $1 order by seq', [
          sessionId,
        ]);
        return rows.map((r) => ({
          seq: Number(r.seq),
          type: String(r.type),
          data: JSON.parse(String(r.data)),
        }));
      },
      async close() {},
    };
  }
  let db: DatabaseSync | undefined;
  return {
    async events(sessionId) {
      db ??= new DatabaseSync(join(dataDir, 'aura.db'), { timeout: 5_000 });
      const rows = db
        .prepare('select seq, type, data from events where session_id = ? order by seq')
        .all(sessionId);
      return rows.map((r) => ({
        seq: Number(r.seq),
        type: String(r.type),
        data: JSON.parse(String(r.data)),
      }));
    },
    async close() {
      db?.close();
    },
  };
}

/** Steps that keep a run busy: each streams slowly and calls a harmless tool, so the loop goes on. */
function slowScript(steps: number) {
  return [
    {
      text: 'Writing progress.',
      tools: [{ name: 'write', input: { path: 'progress.txt', content: 'step 1\n' } }],
    },
    ...Array.from({ length: steps }, (_, i) => ({
      text: `tick ${i} `,
      chunkSize: 2,
      delayMs: 40,
      tools: [{ name: 'list', input: {} }],
    })),
    { text: 'Finished.' },
  ];
}

const toolParts = (message: Message | undefined) =>
  message?.parts.filter((p) => p.type === 'tool').length ?? 0;

describe.each(backendNames)('killing the server mid-run on %s', (backend) => {
  let dataDir: string;
  let pg: PgSchema | undefined;
  let raw: RawDatabase;
  const children: ServerProcess[] = [];
  /** Where the current child listens: each restart gets a new port, and the users follow it. */
  const endpoint = { url: '', origin: ideOrigin };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'aura-crash-'));
    pg = backend === 'postgres' ? await createPgSchema() : undefined;
    raw = rawDatabase(backend, dataDir, pg);
  });

  afterAll(async () => {
    for (const child of children) await child.kill('SIGKILL');
    await raw?.close();
    await pg?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<ServerProcess> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AURA_ALLOW_SCRIPTED_MODELS: '1',
      AURA_LOG_LEVEL: 'warn',
      AURA_BASE_URL: ideOrigin,
    };
    delete env.DATABASE_URL;
    if (pg) env.DATABASE_URL = pg.urlWithSearchPath;
    const child = new ServerProcess(dataDir, env);
    children.push(child);
    await child.ready();
    endpoint.url = child.url;
    return child;
  }

  it('keeps everything committed before a SIGKILL, marks the run interrupted, and continues', {
    timeout: 90_000,
  }, async () => {
    const first = await start();
    const user: TestUser = await signUp(endpoint, 'Kim');
    const project = await createProject(user, 'Crashy');
    const session = await createSession(user, project.id);
    await runTurn(user, session.id, 'Say hi', await writeScript(dataDir, [{ text: 'Hi there.' }]));

    const slow = await writeScript(dataDir, slowScript(200));
    const posted = await api(user, 'POST', `/api/sessions/${session.id}/messages`, {
      text: 'Work slowly',
      model: slow,
    });
    expect(posted.status).toBe(202);
    // Mid-run: the file is written and several steps are saved.
    const before = await until(
      'three saved steps of the slow run',
      () => listMessages(user, session.id),
      (messages) => toolParts(messages[3]) >= 3,
    );
    const eventsBefore = await raw.events(session.id);
    expect((await sessionState(user, session.id)).running).toBe(true);

    expect(await first.kill('SIGKILL')).toBeNull();

    const second = await start();
    const state = await sessionState(user, session.id);
    expect(state).toMatchObject({ state: 'INTERRUPTED', running: false });

    const events = await raw.events(session.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.slice(0, eventsBefore.length)).toEqual(eventsBefore);
    expect(state.lastSeq).toBe(events.length);
    const [finished, changed] = events.slice(-2);
    expect(finished).toMatchObject({ type: 'run_finished', data: { status: 'interrupted' } });
    expect(changed).toMatchObject({ type: 'state_change', data: { state: 'INTERRUPTED' } });
    expect(events.filter((e) => e.type === 'run_finished').map((e) => e.data.status)).toEqual([
      'completed',
      'interrupted',
    ]);

    const after = await listMessages(user, session.id);
    expect(after.slice(0, 3)).toEqual(before.slice(0, 3));
    expect(after.map(messageText).slice(0, 3)).toEqual(['Say hi', 'Hi there.', 'Work slowly']);
    expect(toolParts(after[3])).toBeGreaterThanOrEqual(toolParts(before[3]));
    expect(await readFile(join(dataDir, 'workspaces', project.id, 'progress.txt'), 'utf8')).toBe('step 1\n');

    // The interrupted session takes a new message and runs it through.
    await runTurn(user, session.id, 'Carry on', await writeScript(dataDir, [{ text: 'Continued.' }]));
    expect(await sessionState(user, session.id)).toMatchObject({ state: 'IDLE', running: false });
    const final = await listMessages(user, session.id);
    expect(final.map(messageText).slice(-2)).toEqual(['Carry on', 'Continued.']);
    const log = await raw.events(session.id);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect(log.at(-2)).toMatchObject({ type: 'run_finished', data: { status: 'completed' } });

    // A graceful stop (SIGTERM) mid-run cancels the run cleanly instead: nothing is left to recover.
    await api(user, 'POST', `/api/sessions/${session.id}/messages`, { text: 'Again slowly', model: slow });
    await until(
      'the second slow run to save a step',
      () => listMessages(user, session.id),
      (messages) => toolParts(messages.at(-1)) >= 2 && messages.at(-1)?.role === 'assistant',
    );
    expect(await second.kill('SIGTERM')).toBe(0);
    await start();
    expect(await sessionState(user, session.id)).toMatchObject({ state: 'IDLE', running: false });
    const stopped = await raw.events(session.id);
    expect(stopped.map((e) => e.seq)).toEqual(stopped.map((_, i) => i + 1));
    expect(stopped.filter((e) => e.type === 'run_finished').map((e) => e.data.status)).toEqual([
      'completed',
      'interrupted',
      'completed',
      'cancelled',
    ]);
    expect((await api(user, 'GET', '/api/health')).status).toBe(200);
  });
});

describe.each(backendNames)('a run that fails inside the store on %s', (backend) => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startTestServer(backend);
    user = await signUp(server, 'Faulty');
  });

  afterAll(async () => {
    await server?.close();
  });

  it('ends with run_finished error and an IDLE session instead of hanging RUNNING', async () => {
    const project = await createProject(user, 'Faults');
    const session = await createSession(user, project.id);
    const { store } = server.server.context;
    const updateMessage = store.updateMessage.bind(store);
    // Every write of the answer fails, as a full disk or a dropped database connection would.
    store.updateMessage = async () => {
      throw new Error('injected: the database went away');
    };
    try {
      const model = await writeScript(server.dataDir, [{ text: 'This answer cannot be saved.' }]);
      const posted = await api(user, 'POST', `/api/sessions/${session.id}/messages`, {
        text: 'hello',
        model,
      });
      expect(posted.status).toBe(202);
      await waitForIdle(user, session.id);
    } finally {
      store.updateMessage = updateMessage;
    }
    const log = await eventLog(server, session.id);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect(log.at(-2)).toMatchObject({ type: 'run_finished', data: { status: 'error' } });
    expect(log.at(-1)).toMatchObject({ type: 'state_change', data: { state: 'IDLE' } });
    expect(await sessionState(user, session.id)).toMatchObject({ state: 'IDLE', running: false });

    await runTurn(
      user,
      session.id,
      'again',
      await writeScript(server.dataDir, [{ text: 'Saved this time.' }]),
    );
    expect(messageText((await listMessages(user, session.id)).at(-1)!)).toBe('Saved this time.');
    expect(existsSync(join(server.dataDir, 'workspaces', project.id))).toBe(true);
  });
});
