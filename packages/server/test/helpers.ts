import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventEnvelope, Message, SessionInfo } from '@aura/protocol';
import pg from 'pg';
import WebSocket from 'ws';
import { type ServerOptions, serverOptionsFrom } from '../src/config.ts';
import { type RunningServer, startServer } from '../src/start.ts';

/**
 * Test-only: real Aura servers (startServer on port 0, a temp data dir) on either database, and a
 * small fetch client that signs up through Better Auth's own routes.
 */

export type BackendName = 'sqlite' | 'postgres';
export const backendNames: BackendName[] = ['sqlite', 'postgres'];

export const PG_TEST_URL = process.env.AURA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type Row = Record<string, unknown>;

/** A fresh PostgreSQL schema `aura_srv_<random>`; connecting fails loudly (never a skip). */
export interface PgSchema {
  readonly schema: string;
  /** PG_TEST_URL with `options=-c search_path=<schema>`, for a child process that cannot pass `schema`. */
  readonly urlWithSearchPath: string;
  query(text: string, params?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

export async function createPgSchema(): Promise<PgSchema> {
  const schema = `aura_srv_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_TEST_URL, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL at ${PG_TEST_URL} is unreachable: the PostgreSQL half of this suite cannot run`,
      {
        cause: error,
      },
    );
  }
  await admin.query(`create schema ${schema}`);
  const url = new URL(PG_TEST_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    schema,
    urlWithSearchPath: url.toString(),
    async query(text, params = []) {
      await admin.query(`set search_path to ${schema}`);
      return (await admin.query<Row>(text, params)).rows;
    },
    async drop() {
      try {
        await admin.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await admin.end();
      }
    },
  };
}

export interface OptionOverrides extends Partial<Omit<ServerOptions, 'limits' | 'thumbnails'>> {
  limits?: Partial<ServerOptions['limits']>;
  /** Thumbnails are off unless a test turns them on (each would launch Chromium). */
  thumbnails?: Partial<ServerOptions['thumbnails']>;
}

export interface TestServerOptions {
  /** Fields to change in the options `serverOptionsFrom` builds. */
  overrides?: OptionOverrides;
  /** Default true: the server runs as with AURA_ALLOW_SCRIPTED_MODELS=1. */
  allowScriptedModels?: boolean;
}

/** Where a server listens, and the origin its IDE would send. */
export interface Endpoint {
  readonly url: string;
  readonly origin: string;
}

/** Anyone who can call the API: a signed-up user, or nobody (no credentials). */
export interface Principal {
  readonly server: Endpoint;
  readonly cookie?: string;
  readonly token?: string;
}

export interface TestUser extends Principal {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly cookie: string;
  readonly token: string;
  readonly tokenId: string;
}

export interface TestServer extends Endpoint {
  readonly backend: BackendName;
  readonly server: RunningServer;
  readonly options: ServerOptions;
  readonly dataDir: string;
  readonly anonymous: Principal;
  /** Set for PostgreSQL: raw SQL on the test schema. */
  readonly pg?: PgSchema;
  /** Stops the server, drops the schema and deletes the data dir. */
  close(): Promise<void>;
}

let userCounter = 0;

