import type { EventInput, FinishReason, MessagePart, SessionInfo, SessionMode, Usage } from '@aura/protocol';
import type { Insertable, Kysely } from 'kysely';
import { ConflictError, InvalidInputError } from './errors.ts';
import { type SessionRow, searchText } from './rows.ts';
import type { Database, EventsTable, MessagesTable, UsageRecordsTable } from './schema.ts';
import { getSession, isRunState } from './sessions.ts';
import {
  checkAbsolutePath,
  checkEvent,
  checkFinishReason,
  checkId,
  checkInteger,
  checkMode,
  checkNullableText,
  checkParts,
  checkRole,
  checkState,
  checkText,
  checkUsage,
  toJson,
} from './validate.ts';

/** A whole session as another store (or an export file) had it, to be written in one go. */
export interface ImportSessionInput {
  session: {
    id: string;
    title: string | null;
    /** Absolute path of the workspace on this machine. */
    directory: string;
    model: string | null;
    mode: SessionMode;
    /** A run state (RUNNING…) is stored as INTERRUPTED: no run of this store is driving it. */
    state: SessionInfo['state'];
    projectId?: string | null;
    userId?: string | null;
    createdAt: number;
    updatedAt: number;
  };
  /** Oldest first; createdAt is nudged forward where needed to stay strictly increasing. */
  messages: {
    id: string;
    role: 'user' | 'assistant';
    parts: MessagePart[];
    model: string | null;
    finishReason: FinishReason | null;
    usage: Usage | null;
    createdAt: number;
  }[];
  /** In order; numbered 1..N whatever seqs they had. */
  events: (EventInput & { ts: number })[];
  /** Per-step usage rows (what session totals are summed from). */
  usage: { messageId: string; step: number; model: string; usage: Usage; createdAt: number }[];
}

/** Rows per INSERT, keeping every statement far below both backends' parameter limits. */
const INSERT_CHUNK = 400;

/**
 * Writes a session with its messages, events and usage in one transaction: either all of it is
 * there afterwards or none of it. Throws ConflictError when the session id or a message id is
 * already taken, InvalidInputError (before writing) for invalid input.
 */
export async function importSession(db: Kysely<Database>, input: ImportSessionInput): Promise<SessionInfo> {
  const { session, messages, events, usage } = prepare(input);
  await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('sessions')
      .values(session)
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw new ConflictError('Session', session.id);
    const ids = messages.map((m) => m.id);
    for (let start = 0; start < ids.length; start += INSERT_CHUNK) {
      const slice = ids.slice(start, start + INSERT_CHUNK);
      const taken = await trx.selectFrom('messages').select('id').where('id', 'in', slice).executeTakeFirst();
      if (taken) throw new ConflictError('Message', taken.id);
    }
    await insertChunked(trx, 'messages', messages);
    await insertChunked(trx, 'events', events);
    await insertChunked(trx, 'usage_records', usage);
  });
  const stored = await getSession(db, session.id);
  if (!stored) throw new Error(`Imported session ${session.id} is missing after its transaction`);
  return stored;
}

async function insertChunked<T extends 'messages' | 'events' | 'usage_records'>(
  trx: Kysely<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    // Kysely cannot narrow a generic table name to one row type; each caller passes matching rows.
    await trx
      .insertInto(table)
      .values(rows.slice(start, start + INSERT_CHUNK) as never)
      .execute();
  }
}

/** Validates everything and builds the rows, so nothing is written when any of it is wrong. */
function prepare(input: ImportSessionInput): {
  session: SessionRow;
  messages: Insertable<MessagesTable>[];
  events: Insertable<EventsTable>[];
  usage: Insertable<UsageRecordsTable>[];
} {
  const s = input.session;
  const id = checkId(s.id, 'session id');
  const state = checkState(s.state);
  let lastMessageAt = 0;
  const messages = input.messages.map((message, index) => {
    const parts = checkParts(message.parts);
    // created_at is the message cursor: unique and increasing within a session.
    lastMessageAt = Math.max(checkInteger(message.createdAt, 'message createdAt'), lastMessageAt + 1);
    return {
      id: checkId(message.id, 'message id'),
      session_id: id,
      seq: index + 1,
      role: checkRole(message.role),
      parts: toJson(parts, 'message parts'),
      model: checkNullableText(message.model, 'message model'),
      finish_reason: message.finishReason === null ? null : checkFinishReason(message.finishReason),
      usage: message.usage === null ? null : toJson(checkUsage(message.usage), 'usage'),
      search_text: searchText(parts),
      created_at: lastMessageAt,
    };
  });
  const events = input.events.map((event, index) => {
    const { type, data } = checkEvent(event);
    return {
      session_id: id,
      seq: index + 1,
      ts: checkInteger(event.ts, 'event ts'),
      type,
      data: toJson(data, `${type} event data`),
    };
  });
  const seen = new Set<string>();
  for (const message of messages) {
    if (seen.has(message.id)) throw new InvalidInputError(`Invalid messages: id ${message.id} appears twice`);
    seen.add(message.id);
  }
  // Recording a step again replaces it (as recordUsage does): the last row for a step wins.
  const steps = new Map(input.usage.map((row) => [`${row.messageId}\n${row.step}`, row]));
  const usage = [...steps.values()].map((row) => {
    const values = checkUsage(row.usage);
    return {
      session_id: id,
      message_id: checkId(row.messageId, 'usage message id'),
      step: checkInteger(row.step, 'usage step'),
      model: checkText(row.model, 'usage model'),
      input_tokens: values.inputTokens,
      output_tokens: values.outputTokens,
      reasoning_tokens: values.reasoningTokens,
      cached_input_tokens: values.cachedInputTokens,
      cost_usd: values.costUsd,
      created_at: checkInteger(row.createdAt, 'usage createdAt'),
    };
  });
  const session: SessionRow = {
    id,
    title: checkNullableText(s.title, 'session title'),
    directory: checkAbsolutePath(s.directory, 'session directory'),
    model: checkNullableText(s.model, 'session model'),
    mode: checkMode(s.mode),
    state: isRunState(state) ? 'INTERRUPTED' : state,
    project_id: checkNullableText(s.projectId ?? null, 'project id'),
    user_id: checkNullableText(s.userId ?? null, 'user id'),
    created_at: checkInteger(s.createdAt, 'session createdAt'),
    updated_at: checkInteger(s.updatedAt, 'session updatedAt'),
    last_seq: events.length,
    message_seq: messages.length,
    last_message_at: lastMessageAt,
  };
  return { session, messages, events, usage };
}
