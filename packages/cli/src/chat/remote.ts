import type { Attachment, EventEnvelope, Message, ProjectInfo, SessionInfo, Usage } from '@aura/protocol';
import { RemoteApi } from '../remote/api-client.ts';
import { CredentialStore } from '../remote/credentials.ts';
import { RemoteError } from '../remote/errors.ts';
import { SessionEventStream } from '../remote/event-stream.ts';
import { normalizeServer } from '../remote/server-url.ts';
import { type ChatBackend, ChatError, type PermissionAnswer, type ShellResult } from './backend.ts';
import {
  chooseTarget,
  createSession,
  getProject,
  getSession,
  isNotFound,
  type PublicSession,
  projectSessions,
} from './remote-target.ts';
import { type CheckpointSummary, planUndo } from './remote-undo.ts';
import { sessionAfterEvent } from './session-events.ts';

export interface RemoteChatOptions {
  server: string;
  /** Default: AURA_TOKEN or the saved login for `server` (aura auth login). */
  token?: string;
  /** A project id or exact name; default: the project named after `dir` (created if missing). */
  project?: string;
  sessionId?: string;
  continueLast?: boolean;
  model?: string;
  /** Default: the current directory; only its name is used (the project's name). */
  dir?: string;
  onNotice?: (message: string) => void;
}

/** Most messages loaded into the transcript when a session opens. */
const MAX_TRANSCRIPT_MESSAGES = 10_000;
const MESSAGES_PAGE = 500;
/** How long the workspace listing is reused for `@file` completion while typing. */
const FILE_LIST_TTL_MS = 5_000;
const EXEC_TIMEOUT_MS = 120_000;

/** Connects to the server, picks the project and session (see chooseTarget) and applies `--model`. */
export async function openRemoteChat(opts: RemoteChatOptions): Promise<RemoteChatBackend> {
  try {
    const server = normalizeServer(opts.server);
    const token = opts.token ?? (await new CredentialStore().resolve(server)).token;
    const api = new RemoteApi(server, token);
    const target = await chooseTarget(api, opts);
    const backend = new RemoteChatBackend(api, target.project, target.session, opts.onNotice);
    if (opts.model) await backend.setModel(opts.model);
    return backend;
  } catch (error) {
    throw asChatError(error);
  }
}

/**
 * A session on an Aura server, over its REST API and SSE event stream with a personal API token.
 * Runs belong to the server: closing this client does not stop one, and the web IDE (or any
 * other client) watching the same session sees the same events.
 */
export class RemoteChatBackend implements ChatBackend {
  readonly kind = 'remote';
  readonly location: string;
  readonly #api: RemoteApi;
  readonly #onNotice: (message: string) => void;
  readonly #eventListeners = new Set<(event: EventEnvelope) => void>();
  readonly #sessionListeners = new Set<(session: SessionInfo) => void>();
  #project: ProjectInfo;
  #session: SessionInfo;
  #stream: SessionEventStream | undefined;
  #files: { at: number; paths: Promise<string[]> } | undefined;

  constructor(
    api: RemoteApi,
    project: ProjectInfo,
    session: PublicSession,
    onNotice: (message: string) => void = () => {},
  ) {
    this.#api = api;
    this.location = api.server;
    this.#project = project;
    this.#session = this.#withDirectory(session);
    this.#onNotice = onNotice;
  }

  /** The server project the session belongs to. */
  get project(): ProjectInfo {
    return this.#project;
  }

  session(): SessionInfo {
    return this.#session;
  }

  async messages(): Promise<Message[]> {
    const all: Message[] = [];
    const seen = new Set<string>();
    let after: number | undefined;
    while (all.length < MAX_TRANSCRIPT_MESSAGES) {
      const query = `limit=${MESSAGES_PAGE}${after === undefined ? '' : `&after=${after}`}`;
      const page = await this.#call<{ items: Message[] }>('GET', `${this.#sessionPath()}/messages?${query}`);
      const fresh = page.items.filter((message) => !seen.has(message.id));
      for (const message of fresh) seen.add(message.id);
      all.push(...fresh);
      const last = page.items.at(-1);
      if (page.items.length < MESSAGES_PAGE || fresh.length === 0 || !last) break;
      // Pages are by creation time; starting 1 ms early (and skipping what was seen) loses no message sharing a millisecond.
      after = last.createdAt - 1;
    }
    return all;
  }

