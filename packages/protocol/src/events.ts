import { z } from 'zod';
import { attachment, finishReason, usage } from './messages.ts';
import { runStatus, sessionMode, sessionState } from './states.ts';
import { todoItem } from './tools.ts';

const messageId = z.string();
const filePath = z.string();

export const usageTotals = usage.extend({ steps: z.number().int().nonnegative() });

/** Data of every server → client event, keyed by the envelope's `type`. */
export const eventData = {
  // chat stream
  message_user: z.object({ messageId, text: z.string(), attachments: z.array(attachment).optional() }),
  message_start: z.object({ messageId, model: z.string(), scripted: z.boolean() }),
  text_delta: z.object({ messageId, delta: z.string() }),
  reasoning_delta: z.object({ messageId, delta: z.string() }),
  tool_call: z.object({ messageId, toolCallId: z.string(), tool: z.string(), input: z.unknown() }),
  tool_result: z.object({
    messageId,
    toolCallId: z.string(),
    tool: z.string(),
    ok: z.boolean(),
    output: z.string(),
    durationMs: z.number().nonnegative(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  }),
  message_done: z.object({ messageId, finishReason, usage: usage.nullable() }),
  permission_request: z.object({
    requestId: z.string(),
    tool: z.string(),
    input: z.unknown(),
    /** The value the rule patterns are matched against (a path, a command, a URL). */
    subject: z.string(),
    description: z.string(),
  }),
  permission_resolved: z.object({
    requestId: z.string(),
    reply: z.enum(['once', 'always', 'reject']),
    message: z.string().optional(),
  }),
  usage: usage.extend({
    messageId,
    step: z.number().int().nonnegative(),
    model: z.string(),
    session: usageTotals,
  }),
  todo_updated: z.object({ items: z.array(todoItem) }),
  provider_retry: z.object({ attempt: z.number().int(), delayMs: z.number(), reason: z.string() }),
  context_compacted: z.object({
    prunedToolOutputs: z.number().int(),
    estimatedTokensBefore: z.number().int(),
  }),
  session_updated: z.object({ title: z.string().optional() }),
  run_started: z.object({
    runId: z.string(),
    model: z.string(),
    mode: sessionMode,
    maxSteps: z.number().int(),
  }),
  run_finished: z.object({
    runId: z.string(),
    status: runStatus,
    steps: z.number().int().nonnegative(),
    error: z.string().optional(),
  }),
  preview_error: z.object({
    kind: z.enum(['console', 'unhandled_rejection', 'error', 'request_failed']),
    message: z.string(),
    stack: z.string().optional(),
    url: z.string().optional(),
  }),
  checkpoint_created: z.object({
    /** The checkpoint's id (a commit in the project's checkpoint repository). */
    id: z.string(),
    turn: z.object({ sessionId: z.string(), runId: z.string(), messageId }),
    message: z.string(),
    files: z.array(z.object({ path: filePath, status: z.enum(['added', 'modified', 'deleted']) })),
  }),
  error: z.object({ message: z.string(), kind: z.string().optional(), retryable: z.boolean().optional() }),
  // app builder (seed table)
  state_change: z.object({ state: sessionState, previous: sessionState.optional() }),
  phase_designing: z.object({ phase: z.number().int().nonnegative() }),
  phase_designed: z.object({
    phase: z.number().int().nonnegative(),
    name: z.string(),
    description: z.string(),
    files: z.array(z.object({ path: filePath, purpose: z.string() })),
  }),
  file_start: z.object({ path: filePath }),
  file_chunk: z.object({ path: filePath, chunk: z.string() }),
  file_end: z.object({ path: filePath, bytes: z.number().int().nonnegative() }),
  files_written: z.object({ files: z.array(filePath) }),
  deps_installed: z.object({ command: z.string(), durationMs: z.number().nonnegative() }),
  server_started: z.object({ url: z.string() }),
  generation_complete: z.object({ files: z.array(filePath), phases: z.number().int().nonnegative() }),
} as const;

export type EventType = keyof typeof eventData;
export const eventTypes = Object.keys(eventData) as EventType[];
export type EventDataOf<T extends EventType> = z.infer<(typeof eventData)[T]>;

/** `{ seq, sessionId, ts, type, data }`: seq increases by one per session, starting at 1. */
export type EventEnvelope<T extends EventType = EventType> = {
  [K in T]: { seq: number; sessionId: string; ts: number; type: K; data: EventDataOf<K> };
}[T];

/** A not-yet-persisted event: what the engine emits before the store assigns `seq` and `ts`. */
export type EventInput<T extends EventType = EventType> = {
  [K in T]: { type: K; data: EventDataOf<K> };
}[T];

const envelopeOf = <K extends EventType>(type: K) =>
  z.object({
    seq: z.number().int().positive(),
    sessionId: z.string(),
    ts: z.number(),
    type: z.literal(type),
    data: eventData[type],
  });

export const eventEnvelope = z.discriminatedUnion(
  'type',
  eventTypes.map((t) => envelopeOf(t)) as unknown as [
    ReturnType<typeof envelopeOf>,
    ...ReturnType<typeof envelopeOf>[],
  ],
);

export function parseEnvelope(value: unknown): EventEnvelope {
  return eventEnvelope.parse(value) as EventEnvelope;
}
