import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

const INT8_OID = 20;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens a pool on `databaseUrl`. With `schema`, every new connection runs `SET search_path` to it
 * (whatever the URL says), so one database can host isolated stores; tests use one schema per file.
 * The schema is created if missing. Returns the schema the tables live in, which the migrator needs
 * to find its bookkeeping tables (Kysely's introspection otherwise looks across all schemas).
 */
export async function openPostgres(
  databaseUrl: string,
  schema?: string,
): Promise<{ db: Kysely<Database>; schema: string }> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid PostgreSQL schema name "${schema}": use lowercase letters, digits and _`);
  }

  // Per-pool type parsers, leaving pg's process-wide defaults alone: bigint (epoch ms, seqs,
  // counts) comes back as a number instead of a string. All such values stay below 2^53.
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, 'text', Number);

  const pool = new pg.Pool({ connectionString: databaseUrl, types });
  // An idle client losing its connection emits 'error' on the pool; unhandled, that would crash the
  // process. The pool drops the client and the next query opens a fresh one, so ignoring is safe.
  pool.on('error', () => {});
  const setSearchPath =
    schema === undefined ? undefined : CompiledQuery.raw(`set search_path to "${schema}"`);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool,
      ...(setSearchPath && {
        onCreateConnection: async (connection) => {
          await connection.executeQuery(setSearchPath);
        },
      }),
    }),
  });

  try {
    if (schema !== undefined) {
      await createSchema(db, schema);
      return { db, schema };
    }
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    const current = rows[0]?.schema;
    if (!current) throw new Error('PostgreSQL search_path names no existing schema; pass `schema`');
    return { db, schema: current };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

async function createSchema(db: Kysely<Database>, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    // Two processes creating it at once: the loser gets a unique violation despite "if not exists".
    const { rows } = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(db);
    if (rows.length === 0) throw error;
  }
}
