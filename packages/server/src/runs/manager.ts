import {
  type AgentRun,
  type AuraConfig,
  type BuilderHooks,
  builtinTools,
  closeRun,
  defaultModelId,
  type EventBus,
  type PermissionAnswer,
  parseModelId,
  type ResolvedModel,
  resolveModel,
  type Sandbox,
  type StartRunOptions,
  type Store,
  saveRule,
  startBuild,
  startRun,
  webToolContext,
  workspaceRules,
} from '@aura/engine';
import type { Attachment, SessionInfo, SessionMode } from '@aura/protocol';
import { HttpError } from '../http/errors.ts';
import { expandDemoModel } from './demo.ts';

export interface RunInput {
  text: string;
  attachments?: Attachment[];
  model?: string;
  mode?: SessionMode;
}

export interface RunManagerDeps {
  store: Store;
  bus: EventBus;
  /** Scripted models replay files from the server's disk: only for tests and demos. */
  allowScriptedModels: boolean;
  /** Engine config for a user's runs: server defaults plus the user's own provider keys. */
  configFor(userId: string): Promise<AuraConfig>;
  env: Record<string, string | undefined>;
  sandboxFor(session: SessionInfo): Sandbox;
  /** How long VERIFYING waits for preview errors (ms). */
  buildVerifySettleMs?: number;
  /** The app builder's hooks (template, dev server / preview) for a session's project. */
  buildHooksFor?: (session: SessionInfo) => BuilderHooks;
  /** Where a project's checkpoint repository lives; absent → no checkpoints. */
  checkpointGitDir?: (projectId: string) => string;
  onRunFinished?: (info: {
    sessionId: string;
    directory: string;
    status: string;
    durationMs: number;
  }) => void;
}

interface ActiveRun {
  run: AgentRun;
  projectId: string | null;
  /** The workspace the run works in. */
  directory: string;
  /** `build`: the app builder, which prepares the workspace and starts the preview itself. */
  mode: string;
}

/**
 * Owns the server's agent runs: at most one per session, each outliving the client that started
 * it. Clients reach a run only through its session id, after the routes have checked ownership.
 */
export class RunManager {
  readonly #deps: RunManagerDeps;
  readonly #active = new Map<string, ActiveRun>();
  /** Sessions whose run is being set up (model resolved, rules loaded) but not yet active. */
  readonly #starting = new Set<string>();

  constructor(deps: RunManagerDeps) {
    this.#deps = deps;
  }

  get activeCount(): number {
    return this.#active.size;
  }

  isActive(sessionId: string): boolean {
    return this.#active.has(sessionId);
  }

  async start(session: SessionInfo, userId: string, input: RunInput): Promise<{ runId: string }> {
    if (this.#active.has(session.id) || this.#starting.has(session.id)) {
      throw new HttpError(
        409,
        'run_active',
        'This session already has a run in progress. Cancel it or wait for it to finish.',
      );
    }
    // Claimed before the first await: two messages sent at once must not both start a run.
    this.#starting.add(session.id);
    try {
      return await this.#launch(session, userId, input);
    } finally {
      this.#starting.delete(session.id);
    }
  }

