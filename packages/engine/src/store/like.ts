import { type Expression, type RawBuilder, sql } from 'kysely';

/** `%text%` with LIKE wildcards in `text` escaped (pair with `escape '\'`). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Case-insensitive "column contains text", the same way on both backends: SQLite's LIKE ignores
 * ASCII case but PostgreSQL's does not, so both sides go through lower().
 */
export function containsIgnoringCase(column: Expression<string | null>, text: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${column}) like lower(${containsPattern(text)}) escape '\\'`;
}
