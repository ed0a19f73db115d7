import { createHash } from 'node:crypto';
import { mkdir, realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type AgentRun,
  type AuraConfig,
  builtinProviders,
  builtinTools,
  type CheckpointRepoOptions,
  closeRun,
  compactAndAnnounce,
  configuredProviders,
  connectMcpServers,
  createSandbox,
  dataDir as defaultDataDir,
  defaultModelId,
  EventBus,
  isRunState,
  loadConfig,
  type McpConnections,
  newId,
  type PermissionRequest,
  type PermissionRule,
  type ResolvedModel,
  resolveModel,
  type Sandbox,
  SessionEvents,
  type Store,
  saveRule,
  startRun,
  webToolContext,
  workspaceRules,
} from '@aura/engine';
import type { Attachment, EventEnvelope, Message, SessionInfo, Usage } from '@aura/protocol';
import { openCliStore } from '../store.ts';
import { type ChatBackend, ChatError, type PermissionAnswer, type ShellResult } from './backend.ts';
import { PendingQuestions, runShellCommand } from './local-shell.ts';
import { describeUndo, undoLastTurn } from './local-undo.ts';
import { sessionAfterEvent } from './session-events.ts';
import { WorkspaceFiles } from './workspace-files.ts';

export interface LocalChatOptions {
  /** Workspace; default the session's directory, else the current directory (created if missing). */
  dir?: string;
  /** provider/model or script:<file>; default the session's model, else the configured default. */
  model?: string;
  sessionId?: string;
  /** Continue the most recently active session of the workspace (a new one if it has none). */
  continueLast?: boolean;
  /** Where sessions and checkpoints are kept (default $XDG_DATA_HOME/aura). */
  dataDir?: string;
  sandbox?: 'local' | 'bwrap' | 'docker';
  maxSteps?: number;
  /** Things the person should know that are not chat events (ignored config, an MCP server down). */
  onNotice?: (message: string) => void;
}

const emptyUsage = (): Usage & { steps: number } => ({
  inputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  cachedInputTokens: 0,
  costUsd: null,
  steps: 0,
});

/**
 * Opens a chat on the local store. Errors the person can fix (unknown session, a model that
 * cannot be resolved, an invalid config file) are ChatErrors.
 */
export async function openLocalChat(opts: LocalChatOptions = {}): Promise<LocalChatBackend> {
  const notice = opts.onNotice ?? (() => {});
  const store = await openCliStore(opts.dataDir);
  let sandbox: Sandbox | undefined;
  let backend: LocalChatBackend | undefined;
  try {
    const existing = await sessionToOpen(store, opts);
    const workspace = await workspaceOf(opts.dir ?? existing?.directory ?? process.cwd());
    if (existing && existing.directory !== workspace) {
      throw new ChatError(`Session ${existing.id} belongs to ${existing.directory}, not ${workspace}.`);
    }
    if (opts.continueLast && !existing) notice('No earlier session in this workspace: starting a new one.');
    const config = await asChatError(() => loadConfig({ dir: workspace, onNotice: notice }));
    const model = await asChatError(async () =>
      resolveModel(opts.model ?? existing?.model ?? defaultModelId(config, process.env), {
        config,
        env: process.env,
      }),
    );
    // --model wins over the session's own, as in aura run.
    if (existing && opts.model && existing.model !== model.id) {
      await store.updateSession(existing.id, { model: model.id });
    }
    sandbox = createSandbox({ workspace, driver: opts.sandbox ?? 'local' });
    backend = new LocalChatBackend({
      store,
      config,
      model,
      workspace,
      sandbox,
      dataDir: defaultDataDir(opts.dataDir),
      maxSteps: opts.maxSteps,
      notice,
    });
    if (existing) await backend.openSession(existing.id);
    return backend;
  } catch (error) {
    // The backend owns the store and sandbox (and MCP servers) once it exists.
    if (backend) await backend.close();
    else {
      await sandbox?.dispose();
      await store.close();
    }
    throw error;
  }
}

