import type { SessionInfo, SessionMode, SessionState } from '@aura/protocol';
import type { Kysely, Updateable } from 'kysely';
import { ConflictError } from './errors.ts';
import { newId } from './ids.ts';
import { containsIgnoringCase } from './like.ts';
import { emptyUsage, type SessionRow, toSessionInfo } from './rows.ts';
import type { Database, SessionsTable } from './schema.ts';
import { sessionUsageTotals } from './usage.ts';
import { checkCount, checkId, checkMode, checkNullableText, checkState, checkText } from './validate.ts';

export interface CreateSessionInput {
  id?: string;
  directory: string;
  title?: string | null;
  model?: string | null;
  mode?: SessionMode;
  projectId?: string | null;
  userId?: string | null;
}

export interface ListSessionsOptions {
  limit?: number;
  offset?: number;
  directory?: string;
  projectId?: string;
  userId?: string;
}

export type SessionPatch = Partial<Pick<SessionInfo, 'title' | 'model' | 'mode' | 'state'>>;

const DEFAULT_LIST_LIMIT = 100;
const DEFAULT_SEARCH_LIMIT = 20;

export async function createSession(db: Kysely<Database>, input: CreateSessionInput): Promise<SessionInfo> {
  const now = Date.now();
  const row: SessionRow = {
    id: input.id === undefined ? newId('ses') : checkId(input.id, 'session id'),
    title: checkNullableText(input.title ?? null, 'session title'),
    directory: checkText(input.directory, 'session directory'),
    model: checkNullableText(input.model ?? null, 'session model'),
    mode: checkMode(input.mode ?? 'chat'),
    state: 'IDLE',
    project_id: checkNullableText(input.projectId ?? null, 'project id'),
    user_id: checkNullableText(input.userId ?? null, 'user id'),
    created_at: now,
    updated_at: now,
    last_seq: 0,
    message_seq: 0,
    last_message_at: 0,
  };
  const inserted = await db
    .insertInto('sessions')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw new ConflictError('Session', row.id);
  return toSessionInfo(row, emptyUsage());
}

export async function getSession(db: Kysely<Database>, id: string): Promise<SessionInfo | undefined> {
  const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  return row && withUsage(db, [row]).then(([info]) => info);
}

/** Newest `updatedAt` first; ties by id, newest first. */
export async function listSessions(
  db: Kysely<Database>,
  opts: ListSessionsOptions = {},
): Promise<SessionInfo[]> {
  let query = db
    .selectFrom('sessions')
    .selectAll()
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(checkCount(opts.limit, 'limit') ?? DEFAULT_LIST_LIMIT)
    .offset(checkCount(opts.offset, 'offset') ?? 0);
  if (opts.directory !== undefined) query = query.where('directory', '=', opts.directory);
  if (opts.projectId !== undefined) query = query.where('project_id', '=', opts.projectId);
  if (opts.userId !== undefined) query = query.where('user_id', '=', opts.userId);
  return withUsage(db, await query.execute());
}

export async function updateSession(
  db: Kysely<Database>,
  id: string,
  patch: SessionPatch,
): Promise<SessionInfo | undefined> {
  const set: Updateable<SessionsTable> = {};
  if (patch.title !== undefined) set.title = checkNullableText(patch.title, 'session title');
  if (patch.model !== undefined) set.model = checkNullableText(patch.model, 'session model');
  if (patch.mode !== undefined) set.mode = checkMode(patch.mode);
  if (patch.state !== undefined) set.state = checkState(patch.state);
  if (Object.keys(set).length === 0) return getSession(db, id);

  set.updated_at = Date.now();
  const row = await db
    .updateTable('sessions')
    .set(set)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && withUsage(db, [row]).then(([info]) => info);
}

/** Messages, events and usage rows go with it (ON DELETE CASCADE). */
export async function deleteSession(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('sessions').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** States only a live run holds; after a crash or restart nothing is driving them any more. */
/** States only a live run can be in (chat and app builder); COMPLETE and IDLE are at rest. */
const RUN_STATES: readonly SessionState[] = [
  'RUNNING',
  'WAITING_PERMISSION',
  'DESIGNING_PHASE',
  'IMPLEMENTING_PHASE',
  'INSTALLING_DEPS',
  'STARTING_SERVER',
  'VERIFYING',
];

/** Whether a session in `state` has (or had, if its process died) a run writing to it. */
export const isRunState = (state: SessionState): boolean => RUN_STATES.includes(state);

/**
 * Moves every session in a run state to INTERRUPTED (bumping updatedAt) in one statement and
 * returns them, oldest id first. Meant for startup, when no run in this database can still be
 * alive; with several servers on one database it would also catch the other servers' live runs.
 */
export async function markInterruptedSessions(db: Kysely<Database>): Promise<SessionInfo[]> {
  const rows = await db
    .updateTable('sessions')
    .set({ state: 'INTERRUPTED', updated_at: Date.now() })
    .where('state', 'in', RUN_STATES)
    .returningAll()
    .execute();
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return withUsage(db, rows);
}

/** Sessions whose title or any message's text contains `query`, ignoring case; newest first. */
export async function searchSessions(
  db: Kysely<Database>,
  query: string,
  opts: { limit?: number } = {},
): Promise<SessionInfo[]> {
  const text = checkText(query, 'search query').trim();
  if (text === '') return [];
  const rows = await db
    .selectFrom('sessions')
    .selectAll()
    .where((eb) =>
      eb.or([
        containsIgnoringCase(eb.ref('sessions.title'), text),
        eb.exists(
          eb
            .selectFrom('messages')
            .select('messages.id')
            .whereRef('messages.session_id', '=', 'sessions.id')
            .where((inner) => containsIgnoringCase(inner.ref('messages.search_text'), text)),
        ),
      ]),
    )
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(checkCount(opts.limit, 'limit') ?? DEFAULT_SEARCH_LIMIT)
    .execute();
  return withUsage(db, rows);
}

async function withUsage(db: Kysely<Database>, rows: SessionRow[]): Promise<SessionInfo[]> {
  if (rows.length === 0) return [];
  const totals = await sessionUsageTotals(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toSessionInfo(row, totals.get(row.id) ?? emptyUsage()));
}
