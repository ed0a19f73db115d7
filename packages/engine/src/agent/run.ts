import type { Attachment, EventInput, FinishReason, RunStatus, SessionMode, Usage } from '@aura/protocol';
import { type ModelMessage, stepCountIs, streamText } from 'ai';
import type { EventBus } from '../bus/index.ts';
import { SessionEvents } from '../bus/index.ts';
import type { PermissionRule } from '../config/index.ts';
import { type PermissionAnswer, PermissionGate, type PermissionRequest } from '../permission/index.ts';
import { classifyError, type ResolvedModel, reliableModel } from '../provider/index.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { Store } from '../store/index.ts';
import { newId } from '../store/index.ts';
import type { ToolContext, ToolDefinition, ToolOutput } from '../tool/index.ts';
import { compactToolOutputs } from './compaction.ts';
import { toModelMessages } from './history.ts';
import { MessageBuilder } from './message-builder.ts';
import { StuckDetector } from './stuck.ts';
import { buildSystemPrompt } from './system-prompt.ts';
import { generateTitle, titleFromText } from './title.ts';
import { buildToolSet } from './tool-set.ts';
import { addUsage, usageFromSdk } from './usage.ts';

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
  const mode = opts.mode ?? 'chat';
  const emit = (event: EventInput) => events.emit(event);
  const setState = async (state: 'RUNNING' | 'WAITING_PERMISSION' | 'IDLE') => {
    await store.updateSession(sessionId, { state });
    emit({ type: 'state_change', data: { state } });
  };

  const session = await store.getSession(sessionId);
  if (!session) throw new Error(`Session ${sessionId} not found`);

  const userParts = [
    { type: 'text' as const, text: opts.text },
    ...(opts.attachments ?? []).map((a) => ({ type: 'file' as const, ...a })),
  ];
  const userMessage = await store.createMessage({ sessionId, role: 'user', parts: userParts });
  emit({
    type: 'message_user',
    data: {
      messageId: userMessage.id,
      text: opts.text,
      ...(opts.attachments ? { attachments: opts.attachments } : {}),
    },
  });
  emit({ type: 'run_started', data: { runId, model: model.id, mode, maxSteps } });
  await setState('RUNNING');

  const history = toModelMessages(await store.listMessages(sessionId, { limit: 100_000 }));
  const assistant = await store.createMessage({ sessionId, role: 'assistant', parts: [], model: model.id });
  const messageId = assistant.id;
  emit({ type: 'message_start', data: { messageId, model: model.id, scripted: model.scripted } });

  const needsTitle = !session.title;
  if (needsTitle) await setTitle(opts, titleFromText(opts.text), emit);

  const builder = new MessageBuilder();
  const stuck = new StuckDetector();
  const announced = new Set<string>();
  const toolOutputs = new Map<string, ToolOutput & { denied?: boolean }>();
  const toolStarted = new Map<string, number>();
  let usage: Usage | null = null;
  let steps = 0;
  let lastFinishReason: string | undefined;
  let failure: string | undefined;
  let newBlock = true;

  const announce = (toolCallId: string, tool: string, input: unknown) => {
    if (announced.has(toolCallId)) return;
    announced.add(toolCallId);
    toolStarted.set(toolCallId, performance.now());
    builder.addToolCall(toolCallId, tool, input);
    emit({ type: 'tool_call', data: { messageId, toolCallId, tool, input } });
  };

  const gate = new PermissionGate({
    rules: opts.permissions.rules,
    mode: opts.permissions.mode,
    persist: opts.permissions.persist,
    ask: (request) =>
      new Promise<PermissionAnswer>((resolve, reject) => {
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
      }),
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
      onCallStart: announce,
      onCallEnd: (toolCallId, output) => toolOutputs.set(toolCallId, output),
    },
  );

  const system = await buildSystemPrompt({ workspace: opts.workspace, toolNames: Object.keys(tools) });
  const languageModel = reliableModel(model, (info) => emit({ type: 'provider_retry', data: info }));

  try {
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
      stopWhen: [stepCountIs(maxSteps), () => stuck.stuck],
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

    for await (const part of result.fullStream) {
      switch (part.type) {
        case 'start-step':
          newBlock = true;
          break;
        case 'text-start':
        case 'reasoning-start':
          newBlock = true;
          break;
        case 'text-delta':
          builder.appendText('text', part.text, newBlock);
          newBlock = false;
          emit({ type: 'text_delta', data: { messageId, delta: part.text } });
          break;
        case 'reasoning-delta':
          builder.appendText('reasoning', part.text, newBlock);
          newBlock = false;
          emit({ type: 'reasoning_delta', data: { messageId, delta: part.text } });
          break;
        case 'tool-call':
          announce(part.toolCallId, part.toolName, part.input);
          break;
        case 'tool-result':
        case 'tool-error': {
          announce(part.toolCallId, part.toolName, part.input);
          const recorded = toolOutputs.get(part.toolCallId);
          const ok = part.type === 'tool-result';
          const output = recorded?.output ?? (ok ? String(part.output) : errorText(part.error));
          stuck.record(part.toolName, part.input, ok);
          builder.finishTool(part.toolCallId, {
            state: ok ? 'completed' : recorded?.denied ? 'denied' : 'error',
            output,
            metadata: recorded?.metadata,
          });
          emit({
            type: 'tool_result',
            data: {
              messageId,
              toolCallId: part.toolCallId,
              tool: part.toolName,
              ok,
              output,
              durationMs: Math.round(
                performance.now() - (toolStarted.get(part.toolCallId) ?? performance.now()),
              ),
              ...(recorded?.metadata ? { metadata: recorded.metadata } : {}),
            },
          });
          break;
        }
        case 'finish-step': {
          steps += 1;
          lastFinishReason = part.finishReason;
          const stepUsage = usageFromSdk(part.usage, model.price);
          usage = addUsage(usage, stepUsage);
          await store.recordUsage({ sessionId, messageId, step: steps, model: model.id, usage: stepUsage });
          const totals = await store.sessionUsage(sessionId);
          emit({
            type: 'usage',
            data: { ...stepUsage, messageId, step: steps, model: model.id, session: totals },
          });
          await store.updateMessage(messageId, { parts: builder.parts });
          break;
        }
        case 'error':
          failure = classifyError(part.error).message;
          break;
        default:
          break;
      }
    }
  } catch (error) {
    if (!signal.aborted) failure = classifyError(error).message;
  }

  const status: RunStatus = signal.aborted
    ? 'cancelled'
    : failure
      ? 'error'
      : stuck.stuck
        ? 'stuck'
        : steps >= maxSteps && lastFinishReason === 'tool-calls'
          ? 'max_steps'
          : 'completed';
  builder.interruptRunningTools(
    status === 'cancelled' ? 'Cancelled by the user.' : 'The run ended before this call finished.',
  );
  const finishReason = finishReasonOf(status, lastFinishReason);
  await store.updateMessage(messageId, { parts: builder.parts, finishReason, usage });
  if (status === 'error' && failure) emit({ type: 'error', data: { message: failure } });
  if (status === 'stuck') emit({ type: 'error', data: { message: stuck.description, kind: 'stuck' } });
  if (status === 'max_steps') {
    emit({
      type: 'error',
      data: {
        message: `Stopped after ${maxSteps} steps (the step limit). Send another message to continue, or raise --max-steps.`,
        kind: 'max_steps',
      },
    });
  }
  emit({ type: 'message_done', data: { messageId, finishReason, usage } });
  // A model-written title replaces the quick one once the work is done, so it never competes
  // with the turn itself for the provider's attention.
  if (needsTitle && status === 'completed' && !model.scripted) {
    const better = await generateTitle(model.base, opts.text, signal);
    if (better !== titleFromText(opts.text)) await setTitle(opts, better, emit);
  }
  emit({ type: 'run_finished', data: { runId, status, steps, ...(failure ? { error: failure } : {}) } });
  await store.updateSession(sessionId, { state: 'IDLE' });
  emit({ type: 'state_change', data: { state: 'IDLE' } });
  await events.flush();
  return {
    runId,
    messageId,
    status,
    steps,
    usage,
    text: builder.text(),
    ...(failure ? { error: failure } : {}),
  };
}

async function setTitle(
  opts: StartRunOptions,
  title: string,
  emit: (e: EventInput) => unknown,
): Promise<void> {
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
