import { dataDir, openStore, type Store, sqliteFile } from '@aura/engine';

/** The CLI's store: PostgreSQL when DATABASE_URL is set, else the SQLite file in the data dir. */
export function openCliStore(dataFlag: string | undefined): Promise<Store> {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) return openStore({ databaseUrl });
  return openStore({ sqlitePath: sqliteFile(dataDir(dataFlag)) });
}
