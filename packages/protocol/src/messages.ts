import { z } from 'zod';

export const usage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative().default(0),
  cachedInputTokens: z.number().int().nonnegative().default(0),
  /** USD; null when the model has no known price. */
  costUsd: z.number().nonnegative().nullable(),
});
export type Usage = z.infer<typeof usage>;

export const textPart = z.object({ type: z.literal('text'), text: z.string() });
export const reasoningPart = z.object({ type: z.literal('reasoning'), text: z.string() });
export const filePart = z.object({
  type: z.literal('file'),
  mediaType: z.string(),
  filename: z.string().optional(),
  /** data: URL or workspace-relative path */
  url: z.string(),
});
export const toolPartState = z.enum(['running', 'completed', 'error', 'denied']);
export const toolPart = z.object({
  type: z.literal('tool'),
  toolCallId: z.string(),
  tool: z.string(),
  input: z.unknown(),
  state: toolPartState,
  output: z.string().optional(),
  /** Structured extras for UIs (diff of an edit, exit code, …). */
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export const messagePart = z.discriminatedUnion('type', [textPart, reasoningPart, filePart, toolPart]);
export type MessagePart = z.infer<typeof messagePart>;
export type ToolPart = z.infer<typeof toolPart>;

export const messageRole = z.enum(['user', 'assistant']);
export type MessageRole = z.infer<typeof messageRole>;

export const finishReason = z.enum([
  'stop',
  'length',
  'tool-calls',
  'content-filter',
  'error',
  'cancelled',
  'max-steps',
  'stuck',
  'other',
]);
export type FinishReason = z.infer<typeof finishReason>;

export const message = z.object({
  id: z.string(),
  sessionId: z.string(),
  role: messageRole,
  parts: z.array(messagePart),
  model: z.string().nullable(),
  finishReason: finishReason.nullable(),
  usage: usage.nullable(),
  createdAt: z.number(),
});
export type Message = z.infer<typeof message>;

export const attachment = z.object({
  mediaType: z.string().max(200),
  filename: z.string().max(500).optional(),
  url: z.string().max(20_000_000),
});
export type Attachment = z.infer<typeof attachment>;
