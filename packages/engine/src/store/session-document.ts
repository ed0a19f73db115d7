import { isAbsolute, resolve } from 'node:path';
import {
  type EventEnvelope,
  type EventInput,
  type EventType,
  eventData,
  eventTypes,
  finishReason,
  type Message,
  messagePart,
  messageRole,
  type SessionInfo,
  sessionMode,
  sessionState,
  usage,
} from '@aura/protocol';
import { z } from 'zod';
import { newId } from './ids.ts';
import type { ImportSessionInput } from './session-import.ts';
import type { Store } from './types.ts';

/**
 * The portable form of one session (`aura session export --format json`): what `import` reads
 * back. Bump the version for any change an older reader would misread.
 */
const SESSION_DOCUMENT_FORMAT = 'aura-session';
const SESSION_DOCUMENT_VERSION = 1;

/** A document that cannot be imported; the message says what and where. */
export class SessionDocumentError extends Error {
  override name = 'SessionDocumentError';
}

const timestamp = z.number().int().nonnegative();
// PostgreSQL text cannot hold U+0000; refuse it here with a path instead of failing mid-import.
const plainText = z.string().refine((s) => !s.includes('\0'), { error: 'must not contain NUL characters' });

const documentSession = z.object({
  id: plainText.min(1).max(200),
  title: plainText.max(10_000).nullable(),
  directory: plainText.min(1).max(4_096),
  model: plainText.max(500).nullable(),
  mode: sessionMode,
  state: sessionState,
  createdAt: timestamp,
  updatedAt: timestamp,
});

const documentMessage = z.object({
  id: plainText.min(1).max(200),
  role: messageRole,
  parts: z.array(messagePart),
  model: plainText.max(500).nullable(),
  finishReason: finishReason.nullable(),
  usage: usage.nullable(),
  createdAt: timestamp,
});

const documentEvent = z
  .object({
    seq: z.number().int().positive(),
    ts: timestamp,
    type: z.enum(eventTypes as [EventType, ...EventType[]]),
    data: z.unknown(),
  })
  .superRefine((event, ctx) => {
    const parsed = eventData[event.type].safeParse(event.data);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: ['data', ...issue.path] });
    }
  });

const sessionDocument = z.object({
  format: z.literal(SESSION_DOCUMENT_FORMAT),
  version: z.literal(SESSION_DOCUMENT_VERSION),
  exportedAt: timestamp.optional(),
  session: documentSession,
  messages: z.array(documentMessage),
  /** The event log the web IDE replays; absent, import rebuilds one from the messages. */
  events: z.array(documentEvent).optional(),
});
export type SessionDocument = z.infer<typeof sessionDocument>;

/** A version-1 document of a session as loaded (a client that has no event log leaves it out). */
export function sessionDocumentOf(
  session: SessionInfo,
  messages: readonly Message[],
  events?: readonly EventEnvelope[],
): SessionDocument {
  return {
    format: SESSION_DOCUMENT_FORMAT,
    version: SESSION_DOCUMENT_VERSION,
    exportedAt: Date.now(),
    session,
    messages: [...messages],
    ...(events ? { events: [...events] } : {}),
  };
}

/** Everything stored about a session, as a version-1 document (events included unless asked not to). */
export async function exportSessionDocument(
  store: Store,
  sessionId: string,
  opts: { events?: boolean } = {},
): Promise<SessionDocument | undefined> {
  const session = await store.getSession(sessionId);
  if (!session) return undefined;
  const messages = await store.listMessages(sessionId);
  const events = opts.events === false ? undefined : await store.listEvents(sessionId);
  return sessionDocumentOf(session, messages, events);
}

const MAX_ISSUES_SHOWN = 5;

/** Checks a parsed JSON value, with errors that say what is wrong and at which path. */
export function parseSessionDocument(value: unknown): SessionDocument {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SessionDocumentError('not an Aura session export: expected a JSON object');
  }
  const { format, version } = value as Record<string, unknown>;
  if (format !== SESSION_DOCUMENT_FORMAT) {
    const found = format === undefined ? 'has no "format"' : `has "format": ${JSON.stringify(format)}`;
    throw new SessionDocumentError(
      `not an Aura session export: the document ${found}, expected "${SESSION_DOCUMENT_FORMAT}"`,
    );
  }
  if (version !== SESSION_DOCUMENT_VERSION) {
    throw new SessionDocumentError(
      `unsupported session export version ${JSON.stringify(version)}: this Aura reads version ${SESSION_DOCUMENT_VERSION}`,
    );
  }
  const result = sessionDocument.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const lines = issues
    .slice(0, MAX_ISSUES_SHOWN)
    .map((issue) => `  ${pathText(issue.path)}: ${issue.message}`);
  if (issues.length > MAX_ISSUES_SHOWN) lines.push(`  … and ${issues.length - MAX_ISSUES_SHOWN} more`);
  throw new SessionDocumentError(`invalid session export:\n${lines.join('\n')}`);
}

