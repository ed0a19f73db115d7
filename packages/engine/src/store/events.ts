import type { EventEnvelope, EventInput } from '@aura/protocol';
import type { Kysely, Selectable } from 'kysely';
import { NotFoundError } from './errors.ts';
import { toEnvelope } from './rows.ts';
import type { Database, EventsTable } from './schema.ts';
import { checkCount, checkEvent, checkId, toJson } from './validate.ts';

/** Rows per INSERT: 5 parameters each stays far below SQLite's and PostgreSQL's parameter limits. */
const INSERT_CHUNK = 500;

export interface ListEventsOptions {
  /** Only events with a larger seq (exclusive). */
  since?: number;
  limit?: number;
}

/**
 * Persists `events` with consecutive seqs, all or nothing. The seqs come from
 * `UPDATE sessions SET last_seq = last_seq + n ... RETURNING last_seq` in the same transaction as
 * the inserts: the row lock serialises concurrent appenders on PostgreSQL (across processes too),
 * and on SQLite the transaction holds the write lock from its start (BEGIN IMMEDIATE).
 */
export async function appendEvents(
  db: Kysely<Database>,
  sessionId: string,
  events: readonly EventInput[],
): Promise<EventEnvelope[]> {
  checkId(sessionId, 'session id');
  const prepared = events.map((event) => {
    const { type, data } = checkEvent(event);
    return { type, data: toJson(data, `${type} event data`) };
  });
  if (prepared.length === 0) {
    const session = await db
      .selectFrom('sessions')
      .select('id')
      .where('id', '=', sessionId)
      .executeTakeFirst();
    if (!session) throw new NotFoundError('Session', sessionId);
    return [];
  }
  const ts = Date.now();

  return db.transaction().execute(async (trx) => {
    const session = await trx
      .updateTable('sessions')
      .set((eb) => ({ last_seq: eb('last_seq', '+', prepared.length), updated_at: ts }))
      .where('id', '=', sessionId)
      .returning('last_seq')
      .executeTakeFirst();
    if (!session) throw new NotFoundError('Session', sessionId);

    const first = session.last_seq - prepared.length + 1;
    const rows: Selectable<EventsTable>[] = prepared.map((event, i) => ({
      session_id: sessionId,
      seq: first + i,
      ts,
      type: event.type,
      data: event.data,
    }));
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      await trx
        .insertInto('events')
        .values(rows.slice(start, start + INSERT_CHUNK))
        .execute();
    }
    return rows.map(toEnvelope);
  });
}

/** Ascending seq. Without `limit`, everything after `since`. */
export async function listEvents(
  db: Kysely<Database>,
  sessionId: string,
  opts: ListEventsOptions = {},
): Promise<EventEnvelope[]> {
  const since = checkCount(opts.since, 'since') ?? 0;
  const limit = checkCount(opts.limit, 'limit');
  let query = db
    .selectFrom('events')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('seq', '>', since)
    .orderBy('seq', 'asc');
  if (limit !== undefined) query = query.limit(limit);
  const rows = await query.execute();
  return rows.map(toEnvelope);
}
