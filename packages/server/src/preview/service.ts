import { hkdfSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type EventBus,
  type PortAllocator,
  ProcessManager,
  type ProcessStatus,
  type ProjectRecord,
  type Sandbox,
  SessionEvents,
  type Store,
} from '@aura/engine';
import type { EventInput } from '@aura/protocol';
import { previewDomain, type ServerOptions } from '../config.ts';
import type { Logger } from '../logger.ts';
import { RateLimiter } from '../security/rate-limit.ts';
import { readAuraJson } from './aura-json.ts';
import { TOKEN_PARAM } from './cookies.ts';
import { type PreviewErrorData, RepeatFilter } from './errors.ts';
import { previewHostOf, previewOrigin } from './host.ts';
import { PreviewProxy, type Upstream } from './proxy.ts';
import type { Thumbnails } from './thumbnailer.ts';
import { PreviewTokens } from './token.ts';

export type PreviewStatus = 'stopped' | 'installing' | 'starting' | 'running' | 'crashed' | 'failed';

export interface PreviewInfo {
  /** The preview's URL; for a private preview it carries a fresh short-lived token. */
  url: string;
  status: PreviewStatus;
  startedAt?: number;
  readyAt?: number;
  exitCode?: number | null;
  /** Why the preview could not start (no aura.json, install failed). */
  error?: string;
  /** The last lines of the install and dev server output. */
  logs?: string;
}

export interface PreviewServiceOptions {
  store: Store;
  bus: EventBus;
  options: ServerOptions;
  logger: Logger;
  sandboxFor(session: { directory: string }): Sandbox;
  /** The server key; the preview token key is derived from it (HKDF), never the key itself. */
  serverKey: Buffer;
  ports?: PortAllocator;
  /** Takes a dashboard thumbnail when a dev server becomes ready; none: thumbnails are off. */
  thumbnails?: Thumbnails | undefined;
}

interface Entry {
  projectId: string;
  ownerId: string;
  workspace: string;
  /** Where preview events go; else the project's most recently active session. */
  sessionId: string | undefined;
  processes: ProcessManager;
  phase: 'idle' | 'installing' | 'launching';
  failure: string | undefined;
  /** Bumped by every start and stop: a launch that sees it change gives up. */
  generation: number;
  queue: Promise<unknown>;
}

const DEV = 'dev';
const INSTALL = 'install';
const LOG_TAIL = 120;
/** Variables every preview command gets (PORT comes from the process manager). */
const PREVIEW_ENV = { HOST: '127.0.0.1', BROWSER: 'none', NO_COLOR: '1', FORCE_COLOR: '0' };

/**
 * One dev server per project, run by a ProcessManager on the project's sandbox and served by the
 * preview proxy on the project's own origin. Reports `server_started` and crashes to the
 * project's session.
 */
export class PreviewService {
  readonly tokens: PreviewTokens;
  readonly proxy: PreviewProxy;
  readonly #deps: PreviewServiceOptions;
  /** Error reports accepted per project per minute (after the page's own limit). */
  readonly #reportLimit = new RateLimiter(60, 60_000);
  readonly #repeats = new RepeatFilter();
  readonly #entries = new Map<string, Entry>();
  #closed = false;

  constructor(deps: PreviewServiceOptions) {
    this.#deps = deps;
    const key = Buffer.from(hkdfSync('sha256', deps.serverKey, 'aura', 'aura-preview-token-v1', 32));
    this.tokens = new PreviewTokens(key);
    this.proxy = new PreviewProxy(deps.logger);
  }

