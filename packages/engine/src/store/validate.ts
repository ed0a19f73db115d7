import {
  type EventInput,
  type EventType,
  eventData,
  type FinishReason,
  finishReason,
  type MessagePart,
  type MessageRole,
  messagePart,
  messageRole,
  type SessionMode,
  type SessionState,
  sessionMode,
  sessionState,
  type Usage,
  usage,
} from '@aura/protocol';
import { z } from 'zod';
import { InvalidInputError } from './errors.ts';

/**
 * Input checks run before any write, so bad input fails with a readable InvalidInputError and
 * never reaches the database. Values come back as the protocol schemas parse them (defaults
 * filled in, unknown keys dropped), which is what gets stored.
 */
function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidInputError(`Invalid ${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

const parts = z.array(messagePart);
const requiredText = z.string().min(1);
const nullableText = z.string().nullable();

export const checkParts = (value: unknown): MessagePart[] => check(parts, value, 'message parts');
export const checkRole = (value: unknown): MessageRole => check(messageRole, value, 'message role');
export const checkMode = (value: unknown): SessionMode => check(sessionMode, value, 'session mode');
export const checkState = (value: unknown): SessionState => check(sessionState, value, 'session state');
export const checkUsage = (value: unknown): Usage => check(usage, value, 'usage');
export const checkFinishReason = (value: unknown): FinishReason =>
  check(finishReason, value, 'finish reason');
export const checkId = (value: unknown, what: string): string => check(requiredText, value, what);
export const checkText = (value: unknown, what: string): string => check(z.string(), value, what);
export const checkNullableText = (value: unknown, what: string): string | null =>
  check(nullableText, value, what);

export function checkEvent(event: EventInput): EventInput {
  const type: unknown = event?.type;
  if (typeof type !== 'string' || !Object.hasOwn(eventData, type)) {
    throw new InvalidInputError(`Invalid event: unknown type ${JSON.stringify(type)}`);
  }
  const known = type as EventType;
  const schema: z.ZodType = eventData[known];
  const data = check(schema, event.data, `${known} event data`);
  // The schema for `known` just accepted `data`, so the pair is a valid EventInput.
  return { type: known, data } as EventInput;
}

/** A non-negative safe integer (step, limit, offset, cursor). */
export function checkInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError(`Invalid ${what}: expected a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/** An optional non-negative integer option; undefined when absent. */
export const checkCount = (value: number | undefined, what: string): number | undefined =>
  value === undefined ? undefined : checkInteger(value, what);

/** JSON text of a value, or InvalidInputError if it has none (undefined, BigInt, cycles). */
export function toJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new InvalidInputError(`Invalid ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (text === undefined) throw new InvalidInputError(`Invalid ${what}: not representable as JSON`);
  return text;
}

/** Parses JSON text this store wrote. */
export function fromJson(text: string): unknown {
  return JSON.parse(text) as unknown;
}