  onEvent(listener: (event: EventEnvelope) => void): () => void {
    this.#eventListeners.add(listener);
    this.#ensureStream();
    return () => {
      this.#eventListeners.delete(listener);
    };
  }

  onSessionChange(listener: (session: SessionInfo) => void): () => void {
    this.#sessionListeners.add(listener);
    return () => {
      this.#sessionListeners.delete(listener);
    };
  }

  async send(text: string, attachments: readonly Attachment[] = []): Promise<void> {
    await this.#call('POST', `${this.#sessionPath()}/messages`, {
      text,
      ...(attachments.length ? { attachments } : {}),
    });
  }

  async cancel(): Promise<void> {
    try {
      await this.#api.request('POST', `${this.#sessionPath()}/cancel`);
    } catch (error) {
      // Nothing running (it just finished): cancelling is done.
      if (error instanceof RemoteError && error.code === 'no_active_run') return;
      throw asChatError(error);
    }
  }

  async replyPermission(requestId: string, answer: PermissionAnswer): Promise<void> {
    try {
      await this.#api.request(
        'POST',
        `${this.#sessionPath()}/permissions/${encodeURIComponent(requestId)}`,
        answer.message ? { reply: answer.reply, message: answer.message } : { reply: answer.reply },
      );
    } catch (error) {
      if (isNotFound(error))
        throw new ChatError(
          'That permission request is no longer waiting (answered elsewhere, or the run ended).',
        );
      throw asChatError(error);
    }
  }

  async models(): Promise<string[]> {
    const list = await this.#call<{
      items: { id: string; available: boolean }[];
      demo: { model: string } | null;
    }>('GET', '/api/models');
    const ids = [
      ...list.items.filter((model) => model.available).map((model) => model.id),
      ...list.items.filter((model) => !model.available).map((model) => model.id),
    ];
    return list.demo ? [...ids, list.demo.model] : ids;
  }

  async setModel(model: string): Promise<void> {
    const updated = await this.#call<PublicSession>('PATCH', this.#sessionPath(), { model });
    this.#session = { ...this.#session, model: updated.model };
  }

  async listSessions(limit = 20): Promise<SessionInfo[]> {
    const sessions = await wrap(projectSessions(this.#api, this.#project.id, limit));
    return sessions.map((session) => this.#withDirectory(session));
  }

  async newSession(): Promise<SessionInfo> {
    const current = this.#session;
    const fresh =
      current.lastSeq === 0 && current.state === 'IDLE'
        ? current
        : await wrap(createSession(this.#api, this.#project.id, current.model));
    return this.#switchTo(fresh);
  }

  async openSession(id: string): Promise<SessionInfo> {
    const session = await wrap(getSession(this.#api, id));
    if (session.projectId !== this.#project.id) {
      if (!session.projectId)
        throw new ChatError(`Session ${id} is not part of a project, so it cannot be opened here.`);
      this.#project = await wrap(getProject(this.#api, session.projectId));
      this.#files = undefined;
    }
    return this.#switchTo(session);
  }

  async undo(): Promise<string> {
    const projectPath = `/api/projects/${encodeURIComponent(this.#project.id)}`;
    const list = await this.#call<{ items: CheckpointSummary[] }>(
      'GET',
      `${projectPath}/checkpoints?limit=500`,
    );
    const plan = planUndo(list.items, this.#session.id);
    if (!plan) throw new ChatError('Nothing to undo: no turn of this session changed files.');
    const result = await this.#call<{ restoredFiles: string[]; deletedFiles: string[] }>(
      'POST',
      `${projectPath}/checkpoints/${encodeURIComponent(plan.restoreTo.id)}/restore`,
    );
    this.#files = undefined;
    const changes = [
      countOf(result.restoredFiles.length, 'file restored', 'files restored'),
      countOf(result.deletedFiles.length, 'file removed', 'files removed'),
    ].filter(Boolean);
    return `Undid "${plan.turn.message}": the workspace is as it was before that turn (${changes.join(', ') || 'no file changed'}).`;
  }

  async compact(): Promise<string> {
    const result = await this.#call<{ prunedToolOutputs: number; tokensBefore: number; tokensAfter: number }>(
      'POST',
      `${this.#sessionPath()}/compact`,
    );
    if (result.prunedToolOutputs === 0)
      return 'Nothing to compact: no older tool output is large enough to prune.';
    return `Compacted: pruned ${result.prunedToolOutputs} old tool output${result.prunedToolOutputs === 1 ? '' : 's'}, about ${result.tokensBefore.toLocaleString('en-US')} → ${result.tokensAfter.toLocaleString('en-US')} tokens.`;
  }

  async usage(): Promise<Usage & { steps: number }> {
    const session = await this.#call<PublicSession>('GET', this.#sessionPath());
    this.#session = { ...this.#session, usage: session.usage };
    return session.usage;
  }

  async files(prefix: string, limit = 50): Promise<string[]> {
    if (!this.#files || Date.now() - this.#files.at > FILE_LIST_TTL_MS) {
      const paths = this.#call<{ entries: { path: string; type: string }[] }>(
        'GET',
        `/api/projects/${encodeURIComponent(this.#project.id)}/files`,
      ).then((tree) => tree.entries.filter((entry) => entry.type !== 'dir').map((entry) => entry.path));
      this.#files = { at: Date.now(), paths };
      paths.catch(() => {
        this.#files = undefined;
      });
    }
    const paths = await this.#files.paths;
    const needle = prefix.toLowerCase();
    const starting = paths.filter((path) => path.startsWith(prefix));
    const containing = paths.filter(
      (path) => !path.startsWith(prefix) && path.toLowerCase().includes(needle),
    );
    return [...starting, ...containing].slice(0, limit);
  }

  async shell(command: string): Promise<ShellResult> {
    try {
      const result = await this.#api.request<{
        exitCode: number | null;
        stdout: string;
        stderr: string;
        timedOut: boolean;
        truncated: boolean;
      }>(
        'POST',
        `/api/projects/${encodeURIComponent(this.#project.id)}/exec`,
        { command, timeout_ms: EXEC_TIMEOUT_MS },
        { timeoutMs: EXEC_TIMEOUT_MS + 10_000 },
      );
      const parts = [result.stdout, result.stderr];
      if (result.timedOut) parts.push(`(stopped after ${EXEC_TIMEOUT_MS / 1000} s)`);
      if (result.truncated) parts.push('(output truncated)');
      const output = parts
        .filter(Boolean)
        .map((part) => (part.endsWith('\n') ? part : `${part}\n`))
        .join('');
      return { ok: result.exitCode === 0 && !result.timedOut, exitCode: result.exitCode, output };
    } catch (error) {
      if (error instanceof RemoteError && error.code === 'permission_denied')
        return { ok: false, exitCode: null, output: error.message, denied: true };
      throw asChatError(error);
    }
  }

  async close(): Promise<void> {
    const stream = this.#stream;
    this.#stream = undefined;
    await stream?.close();
  }

  #sessionPath(): string {
    return `/api/sessions/${encodeURIComponent(this.#session.id)}`;
  }

  async #switchTo(session: PublicSession | SessionInfo): Promise<SessionInfo> {
    await this.close();
    this.#session = this.#withDirectory(session);
    if (this.#eventListeners.size > 0) this.#ensureStream();
    for (const listener of this.#sessionListeners) listener(this.#session);
    return this.#session;
  }

  #ensureStream(): void {
    if (this.#stream) return;
    const sessionId = this.#session.id;
    this.#stream = new SessionEventStream({
      api: this.#api,
      sessionId,
      since: this.#session.lastSeq,
      onEvent: (event) => this.#dispatch(event),
      onNotice: this.#onNotice,
      onFatal: (error) => this.#onNotice(`Live updates stopped: ${error.message}`),
    });
    this.#stream.start();
  }

  #dispatch(event: EventEnvelope): void {
    if (event.sessionId !== this.#session.id) return;
    this.#session = sessionAfterEvent(this.#session, event);
    for (const listener of this.#eventListeners) {
      try {
        listener(event);
      } catch (error) {
        this.#onNotice(`Could not show an event (${event.type}): ${(error as Error).message}`);
      }
    }
  }

  /** Sessions from the server have no host path; the project's name stands in for it. */
  #withDirectory(session: PublicSession | SessionInfo): SessionInfo {
    return { ...session, directory: this.#project.name };
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return wrap(this.#api.request<T>(method, path, body));
  }
}

/** `2 files removed`; empty for none. */
function countOf(count: number, one: string, many: string): string {
  return count === 0 ? '' : `${count} ${count === 1 ? one : many}`;
}

async function wrap<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw asChatError(error);
  }
}

/** Remote failures reach the TUI as ChatErrors: their messages are written to be shown as is. */
function asChatError(error: unknown): unknown {
  return error instanceof RemoteError ? new ChatError(error.message) : error;
}
