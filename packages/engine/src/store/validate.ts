import { isAbsolute } from 'node:path';
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

/** Size limits for user-supplied text, in characters. */
export const LIMITS = {
  /** User ids (Better Auth's are 32 characters) and other ids chosen by callers. */
  id: 200,
  /** Project and API token names. */
  name: 200,
  description: 10_000,
  /** Template names, sandbox ids. */
  label: 200,
  /** Preview URL, provider base URL. */
  url: 2_048,
  /** A URL, a path or a `data:` URL of a small image. */
  thumbnail: 1_000_000,
  /** Absolute workspace path. */
  path: 4_096,
  provider: 64,
  /** Encrypted provider key as the caller encodes it. */
  ciphertext: 16_384,
  /** A few characters of a key to recognise it by; never the key. */
  hint: 16,
  /** The start of an API token shown to its owner; never the whole token. */
  prefix: 32,
} as const;

const tooLong = (max: number) => ({ error: `must be at most ${max} characters` });
const notEmpty = { error: 'must not be empty' };

const boundedText = (max: number) => z.string().max(max, tooLong(max));
const schemas = {
  id: z.string().min(1, notEmpty).max(LIMITS.id, tooLong(LIMITS.id)),
  name: z.string().trim().min(1, notEmpty).max(LIMITS.name, tooLong(LIMITS.name)),
  path: z
    .string()
    .min(1, notEmpty)
    .max(LIMITS.path, tooLong(LIMITS.path))
    .refine(isAbsolute, { error: 'must be an absolute path' }),
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .max(LIMITS.url, tooLong(LIMITS.url)),
  provider: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
      error: 'must start with a letter or digit and contain only letters, digits, ".", "_" and "-"',
    })
    .max(LIMITS.provider, tooLong(LIMITS.provider)),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, { error: 'must be a sha-256 digest in lowercase hex (64 characters)' }),
  prefix: z.string().min(1, notEmpty).max(LIMITS.prefix, tooLong(LIMITS.prefix)),
  ciphertext: z.string().min(1, notEmpty).max(LIMITS.ciphertext, tooLong(LIMITS.ciphertext)),
};

/** A non-empty id of at most LIMITS.id characters (user ids, ids chosen by callers). */
export const checkBoundedId = (value: unknown, what: string): string => check(schemas.id, value, what);
/** A display name: trimmed, then 1 to LIMITS.name characters. */
export const checkName = (value: unknown, what: string): string => check(schemas.name, value, what);
/** Text of at most `max` characters, or null. */
export const checkNullableBoundedText = (value: unknown, what: string, max: number): string | null =>
  check(boundedText(max).nullable(), value, what);
export const checkBoundedText = (value: unknown, what: string, max: number): string =>
  check(boundedText(max), value, what);
export const checkAbsolutePath = (value: unknown, what: string): string => check(schemas.path, value, what);
export const checkNullableUrl = (value: unknown, what: string): string | null =>
  check(schemas.url.nullable(), value, what);
export const checkProvider = (value: unknown): string => check(schemas.provider, value, 'provider');
export const checkSha256 = (value: unknown, what: string): string => check(schemas.sha256, value, what);
export const checkPrefix = (value: unknown): string => check(schemas.prefix, value, 'API token prefix');
export const checkCiphertext = (value: unknown): string =>
  check(schemas.ciphertext, value, 'provider key ciphertext');

/** An epoch-milliseconds timestamp, or null. */
export function checkNullableTimestamp(value: unknown, what: string): number | null {
  return value === null ? null : checkInteger(value, what);
}

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
