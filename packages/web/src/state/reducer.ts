import type { EventDataOf, EventEnvelope, FinishReason, RunStatus } from '@aura/protocol';
import {
  builderFileWritten,
  builderStateChanged,
  buildRunFinished,
  generationComplete,
  phaseDesigned,
  phaseDesigning,
} from './builder.ts';
import { Draft } from './draft.ts';
import { filesWritten, fileToolCalled, fileToolFinished, fileWritesEnded } from './file-activity.ts';
import { messageById, permissionById, toolCallById } from './selectors.ts';
import type {
  MessageView,
  PermissionStatus,
  PermissionView,
  SessionView,
  TimelineItem,
  ToolCallView,
} from './session-view.ts';

/** The newest preview errors kept; older ones are dropped. */
export const MAX_PREVIEW_ERRORS = 200;

/**
 * Folds events into the view, in the order given. An event whose seq is not above the view's
 * lastSeq has been applied already (a replay after a reconnect) and is skipped. Pure: returns a
 * new view (or the same one when nothing applied) and never changes its input.
 */
export function applyEvents(view: SessionView, events: readonly EventEnvelope[]): SessionView {
  let draft: Draft | undefined;
  for (const event of events) {
    if (event.seq <= (draft?.view ?? view).lastSeq) continue;
    draft ??= new Draft(view);
    apply(draft, event);
    draft.view.lastSeq = event.seq;
  }
  return draft ? draft.view : view;
}

export function applyEvent(view: SessionView, event: EventEnvelope): SessionView {
  return applyEvents(view, [event]);
}

function apply(d: Draft, event: EventEnvelope): void {
  const { seq, ts } = event;
  switch (event.type) {
    case 'message_user': {
      const { messageId, text, attachments } = event.data;
      addMessage(d, seq, {
        ...newMessage(messageId, 'user', ts),
        parts: [{ type: 'text', text }],
        attachments: attachments ?? [],
      });
      return;
    }
    case 'run_started':
      d.view.run = { ...event.data, status: 'running', steps: 0, error: null };
      d.view.turnUsage = { ...noUsage };
      if (event.data.mode === 'build') d.view.builder = { ...d.view.builder, active: true };
      return;
    case 'message_start': {
      const { messageId, model, scripted } = event.data;
      const message = assistant(d, messageId, seq, ts);
      setMessage(d, { ...message, model, scripted });
      return;
    }
    case 'text_delta':
    case 'reasoning_delta':
      appendText(
        d,
        event.data.messageId,
        event.type === 'text_delta' ? 'text' : 'reasoning',
        event.data.delta,
        seq,
        ts,
      );
      d.view.retry = null;
      return;
    case 'tool_call':
      toolCalled(d, event.data, seq, ts);
      fileToolCalled(d, event.data);
      d.view.retry = null;
      return;
    case 'tool_result':
      fileToolFinished(d, event.data, seq);
      toolFinished(d, event.data, seq, ts);
      return;
    case 'permission_request': {
      const { requestId, tool, input, subject, description } = event.data;
      setPermission(
        d,
        { requestId, tool, input, subject, description, status: 'pending', message: null },
        seq,
      );
      return;
    }
    case 'permission_resolved': {
      const { requestId, reply, message } = event.data;
      const request = permissionById(d.view, requestId);
      if (request)
        setPermission(d, { ...request, status: replyStatus[reply], message: message ?? null }, seq);
      return;
    }
    case 'usage': {
      const message = messageById(d.view, event.data.messageId);
      if (message) setMessage(d, { ...message, stepEnded: true });
      d.view.usage = event.data.session;
      d.view.turnUsage = addStep(d.view.turnUsage ?? noUsage, event.data);
      d.view.retry = null;
      return;
    }
    case 'todo_updated':
      d.view.todos = event.data.items;
      return;
    case 'provider_retry':
      d.view.retry = event.data;
      return;
    case 'context_compacted':
      push(d, { kind: 'compacted', seq, prunedToolOutputs: event.data.prunedToolOutputs });
      return;
    case 'message_done': {
      const { messageId, finishReason, usage } = event.data;
      const message = assistant(d, messageId, seq, ts);
      setMessage(d, { ...message, streaming: false, finishReason, usage });
      d.view.retry = null;
      return;
    }
    case 'session_updated':
      if (event.data.title !== undefined) d.view.title = event.data.title;
      return;
    case 'checkpoint_created': {
      d.own('checkpoints').push(event.data);
      const message = messageById(d.view, event.data.turn.messageId);
      if (message) setMessage(d, { ...message, checkpointId: event.data.id });
      return;
    }
    case 'error': {
      const { message, kind, retryable } = event.data;
      push(d, { kind: 'error', seq, message, errorKind: kind ?? null, retryable: retryable ?? false });
      if (kind === 'verification')
        d.view.builder = { ...d.view.builder, fixRounds: d.view.builder.fixRounds + 1 };
      return;
    }
    case 'run_finished':
      runFinished(d, event.data, seq);
      fileWritesEnded(d);
      return;
    case 'state_change':
      d.view.state = event.data.state;
      d.view.builder = builderStateChanged(d.view.builder, event.data.state, ts);
      return;
    case 'preview_error': {
      const errors = d.own('previewErrors');
      errors.push({ seq, ts, ...event.data });
      if (errors.length > MAX_PREVIEW_ERRORS) errors.splice(0, errors.length - MAX_PREVIEW_ERRORS);
      return;
    }
    case 'phase_designing':
      d.view.builder = phaseDesigning(d.view.builder, event.data);
      return;
    case 'phase_designed':
      d.view.builder = phaseDesigned(d.view.builder, event.data);
      return;
    case 'file_start':
      d.own('files')[event.data.path] = {
        path: event.data.path,
        status: 'writing',
        content: '',
        bytes: null,
      };
      d.view.builder = builderFileWritten(d.view.builder, event.data.path);
      return;
    case 'file_chunk': {
      const { path, chunk } = event.data;
      const file = d.view.files[path];
      d.own('files')[path] = { path, status: 'writing', content: (file?.content ?? '') + chunk, bytes: null };
      return;
    }
    case 'file_end': {
      const { path, bytes } = event.data;
      const content = d.view.files[path]?.content ?? null;
      d.own('files')[path] = { path, status: 'written', content, bytes };
      return;
    }
    case 'files_written':
      for (const path of event.data.files) {
        d.view.builder = builderFileWritten(d.view.builder, path);
        const file = d.view.files[path];
        d.own('files')[path] = {
          path,
          status: 'written',
          content: file?.content ?? null,
          bytes: file?.bytes ?? null,
        };
      }
      filesWritten(d, event.data, seq);
      return;
    case 'deps_installed':
      d.view.builder = { ...d.view.builder, deps: event.data };
      return;
    case 'server_started':
      d.view.previewUrl = event.data.url;
      return;
    case 'generation_complete':
      d.view.builder = generationComplete(d.view.builder, event.data);
      return;
  }
}