async function sessionToOpen(store: Store, opts: LocalChatOptions): Promise<SessionInfo | undefined> {
  if (opts.sessionId) {
    const session = await store.getSession(opts.sessionId);
    if (!session) throw new ChatError(`No session ${opts.sessionId} (see aura session list).`);
    return session;
  }
  if (!opts.continueLast) return undefined;
  const [latest] = await store.listSessions({
    directory: await workspaceOf(opts.dir ?? process.cwd()),
    limit: 1,
  });
  return latest;
}

/** Sessions record the workspace's real path, so symlinked spellings find the same sessions. */
async function workspaceOf(dir: string): Promise<string> {
  const absolute = resolve(dir);
  await mkdir(absolute, { recursive: true });
  return realpath(absolute);
}

/** Mistakes in the config or the model id become messages for the person. */
async function asChatError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw new ChatError(error instanceof Error ? error.message : String(error));
  }
}

interface LocalChatParts {
  store: Store;
  config: AuraConfig;
  model: ResolvedModel;
  workspace: string;
  sandbox: Sandbox;
  dataDir: string;
  maxSteps: number | undefined;
  notice: (message: string) => void;
}

/**
 * The chat backend on this machine's store, driving the engine the way `aura run` does.
 *
 * A new session is only a draft, with its id chosen, until the first message (or the first
 * `!cmd` that needs a question asked): opening and leaving the TUI writes nothing. Runs record
 * checkpoints in `<data>/checkpoints/local-<hash of the workspace>.git`, which `undo` restores.
 */
export class LocalChatBackend implements ChatBackend {
  readonly kind = 'local' as const;
  readonly location: string;
  readonly #store: Store;
  readonly #bus = new EventBus();
  readonly #config: AuraConfig;
  readonly #workspace: string;
  readonly #sandbox: Sandbox;
  readonly #checkpoints: CheckpointRepoOptions;
  readonly #maxSteps: number | undefined;
  readonly #notice: (message: string) => void;
  readonly #files: WorkspaceFiles;
  readonly #questions = new PendingQuestions();
  readonly #eventListeners = new Set<(event: EventEnvelope) => void>();
  readonly #sessionListeners = new Set<(session: SessionInfo) => void>();
  readonly #mcp: Promise<McpConnections>;
  readonly #mcpAbort = new AbortController();
  #model: ResolvedModel;
  #session: SessionInfo;
  #persisted = false;
  #creating: Promise<void> | undefined;
  #unsubscribe: () => void = () => {};
  #run: { handle: AgentRun; done: Promise<void>; finishing: boolean } | undefined;
  #starting = false;
  #shellAbort = new AbortController();
  #closed = false;

