import type { FinishReason, Message, MessagePart, Usage } from '@aura/protocol';
import { type Kysely, sql, type Updateable } from 'kysely';
import { ConflictError, NotFoundError } from './errors.ts';
import { newId } from './ids.ts';
import { type MessageRow, searchText, toMessage } from './rows.ts';
import type { Database, MessagesTable } from './schema.ts';
import {
  checkCount,
  checkFinishReason,
  checkId,
  checkNullableText,
  checkParts,
  checkRole,
  checkUsage,
  toJson,
} from './validate.ts';

export interface CreateMessageInput {
  id?: string;
  sessionId: string;
  role: 'user' | 'assistant';
  parts: MessagePart[];
  model?: string | null;
}

export interface MessagePatch {
  parts?: MessagePart[];
  finishReason?: FinishReason | null;
  usage?: Usage | null;
}

export interface ListMessagesOptions {
  limit?: number;
  /** Only messages created before this time (exclusive). */
  before?: number;
  /** Only messages created after this time (exclusive). */
  after?: number;
}

const columns = [
  'id',
  'session_id',
  'seq',
  'role',
  'parts',
  'model',
  'finish_reason',
  'usage',
  'created_at',
] as const satisfies readonly (keyof MessageRow)[];

/**
 * Takes the next message seq and a created_at from the session row in the same transaction as the
 * insert. created_at is `max(now, previous + 1)`, so it is unique and increasing within a session:
 * the order is insertion order even within one millisecond, and a createdAt cursor never splits a tie.
 */
export async function createMessage(db: Kysely<Database>, input: CreateMessageInput): Promise<Message> {
  const sessionId = checkId(input.sessionId, 'session id');
  const id = input.id === undefined ? newId('msg') : checkId(input.id, 'message id');
  const role = checkRole(input.role);
  const parts = checkParts(input.parts);
  const model = checkNullableText(input.model ?? null, 'message model');
  const partsJson = toJson(parts, 'message parts');
  const now = Date.now();

  return db.transaction().execute(async (trx) => {
    const session = await trx
      .updateTable('sessions')
      .set((eb) => {
        const last = eb.ref('last_message_at');
        return {
          message_seq: eb('message_seq', '+', 1),
          last_message_at: sql<number>`case when ${last} >= ${now} then ${last} + 1 else ${now} end`,
          updated_at: now,
        };
      })
      .where('id', '=', sessionId)
      .returning(['message_seq', 'last_message_at'])
      .executeTakeFirst();
    if (!session) throw new NotFoundError('Session', sessionId);

    const row: MessageRow = {
      id,
      session_id: sessionId,
      seq: session.message_seq,
      role,
      parts: partsJson,
      model,
      finish_reason: null,
      usage: null,
      created_at: session.last_message_at,
    };
    const inserted = await trx
      .insertInto('messages')
      .values({ ...row, search_text: searchText(parts) })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw new ConflictError('Message', id); // rolls back the counter bump
    return toMessage(row);
  });
}

export async function getMessage(db: Kysely<Database>, id: string): Promise<Message | undefined> {
  const row = await db.selectFrom('messages').select(columns).where('id', '=', id).executeTakeFirst();
  return row && toMessage(row);
}

/** Fields absent from `patch` (or undefined) are left alone; null clears finishReason / usage. */
export async function updateMessage(
  db: Kysely<Database>,
  id: string,
  patch: MessagePatch,
): Promise<Message | undefined> {
  const set: Updateable<MessagesTable> = {};
  if (patch.parts !== undefined) {
    const parts = checkParts(patch.parts);
    set.parts = toJson(parts, 'message parts');
    set.search_text = searchText(parts);
  }
  if (patch.finishReason !== undefined) {
    set.finish_reason = patch.finishReason === null ? null : checkFinishReason(patch.finishReason);
  }
  if (patch.usage !== undefined) {
    set.usage = patch.usage === null ? null : toJson(checkUsage(patch.usage), 'usage');
  }
  if (Object.keys(set).length === 0) return getMessage(db, id);
  const row = await db
    .updateTable('messages')
    .set(set)
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirst();
  return row && toMessage(row);
}

/**
 * Oldest first. With `after`, the window starts just after it; with only `before`, the window
 * ends just before it (so `limit` takes the newest messages before the cursor, for paging back).
 */
export async function listMessages(
  db: Kysely<Database>,
  sessionId: string,
  opts: ListMessagesOptions = {},
): Promise<Message[]> {
  const limit = checkCount(opts.limit, 'limit');
  const before = checkCount(opts.before, 'before');
  const after = checkCount(opts.after, 'after');
  const backwards = before !== undefined && after === undefined && limit !== undefined;
  const direction = backwards ? 'desc' : 'asc';

  let query = db
    .selectFrom('messages')
    .select(columns)
    .where('session_id', '=', sessionId)
    .orderBy('created_at', direction)
    .orderBy('seq', direction);
  if (after !== undefined) query = query.where('created_at', '>', after);
  if (before !== undefined) query = query.where('created_at', '<', before);
  if (limit !== undefined) query = query.limit(limit);

  const rows = await query.execute();
  if (backwards) rows.reverse();
  return rows.map(toMessage);
}
