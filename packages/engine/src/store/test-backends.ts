import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from './index.ts';
import { migrate } from './migrations.ts';
import { openPostgres } from './postgres.ts';
import type { Database } from './schema.ts';
import { openSqlite } from './sqlite.ts';

/** Test-only: one isolated database per test file, on either backend. */

export const PG_TEST_URL = process.env.AURA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const SKIP_POSTGRES = process.env.AURA_TEST_SKIP_POSTGRES === '1';

export type Row = Record<string, unknown>;

export interface TestBackend {
  readonly name: 'sqlite' | 'postgres';
  /** The SQLite file, or the PostgreSQL schema. */
  readonly location: string;
  /** A new Store on this backend's database; every store opened here sees the same data. */
  open(): Promise<Store>;
  /**
   * A bare Kysely instance on the same database, migrated only up to and including `migration`:
   * the database as an older release left it. Destroy it before opening a store.
   */
  openAt(migration: string): Promise<Kysely<Database>>;
  /** Raw SQL next to the store, for assertions and fault injection. `?` placeholders on both. */
  query(text: string, params?: SQLInputValue[]): Promise<Row[]>;
  /** Closes raw connections and deletes the database (file or schema). Close stores first. */
  dispose(): Promise<void>;
}

export async function createSqliteBackend(): Promise<TestBackend> {
  const dir = mkdtempSync(join(tmpdir(), 'aura-store-'));
  const file = join(dir, 'nested', 'aura.db'); // the store must create `nested/`
  let raw: DatabaseSync | undefined;
  return {
    name: 'sqlite',
    location: file,
    open: () => openStore({ sqlitePath: file }),
    openAt: (migration) => migratedTo(openSqlite(file), migration),
    async query(text, params = []) {
      raw ??= new DatabaseSync(file, { timeout: 5_000 });
      const statement = raw.prepare(text);
      if (statement.columns().length > 0) return statement.all(...params);
      statement.run(...params);
      return [];
    },
    async dispose() {
      raw?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh schema `aura_test_<random>` so parallel test files and reruns never collide. Throws
 * (failing the suite, not skipping it) when PostgreSQL is unreachable.
 */
export async function createPostgresBackend(): Promise<TestBackend> {
  const schema = `aura_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_TEST_URL, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL at ${PG_TEST_URL} is unreachable (set AURA_TEST_SKIP_POSTGRES=1 to skip on purpose)`,
      { cause: error },
    );
  }
  await admin.query(`create schema ${schema}`);
  await admin.query(`set search_path to ${schema}`);
  return {
    name: 'postgres',
    location: schema,
    open: () => openStore({ databaseUrl: PG_TEST_URL, schema }),
    async openAt(migration) {
      const opened = await openPostgres(PG_TEST_URL, schema);
      return migratedTo(opened.db, migration, opened.schema);
    },
    async query(text, params = []) {
      let n = 0;
      const result = await admin.query<Row>(
        text.replace(/\?/g, () => `$${++n}`),
        params.map((p) => (typeof p === 'bigint' ? String(p) : p)),
      );
      return result.rows;
    },
    async dispose() {
      try {
        await admin.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await admin.end();
      }
    },
  };
}

async function migratedTo(
  db: Kysely<Database>,
  migration: string,
  schema?: string,
): Promise<Kysely<Database>> {
  try {
    await migrate(db, schema, migration);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}
