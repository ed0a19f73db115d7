import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely } from 'kysely';
import { Mutex } from './mutex.ts';
import type { Database } from './schema.ts';
import { NodeSqliteDialect } from './sqlite-driver.ts';

const BUSY_TIMEOUT_MS = 5_000;

/**
 * Stores on the same file in one process share a lock. SQLite calls are synchronous, so if one
 * store waited on `busy_timeout` for a write lock that another store in the same thread holds
 * across an `await`, the holder could never finish: a deadlock for the length of the timeout.
 */
const fileLocks = new Map<string, { lock: Mutex; users: number }>();

function takeFileLock(key: string): { lock: Mutex; release: () => void } {
  let entry = fileLocks.get(key);
  if (!entry) {
    entry = { lock: new Mutex(), users: 0 };
    fileLocks.set(key, entry);
  }
  entry.users += 1;
  const taken = entry;
  return {
    lock: taken.lock,
    release: () => {
      taken.users -= 1;
      if (taken.users === 0) fileLocks.delete(key);
    },
  };
}

/** Creates the file (mode 0600) and its parent directory if missing; leaves an existing file alone. */
function ensureDatabaseFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
  }
}

/** Opens (creating if needed) an SQLite database; `':memory:'` gives a private in-memory one. */
export function openSqlite(path: string): Kysely<Database> {
  const inMemory = path === ':memory:';
  const file = inMemory ? path : resolve(path);
  if (!inMemory) ensureDatabaseFile(file);

  const database = new DatabaseSync(file, { enableForeignKeyConstraints: true, timeout: BUSY_TIMEOUT_MS });
  try {
    // busy_timeout first: switching to WAL needs a lock another process may hold.
    database.exec(`pragma busy_timeout = ${BUSY_TIMEOUT_MS}`);
    database.exec('pragma journal_mode = wal');
    database.exec('pragma synchronous = normal');
    database.exec('pragma foreign_keys = on');
  } catch (error) {
    database.close();
    throw error;
  }

  const { lock, release } = inMemory ? { lock: new Mutex(), release: () => {} } : takeFileLock(file);
  return new Kysely<Database>({ dialect: new NodeSqliteDialect({ database, lock, onDestroy: release }) });
}
