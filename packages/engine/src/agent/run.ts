import type { Attachment, EventInput, RunStatus, SessionMode, Usage } from '@aura/protocol';
import type { EventBus } from '../bus/index.ts';
import { SessionEvents } from '../bus/index.ts';
import { beginTurnCheckpoints, type CheckpointRunOptions } from '../checkpoint/index.ts';
import type { PermissionRule } from '../config/index.ts';
import type { PermissionAnswer } from '../permission/index.ts';
import { classifyError, type ResolvedModel, redactValues as redact } from '../provider/index.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { Store } from '../store/index.ts';
import { newId } from '../store/index.ts';
import type { ToolContext, ToolDefinition } from '../tool/index.ts';
import { snapshotAttachments } from './attachments.ts';
import { toModelMessages } from './history.ts';
import { generateTitle, titleFromText } from './title.ts';
import { type PendingPermissions, runModelTurn, type TurnOutcome } from './turn.ts';

export const defaultMaxSteps = 15;

export interface StartRunOptions {
  store: Store;
  bus: EventBus;
  sessionId: string;
  text: string;
  attachments?: Attachment[];
  model: ResolvedModel;
  mode?: SessionMode;
  /** Absolute, realpath'd workspace root. */
  workspace: string;
  sandbox: Sandbox;
  tools: ToolDefinition[];
  permissions: {
    rules: PermissionRule[];
    mode: 'ask' | 'yes';
    persist?: (rule: PermissionRule) => Promise<void>;
  };
  toolContext?: Partial<Pick<ToolContext, 'allowPrivateNetwork' | 'webSearch'>>;
  /** Record a checkpoint (a commit in this repository) after each turn that changed files. */
  checkpoints?: CheckpointRunOptions;
  maxSteps?: number;
  signal?: AbortSignal;
}

export interface RunResult {
  runId: string;
  messageId: string;
  status: RunStatus;
  steps: number;
  usage: Usage | null;
  text: string;
  error?: string;
}

export interface AgentRun {
  readonly runId: string;
  readonly done: Promise<RunResult>;
  cancel(reason?: string): void;
  /** Answers a pending `permission_request`; false when no such request is waiting. */
  replyPermission(requestId: string, answer: PermissionAnswer): boolean;
}

class RunCancelled extends Error {
  override name = 'RunCancelled';
}

/** What a run's body gets: its id, its abort signal, its event writer and its permission waits. */
export interface RunScope {
  runId: string;
  signal: AbortSignal;
  events: SessionEvents;
  waiting: PendingPermissions;
}

/**
 * The handle every kind of run shares (chat turns, the app builder): a cancel that aborts
 * everything the run does, linked to an outer signal, and answers to permission requests.
 */
export function createRun(
  opts: Pick<StartRunOptions, 'store' | 'bus' | 'sessionId' | 'signal'>,
  body: (scope: RunScope) => Promise<RunResult>,
): AgentRun {
  const runId = newId('run');
  const controller = new AbortController();
  const outer = opts.signal;
  if (outer) {
    if (outer.aborted) controller.abort(outer.reason);
    else outer.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
  }
  const waiting: PendingPermissions = new Map();
  const events = new SessionEvents(opts.store, opts.bus, opts.sessionId);
  const done = body({ runId, signal: controller.signal, events, waiting });
  return {
    runId,
    done,
    cancel: (reason = 'cancelled by the user') => controller.abort(new RunCancelled(reason)),
    replyPermission(requestId, answer) {
      const pending = waiting.get(requestId);
      if (!pending) return false;
      waiting.delete(requestId);
      pending.resolve(answer);
      return true;
    },
  };
}

/** Starts one agent turn: the user's message, then model steps and tool calls until done. */
export function startRun(opts: StartRunOptions): AgentRun {
  return createRun(opts, ({ runId, signal, events, waiting }) =>
    execute(opts, runId, signal, events, waiting),
  );
}

async function execute(
  opts: StartRunOptions,
  runId: string,
  signal: AbortSignal,
  events: SessionEvents,
  waiting: PendingPermissions,
): Promise<RunResult> {
  const { store, sessionId, model } = opts;
  const maxSteps = opts.maxSteps ?? defaultMaxSteps;
  const emit = (event: EventInput) => events.emit(event);
  const setState = async (state: 'RUNNING' | 'WAITING_PERMISSION' | 'IDLE') => {
    await store.updateSession(sessionId, { state });
    emit({ type: 'state_change', data: { state } });
  };

  const session = await store.getSession(sessionId);
  if (!session) throw new Error(`Session ${sessionId} not found`);
  // Attached workspace files are read now: the model sees them as they were when sent.
  const attached = await snapshotAttachments(opts.workspace, opts.attachments ?? []);
  const userMessage = await store.createMessage({
    sessionId,
    role: 'user',
    parts: [
      { type: 'text', text: opts.text },
      ...attached.notes.map((note) => ({ type: 'text' as const, text: note })),
      ...attached.attachments.map((a) => ({ type: 'file' as const, ...a })),
    ],
  });
  emit({
    type: 'message_user',
    data: {
      messageId: userMessage.id,
      text: opts.text,
      ...(opts.attachments ? { attachments: opts.attachments } : {}),
    },
  });
  emit({ type: 'run_started', data: { runId, model: model.id, mode: opts.mode ?? 'chat', maxSteps } });
  await setState('RUNNING');
  const checkpoints =
    opts.checkpoints && (await beginTurnCheckpoints(opts.workspace, opts.checkpoints, emit));
  if (!session.title) await setTitle(store, sessionId, titleFromText(opts.text), emit);

  let outcome: TurnOutcome;
  try {
    const history = toModelMessages(await store.listMessages(sessionId, { limit: 100_000 }));
    outcome = await runModelTurn({ ...opts, signal, emit, waiting, setState }, history, maxSteps);
  } catch (error) {
    // Only the history read can throw here: runModelTurn reports its own failures.
    const failure = redact(classifyError(error).message, model.secrets);
    emit({ type: 'error', data: { message: failure } });
    outcome = { turn: undefined, status: signal.aborted ? 'cancelled' : 'error', failure };
  }
  const { turn, status, failure } = outcome;
  // A model-written title replaces the quick one once the work is done, so it never competes
  // with the turn itself for the provider's attention.
  if (!session.title && status === 'completed' && !model.scripted) {
    const better = await generateTitle(model.base, opts.text, signal);
    if (better !== titleFromText(opts.text)) await setTitle(store, sessionId, better, emit);
  }
  const steps = turn?.steps ?? 0;
  await checkpoints?.finish({ sessionId, runId, messageId: turn?.messageId ?? '' }, opts.text, status);
  emit({ type: 'run_finished', data: { runId, status, steps, ...(failure ? { error: failure } : {}) } });
  await setState('IDLE');
  await events.flush();
  return {
    runId,
    messageId: turn?.messageId ?? '',
    status,
    steps,
    usage: turn?.usage ?? null,
    text: turn?.text() ?? '',
    ...(failure ? { error: failure } : {}),
  };
}

/** Titles come from the request or the model: control characters have no place in them. */
export async function setTitle(
  store: Store,
  sessionId: string,
  raw: string,
  emit: (e: EventInput) => unknown,
): Promise<void> {
  const title = raw.replace(/[\u0000-\u001f\u007f]/g, ' ').trim() || 'Untitled session';
  await store.updateSession(sessionId, { title });
  emit({ type: 'session_updated', data: { title } });
}