export async function startTestServer(
  backend: BackendName,
  opts: TestServerOptions = {},
): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'aura-server-test-'));
  const env: NodeJS.ProcessEnv =
    opts.allowScriptedModels === false ? {} : { AURA_ALLOW_SCRIPTED_MODELS: '1' };
  const base = serverOptionsFrom({ port: 0, data: dataDir }, env);
  const { limits, thumbnails, ...rest } = opts.overrides ?? {};
  const pgSchema = backend === 'postgres' ? await createPgSchema() : undefined;
  const options: ServerOptions = {
    ...base,
    logLevel: process.env.AURA_TEST_LOG_LEVEL ?? 'silent',
    // Every test signs users up and starts runs from 127.0.0.1: only the rate-limit tests lower these.
    limits: { ...base.limits, runStartsPerMinute: 10_000, authAttemptsPerMinute: 10_000, ...limits },
    thumbnails: { ...base.thumbnails, enabled: false, ...thumbnails },
    ...(pgSchema ? { databaseUrl: PG_TEST_URL } : {}),
    ...rest,
    // An explicit base URL stays; otherwise the server derives it from the port it binds.
    baseUrlFixed: rest.baseUrl !== undefined,
  };
  let server: RunningServer;
  try {
    server = await startServer({ options, ...(pgSchema ? { schema: pgSchema.schema } : {}) });
  } catch (error) {
    await pgSchema?.drop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const testServer: TestServer = {
    backend,
    server,
    url: server.url,
    options: server.context.options,
    dataDir,
    origin: new URL(server.context.options.baseUrl).origin,
    get anonymous(): Principal {
      return { server: testServer };
    },
    ...(pgSchema ? { pg: pgSchema } : {}),
    async close() {
      try {
        await server.close();
      } finally {
        await pgSchema?.drop();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
  return testServer;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** The parsed JSON body (undefined when there was none or it was not JSON). */
  body: T;
  text: string;
}

export interface ApiOptions {
  /** Which credential to send; default: the token when the principal has one. */
  via?: 'token' | 'cookie' | 'none';
  /** The Origin header; default: the server's own origin for cookie requests, none for tokens. */
  origin?: string | null;
  headers?: Record<string, string>;
  /** Send this text as the body instead of JSON-encoding `body`. */
  raw?: string | Uint8Array;
}

/** One HTTP call to the test server as `who`. */
export async function api<T = unknown>(
  who: Principal,
  method: string,
  path: string,
  body?: unknown,
  opts: ApiOptions = {},
): Promise<ApiResponse<T>> {
  const via = opts.via ?? (who.token ? 'token' : who.cookie ? 'cookie' : 'none');
  const headers: Record<string, string> = {};
  if (via === 'token' && who.token) headers.authorization = `Bearer ${who.token}`;
  if (via === 'cookie' && who.cookie) headers.cookie = who.cookie;
  const origin = opts.origin === undefined ? (via === 'cookie' ? who.server.origin : null) : opts.origin;
  if (origin !== null) headers.origin = origin;
  let payload: string | Uint8Array | undefined;
  if (opts.raw !== undefined) payload = opts.raw;
  else if (body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${who.server.url}${path}`, {
    method,
    headers: { ...headers, ...opts.headers },
    ...(payload !== undefined ? { body: payload } : {}),
  });
  // An event stream never ends by itself: note that it opened and hang up.
  if (response.headers.get('content-type')?.includes('text/event-stream')) {
    await response.body?.cancel();
    return { status: response.status, headers: response.headers, body: undefined as T, text: '' };
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/** `name=value; name2=value2` from a response's Set-Cookie headers. */
export function cookieHeader(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

/** Signs up through Better Auth (`POST /api/auth/sign-up/email`) and creates a personal API token. */
export async function signUp(server: Endpoint, name = `user${++userCounter}`): Promise<TestUser> {
  const email = `${name.toLowerCase()}-${randomBytes(4).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const response = await fetch(`${server.url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.origin },
    body: JSON.stringify({ email, password, name }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${text}`);
  const { user } = JSON.parse(text) as { user: { id: string } };
  const cookie = cookieHeader(response.headers);
  const created = await api<{ id: string; token: string }>({ server, cookie }, 'POST', '/api/tokens', {
    name: `${name}'s token`,
  });
  if (created.status !== 201) throw new Error(`token creation failed: ${created.status} ${created.text}`);
  return {
    server,
    id: user.id,
    email,
    password,
    name,
    cookie,
    token: created.body.token,
    tokenId: created.body.id,
  };
}

/** Throws (with `what` and the last value seen) unless `check` passes within 15 s; polls every 20 ms. */
export async function until<T>(
  what: string,
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!check(last)) {
    if (Date.now() > deadline)
      throw new Error(`Gave up waiting for ${what}; last saw ${JSON.stringify(last)}`);
    await sleep(20);
    last = await probe();
  }
  return last;
}

/** A scripted model (see docs/protocol.md) written to `dir`; returns the `script:<abs path>` model id. */
export async function writeScript(dir: string, steps: unknown[]): Promise<string> {
  const file = join(dir, `script-${randomBytes(4).toString('hex')}.json`);
  await writeFile(file, JSON.stringify({ steps }));
  return `script:${file}`;
}

export interface ProjectBody {
  id: string;
  ownerId: string;
  name: string;
  description: string | null;
  template: string | null;
  thumbnail: string | null;
  network: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface Page<T> {
  items: T[];
  total?: number;
  limit: number;
  offset?: number;
}

export interface SessionState {
  sessionId: string;
  state: string;
  running: boolean;
  lastSeq: number;
}

export async function createProject(user: TestUser, name: string, extra: Record<string, unknown> = {}) {
  const response = await api<ProjectBody>(user, 'POST', '/api/projects', { name, ...extra });
  if (response.status !== 201) throw new Error(`create project: ${response.status} ${response.text}`);
  return response.body;
}

export async function createSession(user: TestUser, projectId: string, body: Record<string, unknown> = {}) {
  const response = await api<SessionInfo>(user, 'POST', `/api/projects/${projectId}/sessions`, body);
  if (response.status !== 201) throw new Error(`create session: ${response.status} ${response.text}`);
  return response.body;
}

export async function sessionState(user: TestUser, sessionId: string): Promise<SessionState> {
  const response = await api<SessionState>(user, 'GET', `/api/sessions/${sessionId}/state`);
  if (response.status !== 200) throw new Error(`session state: ${response.status} ${response.text}`);
  return response.body;
}

/** Polls `GET /state` until no run is active. */
export function waitForIdle(user: TestUser, sessionId: string, timeoutMs?: number): Promise<SessionState> {
  return until(
    `session ${sessionId} to finish its run`,
    () => sessionState(user, sessionId),
    (s) => !s.running,
    timeoutMs,
  );
}

/** Sends a message and waits for the run it starts to finish. */
export async function runTurn(user: TestUser, sessionId: string, text: string, model: string) {
  const posted = await api<{ runId: string }>(user, 'POST', `/api/sessions/${sessionId}/messages`, {
    text,
    model,
  });
  if (posted.status !== 202) throw new Error(`post message: ${posted.status} ${posted.text}`);
  await waitForIdle(user, sessionId);
  return posted.body.runId;
}

export async function listMessages(user: TestUser, sessionId: string, query = ''): Promise<Message[]> {
  const response = await api<Page<Message>>(user, 'GET', `/api/sessions/${sessionId}/messages${query}`);
  if (response.status !== 200) throw new Error(`messages: ${response.status} ${response.text}`);
  return response.body.items;
}

/** The session's event log, read from the store (assertions only). */
export function eventLog(server: TestServer, sessionId: string): Promise<EventEnvelope[]> {
  return server.server.context.store.listEvents(sessionId);
}

export function messageText(message: Message): string {
  return message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

export type WsOutcome =
  | { kind: 'rejected'; status: number; body: string }
  | { kind: 'closed'; code: number; reason: string; frames: unknown[] }
  /** The server greeted the socket with `hello`: the caller was let in (the socket is then closed). */
  | { kind: 'opened'; frames: unknown[] };

/**
 * Opens `/ws/...` and reports how the server ended it: an HTTP refusal of the upgrade, or a close
 * frame (with every frame received before it). For attempts the server is expected to end itself.
 */
export function wsAttempt(
  server: Endpoint,
  path: string,
  headers: Record<string, string> = {},
): Promise<WsOutcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}${path}`, { headers });
    const frames: unknown[] = [];
    ws.on('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => {
        resolve({ kind: 'rejected', status: response.statusCode ?? 0, body });
        ws.terminate();
      });
    });
    ws.on('error', () => {});
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type?: string };
      frames.push(frame);
      if (frame.type === 'hello') {
        resolve({ kind: 'opened', frames });
        ws.close();
      }
    });
    ws.on('close', (code, reason) => resolve({ kind: 'closed', code, reason: reason.toString(), frames }));
  });
}
