import type { SessionInfo } from '@aura/protocol';
import type { Kysely } from 'kysely';
import { containsIgnoringCase } from './like.ts';
import type { Database } from './schema.ts';
import { searchSessions } from './sessions.ts';

/** A session that matched a search, with where it matched. */
export interface SessionSearchHit {
  session: SessionInfo;
  /** The newest message whose text matched; null when only the title did. */
  messageId: string | null;
  /** A short, single-line excerpt around the match in that message; null when only the title did. */
  snippet: string | null;
}

const SNIPPET_CHARS = 80;

/**
 * searchSessions (title or message text, ignoring case, LIKE wildcards literal, newest first),
 * plus the newest matching message of each session cut down to a snippet (one query for all).
 */
export async function searchSessionHits(
  db: Kysely<Database>,
  query: string,
  opts: { limit?: number } = {},
): Promise<SessionSearchHit[]> {
  const sessions = await searchSessions(db, query, opts);
  if (sessions.length === 0) return [];
  const text = query.trim();
  const newestFirst = db
    .selectFrom('messages')
    .select((eb) => [
      'id',
      'session_id',
      'search_text',
      eb.fn
        .agg<number>('row_number')
        .over((over) => over.partitionBy('session_id').orderBy('created_at', 'desc').orderBy('id', 'desc'))
        .as('rank'),
    ])
    .where(
      'session_id',
      'in',
      sessions.map((session) => session.id),
    )
    .where((eb) => containsIgnoringCase(eb.ref('search_text'), text))
    .as('matches');
  const newest = await db
    .selectFrom(newestFirst)
    .select(['id', 'session_id', 'search_text'])
    .where('rank', '=', 1)
    .execute();
  const bySession = new Map(newest.map((match) => [match.session_id, match]));
  return sessions.map((session) => {
    const match = bySession.get(session.id);
    return {
      session,
      messageId: match?.id ?? null,
      snippet: match ? snippetAround(match.search_text, text) : null,
    };
  });
}

/**
 * About `width` characters of `text` around the first case-insensitive occurrence of `query`,
 * on one line, with an ellipsis where it was cut.
 */
export function snippetAround(text: string, query: string, width = SNIPPET_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const at = Math.max(0, flat.toLowerCase().indexOf(query.replace(/\s+/g, ' ').toLowerCase()));
  const start = Math.max(0, Math.min(at - Math.floor((width - query.length) / 2), flat.length - width));
  const end = Math.min(flat.length, start + width);
  return `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`;
}