function pathText(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

export interface ImportOptions {
  /** Give the session (and its messages) new ids instead of the document's. */
  newIds?: boolean;
  /** The workspace on this machine; default: the document's directory, which must be absolute. */
  directory?: string;
}

/**
 * What `store.importSession` writes for a document: its messages, its events (rebuilt from the
 * messages when the document has none, so the web IDE can replay them) and per-step usage (from
 * the `usage` events, else one row per assistant message).
 */
export function importInputFrom(doc: SessionDocument, opts: ImportOptions = {}): ImportSessionInput {
  const directory = opts.directory ?? doc.session.directory;
  if (!isAbsolute(directory)) {
    throw new SessionDocumentError(
      `session.directory: "${directory}" is not an absolute path; pass the workspace to use with --dir`,
    );
  }
  const sessionId = opts.newIds ? newId('ses') : doc.session.id;
  const messageIds = new Map(doc.messages.map((m) => [m.id, opts.newIds ? newId('msg') : m.id]));
  const renamed = (id: string) => messageIds.get(id) ?? id;

  const sourceEvents = doc.events ?? eventsFromMessages(doc.messages);
  const events = sourceEvents.map((event) => renameEvent(event, renamed, sessionId));
  const usageEvents = events.filter((e): e is typeof e & EventInput<'usage'> => e.type === 'usage');
  const usageRows =
    usageEvents.length > 0
      ? usageEvents.map((e) => ({
          messageId: e.data.messageId,
          step: e.data.step,
          model: e.data.model,
          usage: e.data,
          createdAt: e.ts,
        }))
      : doc.messages.flatMap((m) =>
          m.role === 'assistant' && m.usage
            ? [
                {
                  messageId: renamed(m.id),
                  step: 0,
                  model: m.model ?? doc.session.model ?? 'unknown',
                  usage: m.usage,
                  createdAt: m.createdAt,
                },
              ]
            : [],
        );

  return {
    session: { ...doc.session, id: sessionId, directory: resolve(directory) },
    messages: doc.messages.map((m) => ({ ...m, id: renamed(m.id) })),
    events,
    usage: usageRows,
  };
}

type DocumentEvent = { ts: number; type: EventType; data: unknown };

/** Points an event at the imported session's message ids. */
function renameEvent(
  event: DocumentEvent,
  renamed: (id: string) => string,
  sessionId: string,
): EventInput & { ts: number } {
  const data = { ...(event.data as Record<string, unknown>) };
  if (typeof data.messageId === 'string') data.messageId = renamed(data.messageId);
  if (event.type === 'checkpoint_created') {
    const turn = data.turn as { messageId: string };
    data.turn = { ...turn, sessionId, messageId: renamed(turn.messageId) };
  }
  // The store validates type and data together before writing.
  return { ts: event.ts, type: event.type, data } as EventInput & { ts: number };
}

type DocumentMessage = Pick<
  Message,
  'id' | 'role' | 'parts' | 'model' | 'finishReason' | 'usage' | 'createdAt'
>;

/** The chat events a client would have seen for these messages, for a document without a log. */
function eventsFromMessages(messages: readonly DocumentMessage[]): (EventInput & { ts: number })[] {
  const events: (EventInput & { ts: number })[] = [];
  for (const message of messages) {
    const ts = message.createdAt;
    const messageId = message.id;
    const add = (event: EventInput) => events.push({ ...event, ts });
    if (message.role === 'user') {
      const text = message.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
      const attachments = message.parts.flatMap((p) =>
        p.type === 'file'
          ? [{ mediaType: p.mediaType, url: p.url, ...(p.filename ? { filename: p.filename } : {}) }]
          : [],
      );
      add({
        type: 'message_user',
        data: { messageId, text, ...(attachments.length ? { attachments } : {}) },
      });
      continue;
    }
    const model = message.model ?? 'unknown';
    add({ type: 'message_start', data: { messageId, model, scripted: model.startsWith('script:') } });
    for (const part of message.parts) {
      if (part.type === 'text') add({ type: 'text_delta', data: { messageId, delta: part.text } });
      else if (part.type === 'reasoning')
        add({ type: 'reasoning_delta', data: { messageId, delta: part.text } });
      else if (part.type === 'tool') {
        const { toolCallId, tool, input } = part;
        add({ type: 'tool_call', data: { messageId, toolCallId, tool, input } });
        if (part.state === 'running') continue;
        add({
          type: 'tool_result',
          data: {
            messageId,
            toolCallId,
            tool,
            ok: part.state === 'completed',
            output: part.output ?? '',
            durationMs: 0,
            ...(part.metadata ? { metadata: part.metadata } : {}),
          },
        });
      }
    }
    add({
      type: 'message_done',
      data: { messageId, finishReason: message.finishReason ?? 'stop', usage: message.usage },
    });
  }
  return events;
}
