import type { EventInput, FinishReason, RunStatus } from '@aura/protocol';
import { type ModelMessage, stepCountIs, streamText } from 'ai';
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
import type { ToolContext, ToolDefinition } from '../tool/index.ts';
import { compactToolOutputs } from './compaction.ts';
import { buildSystemPrompt } from './system-prompt.ts';
import { buildToolSet } from './tool-set.ts';
import { TurnRecorder } from './turn-recorder.ts';
import { addUsage, usageFromSdk } from './usage.ts';

export type PendingPermissions = Map<
  string,
  { request: PermissionRequest; resolve: (a: PermissionAnswer) => void }
>;

/** Streaming tool input as the model writes it (the app builder streams files from `write` calls). */
export type ToolInputEvent =
  | { phase: 'start'; toolCallId: string; toolName: string }
  | { phase: 'delta'; toolCallId: string; delta: string }
  | { phase: 'end'; toolCallId: string };

/** Everything one model turn needs; shared by chat runs and the app builder's phases. */
export interface TurnContext {
  store: Store;
  sessionId: string;
  model: ResolvedModel;
  workspace: string;
  sandbox: Sandbox;
  tools: ToolDefinition[];
  permissions: {
    rules: PermissionRule[];
    mode: 'ask' | 'yes';
    persist?: (rule: PermissionRule) => Promise<void>;
  };
  toolContext?: Partial<Pick<ToolContext, 'allowPrivateNetwork' | 'webSearch'>>;
  signal: AbortSignal;
  emit: (event: EventInput) => unknown;
  waiting: PendingPermissions;
  setState: (state: 'RUNNING' | 'WAITING_PERMISSION') => Promise<void>;
  /**
   * The run's gate, when it spans several turns (the builder's phases): an "always" answer must
   * hold for the rest of the run. Absent → one gate for this turn.
   */
  gate?: PermissionGate;
  /** Appended to the system prompt (the builder's phase instructions). */
  extraInstructions?: string;
  onToolInput?: (event: ToolInputEvent) => void;
}

export interface TurnOutcome {
  /** Undefined when the turn failed before its assistant message existed. */
  turn: TurnRecorder | undefined;
  status: RunStatus;
  failure?: string;
}

/**
 * One assistant message: model steps and tool calls until the model stops, the step limit, a
 * stuck loop, a failure or a cancel. The message is saved and `message_done` emitted either way.
 */
export async function runModelTurn(
  ctx: TurnContext,
  history: ModelMessage[],
  maxSteps: number,
): Promise<TurnOutcome> {
  const { store, sessionId, model, signal, emit } = ctx;
  let turn: TurnRecorder | undefined;
  let failure: string | undefined;
  try {
    const assistant = await store.createMessage({ sessionId, role: 'assistant', parts: [], model: model.id });
    turn = new TurnRecorder(assistant.id, emit);
    emit({
      type: 'message_start',
      data: { messageId: assistant.id, model: model.id, scripted: model.scripted },
    });
    failure = await streamTurn(ctx, turn, history, maxSteps);
  } catch (error) {
    if (!signal.aborted) failure = redact(classifyError(error).message, model.secrets);
  }
  const status = runStatusOf(signal.aborted, failure, turn, maxSteps);
  if (turn) {
    turn.closeOpenTools(
      status === 'cancelled' ? 'Cancelled by the user.' : 'The run ended before this call finished.',
    );
    const finishReason = finishReasonOf(status, turn.lastFinishReason);
    await store.updateMessage(turn.messageId, { parts: turn.parts, finishReason, usage: turn.usage });
    reportEnding(status, failure, turn, maxSteps, emit);
    emit({ type: 'message_done', data: { messageId: turn.messageId, finishReason, usage: turn.usage } });
  } else if (failure) {
    emit({ type: 'error', data: { message: failure } });
  }
  return { turn, status, ...(failure ? { failure } : {}) };
}

/** Streams the model's steps into the turn; returns the provider failure, if any. */
async function streamTurn(
  opts: TurnContext,
  turn: TurnRecorder,
  history: ModelMessage[],
  maxSteps: number,
): Promise<string | undefined> {
  const { store, sessionId, model, signal, emit } = opts;
  const gate = opts.gate ?? permissionGateFor(opts);
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
  const base = await buildSystemPrompt({ workspace: opts.workspace, toolNames: Object.keys(tools) });
  const system = opts.extraInstructions ? `${base}\n\n${opts.extraInstructions}` : base;
  const languageModel = reliableModel(model, (info) =>
    emit({ type: 'provider_retry', data: { ...info, reason: redact(info.reason, model.secrets) } }),
  );

  // Session totals are read once and kept up to date here, not summed again after every step.
  let totals = await store.sessionUsage(sessionId);
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
      case 'tool-input-start':
        opts.onToolInput?.({ phase: 'start', toolCallId: part.id, toolName: part.toolName });
        break;
      case 'tool-input-delta':
        opts.onToolInput?.({ phase: 'delta', toolCallId: part.id, delta: part.delta });
        break;
      case 'tool-input-end':
        opts.onToolInput?.({ phase: 'end', toolCallId: part.id });
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
        totals = { ...addUsage(totals, stepUsage), steps: totals.steps + 1 };
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

/** The permission gate of a run: its rules, and questions asked through the run's events. */
export function permissionGateFor(
  ctx: Pick<TurnContext, 'permissions' | 'signal' | 'waiting' | 'emit' | 'setState'>,
): PermissionGate {
  return new PermissionGate({
    rules: ctx.permissions.rules,
    mode: ctx.permissions.mode,
    persist: ctx.permissions.persist,
    ask: (request) => askPerson(request, ctx.signal, ctx.waiting, ctx.emit, ctx.setState),
  });
}

/** Emits the request and waits for `replyPermission`; a cancel rejects the wait. */
export function askPerson(
  request: PermissionRequest,
  signal: AbortSignal,
  waiting: PendingPermissions,
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