  get domain(): string {
    return previewDomain(this.#deps.options);
  }

  get isPublic(): boolean {
    return this.#deps.options.preview.public;
  }

  /** See host.ts: undefined unless `host` is a preview host. */
  hostOf(host: string | undefined): { projectId: string | undefined } | undefined {
    return previewHostOf(host, this.domain);
  }

  originOf(projectId: string): string {
    return previewOrigin(this.#deps.options.baseUrl, this.domain, projectId);
  }

  /** The preview link for `userId`: with a fresh token unless previews are public. */
  urlFor(projectId: string, userId: string): string {
    const origin = this.originOf(projectId);
    if (this.isPublic) return `${origin}/`;
    const { token } = this.tokens.issue('url', projectId, userId);
    return `${origin}/?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
  }

  /** The owner of a project whose preview this server has started (the proxy's access check). */
  ownerOf(projectId: string): string | undefined {
    return this.#entries.get(projectId)?.ownerId;
  }

  /** The dev server's process status (pid, port, state), for diagnostics and benchmarks. */
  devStatus(projectId: string): ProcessStatus | undefined {
    return this.#entries.get(projectId)?.processes.status(DEV);
  }

  /** Where the proxy reaches the project's dev server while it is starting or running. */
  async upstreamOf(projectId: string): Promise<Upstream | undefined> {
    const entry = this.#entries.get(projectId);
    const dev = entry?.processes.status(DEV);
    if (!entry || !dev?.port || (dev.state !== 'running' && dev.state !== 'starting')) return undefined;
    // Through the pool, so preview traffic keeps the sandbox from being reaped as idle.
    const sandbox = this.#deps.sandboxFor({ directory: entry.workspace });
    const endpoint = (await sandbox.endpoint?.(dev.port)) ?? {
      host: '127.0.0.1',
      port: dev.port,
    };
    return { port: dev.port, endpoint };
  }

  /**
   * Starts the project's dev server, or restarts it: reads aura.json, runs its `install` first
   * when node_modules is missing, then its `dev` command on a free port. Waits up to `waitMs`
   * for the server to answer HTTP (or fail) and returns the preview's state then.
   */
  async start(
    project: ProjectRecord,
    userId: string,
    opts: { sessionId?: string; waitMs?: number } = {},
  ): Promise<PreviewInfo> {
    if (this.#closed) throw new Error('The server is shutting down.');
    const entry = this.#entryFor(project);
    if (opts.sessionId !== undefined) entry.sessionId = opts.sessionId;
    const generation = ++entry.generation;
    entry.failure = undefined;
    entry.phase = 'launching';
    const launch = this.#serial(entry, () => this.#launch(entry, generation));
    const deadline = Date.now() + (opts.waitMs ?? 60_000);
    await raceDeadline(launch, deadline);
    if (entry.generation === generation && entry.processes.status(DEV)) {
      await entry.processes.ready(DEV, { timeoutMs: Math.max(0, deadline - Date.now()) });
    }
    return this.info(project.id, userId);
  }

  /** Stops the install and the dev server; the preview host then answers 503. */
  async stop(projectId: string, userId: string): Promise<PreviewInfo> {
    const entry = this.#entries.get(projectId);
    if (entry) {
      entry.generation++;
      entry.phase = 'idle';
      entry.failure = undefined;
      await Promise.all([entry.processes.stop(INSTALL), entry.processes.stop(DEV)]);
    }
    return this.info(projectId, userId);
  }

  info(projectId: string, userId: string, opts: { logs?: boolean } = {}): PreviewInfo {
    const info: PreviewInfo = { url: this.urlFor(projectId, userId), status: 'stopped' };
    const entry = this.#entries.get(projectId);
    if (!entry) return info;
    info.status = statusOf(entry);
    const dev = entry.processes.status(DEV);
    if (dev) {
      info.startedAt = dev.startedAt;
      if (dev.readyAt !== undefined) info.readyAt = dev.readyAt;
      if (dev.exitCode !== undefined) info.exitCode = dev.exitCode;
    }
    if (entry.failure) info.error = entry.failure;
    if (opts.logs) info.logs = this.logs(projectId);
    return info;
  }

  /** The last lines of the install (when one ran) and the dev server. */
  logs(projectId: string, tail = LOG_TAIL): string {
    const entry = this.#entries.get(projectId);
    if (!entry) return '';
    const parts = [entry.processes.logs(INSTALL, { tail }), entry.processes.logs(DEV, { tail })];
    return parts.filter(Boolean).join('\n').split('\n').slice(-tail).join('\n');
  }

  /**
   * An error reported by the page (see reporter.ts) becomes a `preview_error` on the session.
   * Throws a 429 HttpError past the per-project limit; repeats within 5 s are dropped (false).
   */
  async reportError(projectId: string, data: PreviewErrorData): Promise<boolean> {
    const entry = this.#entries.get(projectId);
    if (!entry) return false;
    if (!this.#repeats.fresh(projectId, data)) return false;
    this.#reportLimit.take(projectId, 'error reports from this preview');
    return this.#emit(entry, { type: 'preview_error', data });
  }

  /** Stops the dev server of the workspace's project and forgets it (its sandbox is going away). */
  async release(workspace: string): Promise<void> {
    for (const [projectId, entry] of this.#entries) {
      if (entry.workspace !== workspace) continue;
      entry.generation++;
      this.#entries.delete(projectId);
      await entry.processes.dispose();
    }
  }

  /** Stops every dev server (server shutdown). */
  async close(): Promise<void> {
    this.#closed = true;
    this.proxy.close();
    await Promise.all([
      this.#deps.thumbnails?.close(),
      ...[...this.#entries.values()].map((entry) => entry.processes.dispose()),
    ]);
  }

  #entryFor(project: ProjectRecord): Entry {
    let entry = this.#entries.get(project.id);
    if (!entry) {
      const created: Entry = {
        projectId: project.id,
        ownerId: project.ownerId,
        workspace: project.workspace,
        sessionId: undefined,
        processes: new ProcessManager({
          sandbox: this.#deps.sandboxFor({ directory: project.workspace }),
          ...(this.#deps.ports ? { ports: this.#deps.ports } : {}),
          onChange: (status) => this.#onProcessChange(created, status),
        }),
        phase: 'idle',
        failure: undefined,
        generation: 0,
        queue: Promise.resolve(),
      };
      entry = created;
      this.#entries.set(project.id, entry);
    }
    entry.ownerId = project.ownerId;
    return entry;
  }

  #serial(entry: Entry, task: () => Promise<void>): Promise<void> {
    const next = entry.queue.then(task, task);
    entry.queue = next.catch(() => undefined);
    return next;
  }

  async #launch(entry: Entry, generation: number): Promise<void> {
    const current = () => entry.generation === generation && !this.#closed;
    if (!current()) return;
    const { processes } = entry;
    await Promise.all([processes.stop(INSTALL), processes.stop(DEV)]);
    try {
      const config = await readAuraJson(entry.workspace);
      if (!current()) return;
      if (config.install && !existsSync(join(entry.workspace, 'node_modules'))) {
        entry.phase = 'installing';
        await processes.start(INSTALL, config.install, { env: PREVIEW_ENV });
        processes.note(INSTALL, 'node_modules is missing: installing the dependencies first');
        const installed = await processes.exited(INSTALL);
        if (!current()) return;
        if (installed.exitCode !== 0) {
          const how = installed.exitCode === null ? 'was killed' : `exited with code ${installed.exitCode}`;
          return this.#fail(entry, `The install command (${config.install}) ${how}.`);
        }
        entry.phase = 'launching';
      }
      await processes.start(DEV, config.dev, { port: 'auto', env: PREVIEW_ENV });
    } catch (error) {
      if (current()) return this.#fail(entry, error instanceof Error ? error.message : String(error));
    } finally {
      if (entry.generation === generation) entry.phase = 'idle';
    }
  }

  #fail(entry: Entry, message: string): void {
    entry.failure = message;
    void this.#emit(entry, {
      type: 'preview_error',
      data: {
        kind: 'error',
        message: `The preview could not start: ${message}`,
        stack: this.logs(entry.projectId, 30),
      },
    });
  }

  #onProcessChange(entry: Entry, status: ProcessStatus): void {
    if (status.name !== DEV) return;
    if (status.state === 'running') {
      void this.#emit(entry, { type: 'server_started', data: { url: this.originOf(entry.projectId) } });
      this.#deps.thumbnails?.request({ projectId: entry.projectId, link: () => this.#runningLink(entry) });
    } else if (status.state === 'crashed') {
      const how = status.exitCode === null ? 'was killed by a signal' : `exited with code ${status.exitCode}`;
      void this.#emit(entry, {
        type: 'preview_error',
        data: {
          kind: 'error',
          message: `The dev server ${how}.`,
          stack: entry.processes.logs(DEV, { tail: 30 }),
        },
      });
    }
  }

  /** A fresh link for the owner while this entry's dev server still runs. */
  #runningLink(entry: Entry): string | undefined {
    if (this.#closed || this.#entries.get(entry.projectId) !== entry) return undefined;
    if (entry.processes.status(DEV)?.state !== 'running') return undefined;
    return this.urlFor(entry.projectId, entry.ownerId);
  }

  /** Persists then publishes an event on the preview's session; false when there is none. */
  async #emit(entry: Entry, event: EventInput): Promise<boolean> {
    try {
      const sessionId = await this.#sessionFor(entry);
      if (!sessionId) return false;
      await new SessionEvents(this.#deps.store, this.#deps.bus, sessionId).emit(event);
      return true;
    } catch (error) {
      this.#deps.logger.warn(
        { err: error, projectId: entry.projectId, type: event.type },
        'preview event lost',
      );
      return false;
    }
  }

  async #sessionFor(entry: Entry): Promise<string | undefined> {
    if (entry.sessionId) {
      const session = await this.#deps.store.getSession(entry.sessionId);
      if (session && session.projectId === entry.projectId) return session.id;
      entry.sessionId = undefined;
    }
    const [newest] = await this.#deps.store.listSessions({
      projectId: entry.projectId,
      userId: entry.ownerId,
      limit: 1,
    });
    return newest?.id;
  }
}

function statusOf(entry: Entry): PreviewStatus {
  if (entry.failure) return 'failed';
  if (entry.phase === 'installing') return 'installing';
  const dev = entry.processes.status(DEV);
  const ended = !dev || dev.exitedAt !== undefined;
  if (entry.phase === 'launching' && ended) return 'starting';
  if (!dev) return 'stopped';
  if (dev.state === 'exited') return 'stopped';
  return dev.state;
}

async function raceDeadline(task: Promise<unknown>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
  });
  try {
    await Promise.race([task.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
