import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { Mutex } from './mutex.ts';

/**
 * A Kysely dialect over Node's built-in `node:sqlite` (`DatabaseSync`).
 *
 * Kysely's own SqliteDialect expects better-sqlite3 (`stmt.reader`, array parameters, no
 * `BEGIN IMMEDIATE`), so this is a small driver of our own that reuses Kysely's SQLite compiler,
 * introspector and adapter. Serialisation: the adapter reports a single connection, so Kysely holds
 * a mutex for every query and for the whole of each transaction; on top of that the driver takes a
 * lock shared by every store on the same file in this process (see sqlite.ts), and transactions
 * start with `BEGIN IMMEDIATE` so writers in other processes queue on `busy_timeout` instead of
 * failing on a read-to-write lock upgrade.
 */
export class NodeSqliteDialect implements Dialect {
  readonly #database: DatabaseSync;
  readonly #lock: Mutex;
  readonly #onDestroy: () => void;

  constructor(config: { database: DatabaseSync; lock: Mutex; onDestroy: () => void }) {
    this.#database = config.database;
    this.#lock = config.lock;
    this.#onDestroy = config.onDestroy;
  }

  createDriver(): Driver {
    return new NodeSqliteDriver(this.#database, this.#lock, this.#onDestroy);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new NodeSqliteAdapter();
  }

  // Kysely declares this parameter as `Kysely<any>`; the introspector needs no table types.
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/** SQLite does support transactional DDL, so migrations run atomically (and under the write lock). */
class NodeSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class NodeSqliteDriver implements Driver {
  readonly #database: DatabaseSync;
  readonly #lock: Mutex;
  readonly #onDestroy: () => void;
  readonly #connection: NodeSqliteConnection;
  #destroyed = false;

  constructor(database: DatabaseSync, lock: Mutex, onDestroy: () => void) {
    this.#database = database;
    this.#lock = lock;
    this.#onDestroy = onDestroy;
    this.#connection = new NodeSqliteConnection(database);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.acquire();
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    this.#lock.release();
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // Some errors (SQLITE_FULL, SQLITE_IOERR, ...) already rolled back; a second ROLLBACK would
    // replace the original error with "no transaction is active".
    if (this.#database.isTransaction) {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    }
  }

  async destroy(): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#database.close();
    this.#onDestroy();
  }
}

interface PreparedStatement {
  statement: StatementSync;
  /** Whether the statement returns rows (SELECT, RETURNING, some PRAGMAs). */
  returnsRows: boolean;
}

const STATEMENT_CACHE_SIZE = 200;

class NodeSqliteConnection implements DatabaseConnection {
  readonly #database: DatabaseSync;
  /** Prepared statements by SQL text, least recently used first. */
  readonly #statements = new Map<string, PreparedStatement>();

  constructor(database: DatabaseSync) {
    this.#database = database;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { statement, returnsRows } = this.#prepare(compiledQuery.sql);
    const parameters = compiledQuery.parameters.map(toSqliteValue);
    if (returnsRows) {
      // Rows are plain column → value records; R is the shape the query builder inferred for them.
      return { rows: statement.all(...parameters) as unknown as R[] };
    }
    const { changes, lastInsertRowid } = statement.run(...parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiledQuery.query)) {
      throw new Error('SQLite driver only supports streaming of select queries');
    }
    // A fresh statement: a cached one could be re-entered while this iterator is still open.
    const statement = this.#database.prepare(compiledQuery.sql);
    for (const row of statement.iterate(...compiledQuery.parameters.map(toSqliteValue))) {
      yield { rows: [row as unknown as R] };
    }
  }

  #prepare(sql: string): PreparedStatement {
    const cached = this.#statements.get(sql);
    if (cached) {
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const statement = this.#database.prepare(sql);
    const prepared = { statement, returnsRows: statement.columns().length > 0 };
    this.#statements.set(sql, prepared);
    if (this.#statements.size > STATEMENT_CACHE_SIZE) {
      const oldest = this.#statements.keys().next();
      if (!oldest.done) this.#statements.delete(oldest.value);
    }
    return prepared;
  }
}

/** node:sqlite binds numbers as REAL; bind safe integers as INTEGER like other SQLite drivers do. */
function toSqliteValue(value: unknown): SQLInputValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (typeof value === 'string' || typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (value instanceof Uint8Array) return value;
  throw new TypeError(`Cannot bind a ${typeof value} as an SQLite parameter`);
}