type UsageTotals = NonNullable<SessionView['turnUsage']>;

const noUsage: UsageTotals = {
  inputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  cachedInputTokens: 0,
  costUsd: null,
  steps: 0,
};

/** Sums the way the server sums session totals: known costs add up; null only while none is known. */
function addStep(total: UsageTotals, step: EventDataOf<'usage'>): UsageTotals {
  return {
    inputTokens: total.inputTokens + step.inputTokens,
    outputTokens: total.outputTokens + step.outputTokens,
    reasoningTokens: total.reasoningTokens + step.reasoningTokens,
    cachedInputTokens: total.cachedInputTokens + step.cachedInputTokens,
    costUsd:
      total.costUsd === null && step.costUsd === null ? null : (total.costUsd ?? 0) + (step.costUsd ?? 0),
    steps: total.steps + 1,
  };
}

const replyStatus: Record<EventDataOf<'permission_resolved'>['reply'], PermissionStatus> = {
  once: 'allowed_once',
  always: 'allowed_always',
  reject: 'rejected',
};

/** How a message still streaming when its run ended is marked. */
const finishOfRun: Partial<Record<RunStatus, FinishReason>> = {
  cancelled: 'cancelled',
  interrupted: 'cancelled',
  error: 'error',
  max_steps: 'max-steps',
  stuck: 'stuck',
};

function newMessage(id: string, role: MessageView['role'], ts: number): MessageView {
  return {
    id,
    role,
    ts,
    parts: [],
    attachments: [],
    model: null,
    scripted: false,
    streaming: role === 'assistant',
    stepEnded: false,
    finishReason: null,
    usage: null,
    checkpointId: null,
  };
}

function push(d: Draft, item: TimelineItem): void {
  d.own('items').push(item);
}

function addMessage(d: Draft, seq: number, message: MessageView): void {
  d.own('messageAt')[message.id] = d.view.items.length;
  push(d, { kind: 'message', seq, message });
}

/** Replaces a message that is already in the timeline. */
function setMessage(d: Draft, message: MessageView): void {
  const at = d.view.messageAt[message.id];
  const item = at === undefined ? undefined : d.view.items[at];
  if (at === undefined || item?.kind !== 'message') return;
  d.own('items')[at] = { ...item, message };
}

/**
 * Puts a permission request where it was asked: in the assistant message whose tool call is
 * waiting for it, so the prompt sits under that call; on its own when no message is streaming.
 */
function setPermission(d: Draft, request: PermissionView, seq: number): void {
  const known = d.view.permissionAt[request.requestId];
  const at = known ?? askingMessage(d.view);
  const item = at === undefined ? undefined : d.view.items[at];
  if (at !== undefined && item?.kind === 'message') {
    const { parts } = item.message;
    const index = parts.findIndex(
      (p) => p.type === 'permission' && p.request.requestId === request.requestId,
    );
    const part = { type: 'permission' as const, request };
    const next = index < 0 ? [...parts, part] : parts.map((p, i) => (i === index ? part : p));
    d.own('items')[at] = { ...item, message: { ...item.message, parts: next } };
  } else if (at !== undefined && item?.kind === 'permission') {
    d.own('items')[at] = { ...item, request };
  } else {
    push(d, { kind: 'permission', seq, request });
  }
  if (known === undefined) d.own('permissionAt')[request.requestId] = at ?? d.view.items.length - 1;
}

