import type { Kysely } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import type { Database } from './schema.ts';

/**
 * The schema's single source of truth, written with Kysely's schema builder and only types both
 * backends understand (`text`, `integer`, `bigint`, `double precision`). Names sort in the order
 * they run; never edit a released migration, append a new one.
 */
const migrations: Record<string, Migration> = {
  '0001_init': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text')
        .addColumn('directory', 'text', (c) => c.notNull())
        .addColumn('model', 'text')
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('project_id', 'text')
        .addColumn('user_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('message_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('last_message_at', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('sessions_updated_idx').on('sessions').columns(['updated_at']).execute();
      for (const column of ['directory', 'project_id', 'user_id']) {
        await db.schema
          .createIndex(`sessions_${column}_idx`)
          .on('sessions')
          .columns([column, 'updated_at'])
          .execute();
      }

      await db.schema
        .createTable('messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('parts', 'text', (c) => c.notNull())
        .addColumn('model', 'text')
        .addColumn('finish_reason', 'text')
        .addColumn('usage', 'text')
        .addColumn('search_text', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('messages_session_created_idx')
        .on('messages')
        .columns(['session_id', 'created_at', 'seq'])
        .execute();

      await db.schema
        .createTable('events')
        .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('ts', 'bigint', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('events_pk', ['session_id', 'seq'])
        .execute();

      await db.schema
        .createTable('usage_records')
        .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('input_tokens', 'integer', (c) => c.notNull())
        .addColumn('output_tokens', 'integer', (c) => c.notNull())
        .addColumn('reasoning_tokens', 'integer', (c) => c.notNull())
        .addColumn('cached_input_tokens', 'integer', (c) => c.notNull())
        .addColumn('cost_usd', 'double precision')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('usage_records_pk', ['session_id', 'message_id', 'step'])
        .execute();

      await db.schema
        .createTable('settings')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('settings_pk', ['scope', 'key'])
        .execute();
    },
  },

  /**
   * Multi-user server tables. user_id columns hold Better Auth user ids without a foreign key:
   * Better Auth creates and migrates its own tables in the same database. Sessions keep their
   * plain `project_id` column (adding an FK to an existing table is a table rebuild on SQLite);
   * deleteProject removes a project's sessions in the same transaction instead.
   */
  '0002_projects_keys_tokens': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('projects')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('template', 'text')
        .addColumn('sandbox_id', 'text')
        .addColumn('preview_url', 'text')
        .addColumn('thumbnail', 'text')
        .addColumn('workspace', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('projects_user_id_idx')
        .on('projects')
        .columns(['user_id', 'updated_at'])
        .execute();

      await db.schema
        .createTable('provider_keys')
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('ciphertext', 'text', (c) => c.notNull())
        .addColumn('hint', 'text', (c) => c.notNull())
        .addColumn('base_url', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('provider_keys_pk', ['user_id', 'provider'])
        .execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_used_at', 'bigint')
        .addColumn('expires_at', 'bigint')
        .addUniqueConstraint('api_tokens_token_hash_key', ['token_hash'])
        .execute();
      await db.schema
        .createIndex('api_tokens_user_id_idx')
        .on('api_tokens')
        .columns(['user_id', 'created_at'])
        .execute();
    },
  },

  /** The per-project network switch of the sandbox (on for every existing project). */
  '0003_project_network': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('projects')
        .addColumn('network', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
    },
  },

  /** Device logins of the terminal client (RFC 8628), shared by every server process. */
  '0004_device_codes': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('device_codes')
        .addColumn('device_code_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_code_hash', 'text', (c) => c.notNull())
        .addColumn('client_name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('interval_s', 'integer', (c) => c.notNull())
        .addColumn('last_polled_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('device_codes_user_code_hash_key', ['user_code_hash'])
        .execute();
      await db.schema
        .createIndex('device_codes_expires_at_idx')
        .on('device_codes')
        .column('expires_at')
        .execute();
    },
  },
};

/** Names of all migrations, in run order (tests compare this with what the database recorded). */
export const migrationNames: readonly string[] = Object.keys(migrations).sort();

/**
 * Brings the database up to date, or up to and including `target` (tests use this to build a
 * database as an older release left it). Safe to call on every open and from several processes at
 * once: PostgreSQL serialises runs with an advisory lock, SQLite with `BEGIN IMMEDIATE` (see
 * sqlite-driver.ts). `schema` names where Kysely keeps its bookkeeping tables on PostgreSQL.
 */
export async function migrate(db: Kysely<Database>, schema?: string, target?: string): Promise<void> {
  if (target !== undefined && !migrationNames.includes(target)) {
    throw new Error(`Unknown store migration "${target}"`);
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } =
    target === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(target);
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const where = failed ? ` (migration ${failed})` : '';
    throw new Error(
      `Store migration failed${where}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
}