  async #launch(session: SessionInfo, userId: string, input: RunInput): Promise<{ runId: string }> {
    // PostgreSQL cannot store U+0000: refuse it here, for every transport, rather than fail the run.
    if (input.text.includes('\0')) {
      throw new HttpError(400, 'invalid_body', 'The message must not contain NUL (\\u0000) characters.');
    }
    const config = await this.#deps.configFor(userId);
    const model = await this.#resolve(input.model ?? session.model ?? undefined, config);
    if (session.model !== model.id || (input.mode && input.mode !== session.mode)) {
      await this.#deps.store.updateSession(session.id, {
        model: model.id,
        ...(input.mode ? { mode: input.mode } : {}),
      });
    }
    const workspace = session.directory;
    const started = performance.now();
    const mode = input.mode ?? session.mode;
    const web = webToolContext(config);
    const runOptions: StartRunOptions = {
      store: this.#deps.store,
      bus: this.#deps.bus,
      sessionId: session.id,
      text: input.text,
      attachments: input.attachments,
      model,
      mode,
      workspace,
      sandbox: this.#deps.sandboxFor(session),
      tools: builtinTools({ webSearch: Boolean(web.webSearch) }),
      permissions: {
        rules: await workspaceRules(this.#deps.store, config, workspace),
        mode: 'ask',
        persist: (rule) => saveRule(this.#deps.store, workspace, rule),
      },
      toolContext: web,
      maxSteps: config.maxSteps,
      ...(this.#deps.checkpointGitDir && session.projectId
        ? { checkpoints: { gitDir: this.#deps.checkpointGitDir(session.projectId) } }
        : {}),
    };
    const hooks = mode === 'build' ? this.#deps.buildHooksFor?.(session) : undefined;
    const run = hooks
      ? startBuild({ ...runOptions, hooks, verifySettleMs: this.#deps.buildVerifySettleMs })
      : startRun(runOptions);
    this.#active.set(session.id, { run, projectId: session.projectId, directory: session.directory, mode });
    void run.done
      .then((result) =>
        this.#deps.onRunFinished?.({
          sessionId: session.id,
          directory: session.directory,
          status: result.status,
          durationMs: performance.now() - started,
        }),
      )
      .catch(async () => {
        this.#deps.onRunFinished?.({
          sessionId: session.id,
          directory: session.directory,
          status: 'error',
          durationMs: performance.now() - started,
        });
        await this.#closeCrashedRun(session.id, run.runId).catch(() => undefined);
      })
      .finally(() => this.#active.delete(session.id));
    return { runId: run.runId };
  }

  /**
   * A run that threw (a store write failed mid-turn) emitted no `run_finished` and left the session
   * RUNNING: every client would wait forever. Close it the way a failed run closes, best effort.
   */
  async #closeCrashedRun(sessionId: string, runId: string): Promise<void> {
    const previous = (await this.#deps.store.getSession(sessionId))?.state;
    await closeRun(this.#deps.store, this.#deps.bus, sessionId, {
      runId,
      status: 'error',
      error: 'The run stopped because of an error on the server. Send a message to continue.',
      state: 'IDLE',
      previous,
      reportError: true,
    });
  }

  cancel(sessionId: string): boolean {
    const active = this.#active.get(sessionId);
    if (!active) return false;
    active.run.cancel();
    return true;
  }

  replyPermission(sessionId: string, requestId: string, answer: PermissionAnswer): boolean {
    return this.#active.get(sessionId)?.run.replyPermission(requestId, answer) ?? false;
  }

  /** Whether any session of the project has a run in progress. */
  activeInProject(projectId: string): boolean {
    return [...this.#active.values()].some((active) => active.projectId === projectId);
  }

  /** Whether the app builder is working in the project (it starts the preview when ready). */
  buildingIn(projectId: string): boolean {
    return [...this.#active.values()].some(
      (active) => active.projectId === projectId && active.mode === 'build',
    );
  }

  /** Whether a run is working in the workspace. */
  activeIn(directory: string): boolean {
    return [...this.#active.values()].some((active) => active.directory === directory);
  }

  /** Cancels every run of a project and waits until each has saved its state. */
  async stopProject(projectId: string): Promise<void> {
    const runs = [...this.#active.values()].filter((active) => active.projectId === projectId);
    for (const { run } of runs) run.cancel();
    await Promise.allSettled(runs.map(({ run }) => run.done));
  }

  /**
   * Checks that a model id would resolve for the user's runs (known provider, scripted models
   * allowed) and returns the id a run would record; throws the same 400 a run start would.
   */
  async checkModel(userId: string, id: string): Promise<string> {
    return (await this.#resolve(id, await this.#deps.configFor(userId))).id;
  }

  /** Waits for a session's run to finish (tests, shutdown). */
  async settled(sessionId: string): Promise<void> {
    await this.#active.get(sessionId)?.run.done.catch(() => undefined);
  }

  /**
   * After a crash or restart, sessions that were mid-run are marked interrupted, with an event
   * so every client sees it; sending a new message continues them.
   */
  async recoverInterrupted(): Promise<number> {
    const sessions = await this.#deps.store.markInterruptedSessions();
    for (const session of sessions) {
      await closeRun(this.#deps.store, this.#deps.bus, session.id, {
        runId: 'interrupted',
        status: 'interrupted',
        error: 'The server stopped while this run was in progress.',
        state: 'INTERRUPTED',
        previous: session.state,
      });
    }
    return sessions.length;
  }

  /** Graceful shutdown: cancel every run and wait until each has saved its state. */
  async shutdown(): Promise<void> {
    const runs = [...this.#active.values()];
    for (const { run } of runs) run.cancel('the server is shutting down');
    await Promise.allSettled(runs.map(({ run }) => run.done));
  }

  async #resolve(requested: string | undefined, config: AuraConfig): Promise<ResolvedModel> {
    try {
      const id = expandDemoModel(requested) ?? defaultModelId(config, this.#deps.env);
      if (parseModelId(id).kind === 'script' && !this.#deps.allowScriptedModels) {
        throw new HttpError(
          400,
          'scripted_models_disabled',
          'Scripted models are disabled on this server. Start it with AURA_ALLOW_SCRIPTED_MODELS=1 to allow them (tests and demos only).',
        );
      }
      return await resolveModel(id, { config, env: this.#deps.env });
    } catch (error) {
      if (error instanceof HttpError) throw error;
      throw new HttpError(400, 'invalid_model', (error as Error).message);
    }
  }
}