/** The index of the newest message item, when it is an assistant message still streaming. */
function askingMessage(view: SessionView): number | undefined {
  for (let at = view.items.length - 1; at >= 0; at--) {
    const item = view.items[at];
    if (item?.kind !== 'message') continue;
    return item.message.role === 'assistant' && item.message.streaming ? at : undefined;
  }
  return undefined;
}

/** The assistant message, created when an event arrives for one not yet started. */
function assistant(d: Draft, messageId: string, seq: number, ts: number): MessageView {
  const existing = messageById(d.view, messageId);
  if (existing) return existing;
  const created = newMessage(messageId, 'assistant', ts);
  addMessage(d, seq, created);
  return created;
}

function appendText(
  d: Draft,
  messageId: string,
  type: 'text' | 'reasoning',
  delta: string,
  seq: number,
  ts: number,
): void {
  const message = assistant(d, messageId, seq, ts);
  const last = message.parts.at(-1);
  const parts =
    last && last.type === type && !message.stepEnded
      ? [...message.parts.slice(0, -1), { type, text: last.text + delta }]
      : [...message.parts, { type, text: delta }];
  setMessage(d, { ...message, parts, stepEnded: false });
}

/** Puts a tool call's latest state into its message, adding it the first time. */
function setToolCall(d: Draft, call: ToolCallView, seq: number, ts: number): void {
  // Ids are unique within a message, not across a session: a scripted replay reuses them each run.
  const known = d.view.toolCallIn[call.toolCallId];
  const owner = known === call.messageId ? known : undefined;
  const message = assistant(d, owner ?? call.messageId, seq, ts);
  if (owner === undefined) {
    d.own('toolCallIn')[call.toolCallId] = message.id;
    setMessage(d, { ...message, parts: [...message.parts, { type: 'tool', call }] });
    return;
  }
  const parts = message.parts.map((part) =>
    part.type === 'tool' && part.call.toolCallId === call.toolCallId ? { type: 'tool' as const, call } : part,
  );
  setMessage(d, { ...message, parts });
}

function toolCalled(d: Draft, data: EventDataOf<'tool_call'>, seq: number, ts: number): void {
  const { messageId, toolCallId, tool, input } = data;
  setToolCall(
    d,
    { toolCallId, messageId, tool, input, status: 'running', output: null, durationMs: null, metadata: null },
    seq,
    ts,
  );
}

function toolFinished(d: Draft, data: EventDataOf<'tool_result'>, seq: number, ts: number): void {
  const { messageId, toolCallId, tool, ok, output, durationMs, metadata } = data;
  const call = toolCallById(d.view, toolCallId);
  setToolCall(
    d,
    {
      toolCallId,
      messageId,
      tool,
      input: call?.input ?? null,
      status: ok ? 'completed' : 'error',
      output,
      durationMs,
      metadata: metadata ?? null,
    },
    seq,
    ts,
  );
}

/**
 * The run is over: nothing it started is still going. A run killed with its process never sent
 * the results or replies it owed, so those are closed here.
 */
function runFinished(d: Draft, data: EventDataOf<'run_finished'>, seq: number): void {
  const { runId, status, steps, error } = data;
  const run = d.view.run;
  d.view.run =
    run && run.runId === runId
      ? { ...run, status, steps, error: error ?? null }
      : { runId, model: '', mode: 'chat', maxSteps: 0, status, steps, error: error ?? null };
  d.view.retry = null;
  for (const [at, item] of d.view.items.entries()) {
    if (item.kind === 'message' && (item.message.streaming || hasOpenPart(item.message))) {
      d.own('items')[at] = { ...item, message: settleMessage(item.message, status) };
    } else if (item.kind === 'permission' && item.request.status === 'pending') {
      d.own('items')[at] = { ...item, request: { ...item.request, status: 'expired' } };
    }
  }
  if (d.view.run.mode === 'build') d.view.builder = buildRunFinished(d.view.builder, status);
  if (status !== 'completed') push(d, { kind: 'run_end', seq, runId, status, error: error ?? null });
}

function hasOpenPart(message: MessageView): boolean {
  return message.parts.some(
    (part) =>
      (part.type === 'tool' && part.call.status === 'running') ||
      (part.type === 'permission' && part.request.status === 'pending'),
  );
}

function settleMessage(message: MessageView, status: RunStatus): MessageView {
  const parts = message.parts.map((part) => {
    if (part.type === 'tool' && part.call.status === 'running') {
      return { type: 'tool' as const, call: { ...part.call, status: 'interrupted' as const } };
    }
    if (part.type === 'permission' && part.request.status === 'pending') {
      return { type: 'permission' as const, request: { ...part.request, status: 'expired' as const } };
    }
    return part;
  });
  return {
    ...message,
    parts,
    streaming: false,
    finishReason: message.finishReason ?? finishOfRun[status] ?? null,
  };
}