  constructor(parts: LocalChatParts) {
    this.#store = parts.store;
    this.#config = parts.config;
    this.#model = parts.model;
    this.#workspace = parts.workspace;
    this.#sandbox = parts.sandbox;
    this.#maxSteps = parts.maxSteps;
    this.#notice = parts.notice;
    this.location = parts.workspace;
    const key = createHash('sha256').update(parts.workspace).digest('hex').slice(0, 16);
    this.#checkpoints = {
      workspace: parts.workspace,
      gitDir: join(parts.dataDir, 'checkpoints', `local-${key}.git`),
    };
    this.#files = new WorkspaceFiles(parts.workspace);
    this.#session = this.#draft();
    this.#listen();
    // Started now so that servers are usually up by the first message, which waits for them.
    this.#mcp = connectMcpServers(parts.config.mcp ?? {}, {
      onNotice: parts.notice,
      signal: this.#mcpAbort.signal,
    }).catch((error: unknown) => {
      parts.notice(
        `MCP servers could not be started: ${error instanceof Error ? error.message : String(error)}`,
      );
      return { tools: [], status: [], close: async () => {} };
    });
  }

  session(): SessionInfo {
    return this.#session;
  }

  async messages(): Promise<Message[]> {
    return this.#persisted ? this.#store.listMessages(this.#session.id) : [];
  }

  onEvent(listener: (event: EventEnvelope) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  onSessionChange(listener: (session: SessionInfo) => void): () => void {
    this.#sessionListeners.add(listener);
    return () => this.#sessionListeners.delete(listener);
  }

  async send(text: string, attachments: readonly Attachment[] = []): Promise<void> {
    await this.#refuseWhileRunning('send another message', 'The agent is still working on the last message');
    if (text.trim() === '') throw new ChatError('Type a message first.');
    // PostgreSQL cannot store it; refused the same way whichever database holds the session.
    if (text.includes('\0'))
      throw new ChatError('The message contains a NUL character; remove it and send again.');
    this.#starting = true;
    try {
      await this.#ensureSession();
      const sessionId = this.#session.id;
      const mcp = await this.#mcp;
      if (this.#closed) throw new ChatError('The chat was closed before the message could be sent.');
      const web = webToolContext(this.#config);
      const handle = startRun({
        store: this.#store,
        bus: this.#bus,
        sessionId,
        text,
        ...(attachments.length ? { attachments: [...attachments] } : {}),
        model: this.#model,
        mode: 'chat',
        workspace: this.#workspace,
        sandbox: this.#sandbox,
        tools: [...builtinTools({ webSearch: Boolean(web.webSearch) }), ...mcp.tools],
        permissions: { rules: await this.#rules(), mode: 'ask', persist: (rule) => this.#persistRule(rule) },
        toolContext: web,
        checkpoints: { gitDir: this.#checkpoints.gitDir },
        maxSteps: this.#maxSteps ?? this.#config.maxSteps,
      });
      const done = handle.done
        .then(
          () => this.#refresh(sessionId),
          (error: unknown) => this.#closeCrashedRun(sessionId, handle.runId, error),
        )
        .catch(() => undefined)
        .finally(() => {
          if (this.#run?.handle === handle) this.#run = undefined;
        });
      this.#run = { handle, done, finishing: false };
    } finally {
      this.#starting = false;
    }
  }

  async cancel(): Promise<void> {
    this.#questions.withdrawAll('cancelled');
    this.#shellAbort.abort();
    this.#shellAbort = new AbortController();
    const run = this.#run;
    if (!run) return;
    run.handle.cancel();
    await run.done;
  }

  async replyPermission(requestId: string, answer: PermissionAnswer): Promise<void> {
    if (this.#questions.answer(requestId, answer)) return;
    if (this.#run?.handle.replyPermission(requestId, answer)) return;
    throw new ChatError('That question is no longer waiting for an answer (the run ended or was cancelled).');
  }

  async models(): Promise<string[]> {
    const configured = new Set(configuredProviders(this.#config, process.env));
    const providers = [
      ...new Set([...Object.keys(builtinProviders), ...Object.keys(this.#config.providers ?? {})]),
    ];
    const ordered = [
      ...providers.filter((p) => configured.has(p)),
      ...providers.filter((p) => !configured.has(p)),
    ];
    const ids = ordered.flatMap((provider) =>
      [
        ...(builtinProviders[provider]?.models ?? []),
        ...(this.#config.providers?.[provider]?.models ?? []),
      ].map((model) => `${provider}/${model}`),
    );
    return [...new Set([this.#model.id, ...ids])];
  }

  async setModel(model: string): Promise<void> {
    const id = model.trim();
    let resolved: ResolvedModel;
    try {
      resolved = await resolveModel(id, { config: this.#config, env: process.env });
    } catch (error) {
      throw new ChatError(
        `Cannot switch to ${id}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    this.#model = resolved;
    this.#session = { ...this.#session, model: resolved.id };
    if (this.#persisted) await this.#store.updateSession(this.#session.id, { model: resolved.id });
  }

  listSessions(limit = 20): Promise<SessionInfo[]> {
    return this.#store.listSessions({ directory: this.#workspace, limit });
  }

  async newSession(): Promise<SessionInfo> {
    await this.#refuseWhileRunning('start a new session');
    this.#switchTo(this.#draft(), false);
    return this.#session;
  }

  /** Takes a full id, or the end of one (as the session picker shows it) within this workspace. */
  async openSession(id: string): Promise<SessionInfo> {
    await this.#refuseWhileRunning('switch sessions');
    let session = await this.#findSession(id.trim());
    if (session.directory !== this.#workspace) {
      throw new ChatError(
        `Session ${session.id} belongs to ${session.directory}; continue it there with: aura chat --session ${session.id}`,
      );
    }
    if (isRunState(session.state)) {
      // Its process died mid-run: record that, so this and every other client stops waiting.
      await closeRun(this.#store, this.#bus, session.id, {
        runId: 'interrupted',
        status: 'interrupted',
        error: 'The previous run was stopped before it finished.',
        state: 'IDLE',
        previous: session.state,
      });
      session = (await this.#store.getSession(session.id)) ?? session;
    }
    if (session.model && session.model !== this.#model.id) {
      try {
        this.#model = await resolveModel(session.model, { config: this.#config, env: process.env });
      } catch (error) {
        this.#notice(
          `This session used ${session.model}, which cannot be used now (${error instanceof Error ? error.message : String(error)}); continuing with ${this.#model.id}.`,
        );
        session = (await this.#store.updateSession(session.id, { model: this.#model.id })) ?? session;
      }
    }
    this.#switchTo(session, true);
    return session;
  }

  async undo(): Promise<string> {
    await this.#refuseWhileRunning('undo');
    const undone = await undoLastTurn(this.#checkpoints);
    if (!undone)
      throw new ChatError('Nothing to undo: no agent turn in this workspace has changed files yet.');
    return describeUndo(undone);
  }

  async compact(): Promise<string> {
    await this.#refuseWhileRunning('compact');
    if (!this.#persisted) return 'Nothing to compact yet: the session has no messages.';
    const result = await compactAndAnnounce(this.#store, this.#bus, this.#session.id);
    if (result.prunedToolOutputs === 0) {
      return 'Nothing to compact: tool outputs before the last two turns are already short or pruned.';
    }
    const outputs = `${result.prunedToolOutputs} old tool output${result.prunedToolOutputs === 1 ? '' : 's'}`;
    return `Compacted: pruned ${outputs}; the conversation is now about ${result.tokensAfter} tokens (was ${result.tokensBefore}).`;
  }

  async usage(): Promise<Usage & { steps: number }> {
    return this.#persisted ? this.#store.sessionUsage(this.#session.id) : emptyUsage();
  }

  files(prefix: string, limit?: number): Promise<string[]> {
    return this.#files.complete(prefix, limit);
  }

  async shell(command: string): Promise<ShellResult> {
    if (command.trim() === '') throw new ChatError('Type a command after !, e.g. !git status');
    return runShellCommand(command, {
      sandbox: this.#sandbox,
      rules: await this.#rules(),
      persist: (rule) => this.#persistRule(rule),
      ask: (request) => this.#ask(request),
      signal: this.#shellAbort.signal,
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#questions.withdrawAll('the chat was closed');
    this.#shellAbort.abort();
    this.#mcpAbort.abort();
    const run = this.#run;
    run?.handle.cancel('the chat was closed');
    await run?.done;
    this.#unsubscribe();
    try {
      await (await this.#mcp).close();
    } finally {
      await this.#sandbox.dispose();
      await this.#store.close();
    }
  }

  #draft(): SessionInfo {
    const now = Date.now();
    return {
      id: newId('ses'),
      title: null,
      directory: this.#workspace,
      projectId: null,
      userId: null,
      model: this.#model.id,
      mode: 'chat',
      state: 'IDLE',
      createdAt: now,
      updatedAt: now,
      lastSeq: 0,
      usage: emptyUsage(),
    };
  }

  async #ensureSession(): Promise<void> {
    if (this.#persisted) return;
    this.#creating ??= (async () => {
      const draft = this.#session;
      const created = await this.#store.createSession({
        id: draft.id,
        directory: this.#workspace,
        model: this.#model.id,
        mode: 'chat',
      });
      if (this.#session.id === draft.id) {
        this.#session = created;
        this.#persisted = true;
      }
    })().finally(() => {
      this.#creating = undefined;
    });
    await this.#creating;
  }

  async #findSession(id: string): Promise<SessionInfo> {
    const exact = id === '' ? undefined : await this.#store.getSession(id);
    if (exact) return exact;
    const recent =
      id.length >= 4 ? await this.#store.listSessions({ directory: this.#workspace, limit: 1000 }) : [];
    const matches = recent.filter((s) => s.id.endsWith(id));
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1)
      throw new ChatError(`More than one session ends with ${id}: give more of the id.`);
    throw new ChatError(`No session ${id} (list them with /session).`);
  }

  #switchTo(session: SessionInfo, persisted: boolean): void {
    this.#session = session;
    this.#persisted = persisted;
    this.#listen();
    for (const listener of this.#sessionListeners) listener(session);
  }

  /** Forwards the current session's events and keeps `session()` up to date with them. */
  #listen(): void {
    this.#unsubscribe();
    const sessionId = this.#session.id;
    this.#unsubscribe = this.#bus.subscribe(sessionId, (event) => {
      if (this.#session.id !== sessionId) return;
      this.#session = sessionAfterEvent(this.#session, event);
      if (event.type === 'run_finished' && this.#run?.handle.runId === event.data.runId)
        this.#run.finishing = true;
      for (const listener of this.#eventListeners) listener(event);
    });
  }

  async #refresh(sessionId: string): Promise<void> {
    const stored = await this.#store.getSession(sessionId).catch(() => undefined);
    if (stored && this.#session.id === sessionId) this.#session = stored;
  }

  /** A run that threw (a store write failed) closed nothing: close it so no client keeps waiting. */
  async #closeCrashedRun(sessionId: string, runId: string, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.#notice(`The run stopped because of an error: ${message}`);
    await closeRun(this.#store, this.#bus, sessionId, {
      runId,
      status: 'error',
      error: 'The run stopped because of an error. Send a message to continue.',
      state: 'IDLE',
      reportError: true,
    }).catch(() => undefined);
    await this.#refresh(sessionId);
  }

  /**
   * Refuses while a turn is under way. A turn that has reported its end is only saving its last
   * state: waiting for that beats refusing what the person did right after seeing it end.
   */
  async #refuseWhileRunning(what: string, busy = 'The agent is working'): Promise<void> {
    if (this.#run?.finishing) await this.#run.done;
    if (this.#run || this.#starting) {
      throw new ChatError(`${busy}: wait for it, or press Ctrl-C to cancel it, before you ${what}.`);
    }
  }

  #rules(): Promise<PermissionRule[]> {
    return workspaceRules(this.#store, this.#config, this.#workspace);
  }

  #persistRule(rule: PermissionRule): Promise<void> {
    return saveRule(this.#store, this.#workspace, rule);
  }

  /** A `!cmd` question, asked the way the agent asks: a persisted `permission_request` event. */
  async #ask(request: PermissionRequest): Promise<PermissionAnswer> {
    await this.#ensureSession();
    const events = new SessionEvents(this.#store, this.#bus, this.#session.id);
    const answer = this.#questions.wait(request.requestId);
    events.emit({ type: 'permission_request', data: { ...request } });
    await events.flush();
    try {
      const given = await answer;
      events.emit({ type: 'permission_resolved', data: { requestId: request.requestId, ...given } });
      return given;
    } catch (error) {
      // Withdrawn: every client showing the question should put it away.
      events.emit({
        type: 'permission_resolved',
        data: { requestId: request.requestId, reply: 'reject', message: 'Cancelled.' },
      });
      throw error;
    } finally {
      await events.flush();
    }
  }
}
