// Loading a 1,000-message session (budget ≤ 50 ms): the store on SQLite and PostgreSQL, and what the
// chat TUI does to show one (the local chat backend, opened on the session, then its messages()).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '@aura/engine';
import { openLocalChat } from '../packages/cli/src/chat/local.ts';
import { sampleLoads, seedMessages } from './session-fixture.ts';
import { printTable } from './table.ts';

const databaseUrl = process.env.AURA_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function seed(store: Store, directory: string): Promise<string> {
  const session = await store.createSession({ directory });
  await seedMessages(store, session.id);
  return session.id;
}

const rows = [];
const dataDir = await mkdtemp(join(tmpdir(), 'aura-bench-'));
const workspace = await mkdtemp(join(tmpdir(), 'aura-bench-workspace-'));
const sqlite = await openStore({ sqlitePath: join(dataDir, 'aura.db') });
const sessionId = await seed(sqlite, workspace);
rows.push({
  backend: 'sqlite (file): store.listMessages',
  ...(await sampleLoads(20, () => sqlite.listMessages(sessionId))),
});
await sqlite.close();

// The chat backend reads the same file: with DATABASE_URL set it would read PostgreSQL instead.
delete process.env.DATABASE_URL;
const script = join(dataDir, 'script.json');
await writeFile(script, JSON.stringify({ steps: [{ text: 'unused' }] }));
const chat = await openLocalChat({ dataDir, sessionId, dir: workspace, model: `script:${script}` });
rows.push({
  backend: 'sqlite: LocalChatBackend.messages()',
  ...(await sampleLoads(20, () => chat.messages())),
});
await chat.close();
rows.push({
  backend: 'sqlite: openLocalChat(session) + messages() + close',
  ...(await sampleLoads(10, async () => {
    const opened = await openLocalChat({ dataDir, sessionId, dir: workspace, model: `script:${script}` });
    try {
      return await opened.messages();
    } finally {
      await opened.close();
    }
  })),
});

const schema = `aura_bench_${Date.now().toString(36)}`;
try {
  const pg = await openStore({ databaseUrl, schema });
  const pgSession = await seed(pg, workspace);
  rows.push({
    backend: 'postgres: store.listMessages',
    ...(await sampleLoads(20, () => pg.listMessages(pgSession))),
  });
  await pg.close();
  const { default: pgLib } = await import('pg');
  const client = new pgLib.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`drop schema ${schema} cascade`);
  await client.end();
} catch (error) {
  rows.push({ backend: 'postgres', median: `unavailable: ${(error as Error).message}`, p95: '', max: '' });
}
printTable('Loading a 1,000-message session (20 loads each; opening the chat backend: 10)', rows);
