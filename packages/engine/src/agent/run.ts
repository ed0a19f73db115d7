import type { Attachment, EventInput, FinishReason, RunStatus, SessionMode, Usage } from '@aura/protocol';
import { type ModelMessage, stepCountIs, streamText } from 'ai';
import type { EventBus } from '../bus/index.ts';
import { SessionEvents } from '../bus/index.ts';
import type { PermissionRule } from '../config/index.ts';
import { type PermissionAnswer, PermissionGate, type PermissionRequest } from '../permission/index.ts';
import {
  classifyError,
  type ResolvedModel,
  redactValues as redact,
  reliableModel,
} from '../provider/index.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { Store } from '../store/index.ts';
import { newId } from '../store/index.ts';
import type { ToolContext, ToolDefinition } from '../tool/index.ts';
import { compactToolOutputs } from './compaction.ts';
import { toModelMessages } from './history.ts';
import { buildSystemPrompt } from './system-prompt.ts';
import { generateTitle, titleFromText } from './title.ts';
import { buildToolSet } from './tool-set.ts';
import { TurnRecorder } from './turn-recorder.ts';
import { usageFromSdk } from './usage.ts';

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

/** Starts one agent turn: the user's message, then model steps and tool calls until done. */
export function startRun(opts: StartRunOptions): AgentRun {
  const runId = newId('run');
  const controller = new AbortController();
  if (opts.signal) {
    if (opts.signal.aborted) controller.abort(opts.signal.reason);
    else opts.signal.addEventListener('abort', () => controller.abort(opts.signal?.reason), { once: true });
  }
  const waiting = new Map<string, { request: PermissionRequest; resolve: (a: PermissionAnswer) => void }>();
  const events = new SessionEvents(opts.store, opts.bus, opts.sessionId);
  const done = execute(opts, runId, controller.signal, events, waiting);
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

async function execute(
  opts: StartRunOptions,
  runId: string,
  signal: AbortSignal,
  events: SessionEvents,
  waiting: Map<string, { request: PermissionRequest; resolve: (a: PermissionAnswer) => void }>,
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
  const userMessage = await store.createMessage({
    sessionId,
    role: 'user',
    parts: [
      { type: 'text', text: opts.text },
      ...(opts.attachments ?? []).map((a) => ({ type: 'file' as const, ...a })),
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

  let turn: TurnRecorder | undefined;
  let failure: string | undefined;
  try {
    const history = toModelMessages(await store.listMessages(sessionId, { limit: 100_000 }));
    const assistant = await store.createMessage({ sessionId, role: 'assistant', parts: [], model: model.id });
    turn = new TurnRecorder(assistant.id, emit);
    emit({
      type: 'message_start',
      data: { messageId: assistant.id, model: model.id, scripted: model.scripted },
    });
    if (!session.title) await setTitle(opts, titleFromText(opts.text), emit);
    failure = await streamTurn(opts, turn, history, maxSteps, signal, emit, waiting, setState);
  } catch (error) {
    if (!signal.aborted) failure = redact(classifyError(error).message, model.secrets);
  }

  const status = runStatusOf(signal.aborted, failure, turn, maxSteps);
  const messageId = turn?.messageId ?? '';
  if (turn) {
    turn.closeOpenTools(
      status === 'cancelled' ? 'Cancelled by the user.' : 'The run ended before this call finished.',
    );
    const finishReason = finishReasonOf(status, turn.lastFinishReason);
    await store.updateMessage(messageId, { parts: turn.parts, finishReason, usage: turn.usage });
    reportEnding(status, failure, turn, maxSteps, emit);
    emit({ type: 'message_done', data: { messageId, finishReason, usage: turn.usage } });
    // A model-written title replaces the quick one once the work is done, so it never competes
    // with the turn itself for the provider's attention.
    if (!session.title && status === 'completed' && !model.scripted) {
      const better = await generateTitle(model.base, opts.text, signal);
      if (better !== titleFromText(opts.text)) await setTitle(opts, better, emit);
    }
  } else if (failure) {
    emit({ type: 'error', data: { message: failure } });
  }
  const steps = turn?.steps ?? 0;
  emit({ type: 'run_finished', data: { runId, status, steps, ...(failure ? { error: failure } : {}) } });
  await setState('IDLE');
  await events.flush();
  return {
    runId,
    messageId,
    status,
    steps,
    usage: turn?.usage ?? null,
    text: turn?.text() ?? '',
    ...(failure ? { error: failure } : {}),
  };
}

/** Streams the model's steps into the turn; returns the provider failure, if any. */
async function streamTurn(
  opts: StartRunOptions,
  turn: TurnRecorder,
  history: ModelMessage[],
  maxSteps: number,
  signal: AbortSignal,
  emit: (event: EventInput) => unknown,
  waiting: Map<string, { request: PermissionRequest; resolve: (a: PermissionAnswer) => void }>,
  setState: (state: 'RUNNING' | 'WAITING_PERMISSION') => Promise<void>,
): Promise<string | undefined> {
  const { store, sessionId, model } = opts;
  const gate = new PermissionGate({
    rules: opts.permissions.rules,
    mode: opts.permissions.mode,
    persist: opts.permissions.persist,
    ask: (request) => askPerson(request, signal, waiting, emit, setState),
  });
  const tools = buildToolSet(
    opts.tools,
    gate,
    {
      workspace: opts.workspace,
      sandbox: opts.sandbox,
      allowPrivateNetwork: opts.toolContext?.allowPrivateNetwork ?? false,
      webSearch: opts.toolContext?.webSearch,
      onTodos: (items: EventInput<'todo_updated'>['data']['items']) =>
        emit({ type: 'todo_updated', data: { items } }),
    },
    {
      onCallStart: (toolCallId, tool, input) => turn.announce(toolCallId, tool, input),
      onCallEnd: (toolCallId, outcome) => turn.recordOutcome(toolCallId, outcome),
    },
  );
  const system = await buildSystemPrompt({ workspace: opts.workspace, toolNames: Object.keys(tools) });
  const languageModel = reliableModel(model, (info) =>
    emit({ type: 'provider_retry', data: { ...info, reason: redact(info.reason, model.secrets) } }),
  );

  const result = streamText({
    model: languageModel,
    instructions: system,
    messages: history,
    tools,
    maxRetries: 0,
    // Models write calls in order (write the file, then run it): execute them in that order.
    toolCallConcurrency: 1,
    // Failures arrive as `error` parts below; without a handler the SDK would also log them.
    onError: () => {},
    abortSignal: signal,
    stopWhen: [stepCountIs(maxSteps), () => turn.stuck.stuck],
    prepareStep: ({ messages }: { messages: ModelMessage[] }) => {
      const compacted = compactToolOutputs(messages, { contextWindow: model.contextWindow, system });
      if (!compacted) return undefined;
      emit({
        type: 'context_compacted',
        data: {
          prunedToolOutputs: compacted.prunedToolOutputs,
          estimatedTokensBefore: compacted.estimatedTokensBefore,
        },
      });
      return { messages: compacted.messages };
    },
  });

  let failure: string | undefined;
  for await (const part of result.fullStream) {
    switch (part.type) {
      case 'start-step':
      case 'text-start':
      case 'reasoning-start':
        turn.startBlock();
        break;
      case 'text-delta':
        turn.delta('text', part.text);
        break;
      case 'reasoning-delta':
        turn.delta('reasoning', part.text);
        break;
      case 'tool-call':
        turn.announce(part.toolCallId, part.toolName, part.input);
        break;
      case 'tool-result':
        turn.finishTool(part.toolCallId, part.toolName, part.input, true, String(part.output));
        break;
      case 'tool-error':
        turn.finishTool(part.toolCallId, part.toolName, part.input, false, errorText(part.error));
        break;
      case 'finish-step': {
        turn.lastFinishReason = part.finishReason;
        const stepUsage = usageFromSdk(part.usage, model.price);
        turn.addStepUsage(stepUsage);
        await store.recordUsage({
          sessionId,
          messageId: turn.messageId,
          step: turn.steps,
          model: model.id,
          usage: stepUsage,
        });
        const totals = await store.sessionUsage(sessionId);
        emit({
          type: 'usage',
          data: {
            ...stepUsage,
            messageId: turn.messageId,
            step: turn.steps,
            model: model.id,
            session: totals,
          },
        });
        await store.updateMessage(turn.messageId, { parts: turn.parts });
        break;
      }
      case 'error':
        failure = redact(classifyError(part.error).message, model.secrets);
        break;
      default:
        break;
    }
  }
  return failure;
}

/** Emits the request and waits for `replyPermission`; a cancel rejects the wait. */
function askPerson(
  request: PermissionRequest,
  signal: AbortSignal,
  waiting: Map<string, { request: PermissionRequest; resolve: (a: PermissionAnswer) => void }>,
  emit: (event: EventInput) => unknown,
  setState: (state: 'RUNNING' | 'WAITING_PERMISSION') => Promise<void>,
): Promise<PermissionAnswer> {
  return new Promise<PermissionAnswer>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      waiting.delete(request.requestId);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    waiting.set(request.requestId, {
      request,
      resolve: (answer) => {
        signal.removeEventListener('abort', onAbort);
        emit({ type: 'permission_resolved', data: { requestId: request.requestId, ...answer } });
        void setState('RUNNING');
        resolve(answer);
      },
    });
    emit({ type: 'permission_request', data: { ...request } });
    void setState('WAITING_PERMISSION');
  });
}

function runStatusOf(
  aborted: boolean,
  failure: string | undefined,
  turn: TurnRecorder | undefined,
  maxSteps: number,
): RunStatus {
  if (aborted) return 'cancelled';
  if (failure || !turn) return 'error';
  if (turn.stuck.stuck) return 'stuck';
  if (turn.steps >= maxSteps && turn.lastFinishReason === 'tool-calls') return 'max_steps';
  return 'completed';
}

function reportEnding(
  status: RunStatus,
  failure: string | undefined,
  turn: TurnRecorder,
  maxSteps: number,
  emit: (event: EventInput) => unknown,
): void {
  if (status === 'error' && failure) emit({ type: 'error', data: { message: failure } });
  if (status === 'stuck') emit({ type: 'error', data: { message: turn.stuck.description, kind: 'stuck' } });
  if (status === 'max_steps') {
    emit({
      type: 'error',
      data: {
        message: `Stopped after ${maxSteps} steps (the step limit). Send another message to continue, or raise --max-steps.`,
        kind: 'max_steps',
      },
    });
  }
}

async function setTitle(opts: StartRunOptions, raw: string, emit: (e: EventInput) => unknown): Promise<void> {
  // Titles come from the request or the model: control characters have no place in them.
  const title = raw.replace(/[\u0000-\u001f\u007f]/g, ' ').trim() || 'Untitled session';
  await opts.store.updateSession(opts.sessionId, { title });
  emit({ type: 'session_updated', data: { title } });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function finishReasonOf(status: RunStatus, last: string | undefined): FinishReason {
  switch (status) {
    case 'cancelled':
      return 'cancelled';
    case 'error':
      return 'error';
    case 'stuck':
      return 'stuck';
    case 'max_steps':
      return 'max-steps';
    default:
      return last === 'length' || last === 'content-filter' || last === 'stop' ? last : 'stop';
  }
}
