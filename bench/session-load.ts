// Loading a 1,000-message session (budget ≤ 50 ms): the store on SQLite and PostgreSQL, and what the
// chat TUI does to show one (the local chat backend, opened on the session, then its messages()).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '@aura/engine';
import type { MessagePart } from '@aura/protocol';
import { openLocalChat } from '../packages/cli/src/chat/local.ts';
import { ms, printTable, stats } from './table.ts';

const databaseUrl = process.env.AURA_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A 1,000-message session: user prose, answers that each read a file. */
async function seed(store: Store, directory: string): Promise<string> {
  const session = await store.createSession({ directory });
  const body = 'Some realistic assistant prose with `code` and a list of steps. '.repeat(6);
  for (let i = 0; i < 1_000; i++) {
    const parts: MessagePart[] =
      i % 2 === 0
        ? [{ type: 'text', text: body }]
        : [
            { type: 'text', text: body },
            {
              type: 'tool',
              toolCallId: `c${i}`,
              tool: 'read',
              input: { path: 'src/app.ts' },
              state: 'completed',
              output: body,
            },
          ];
    await store.createMessage({ sessionId: session.id, role: i % 2 === 0 ? 'user' : 'assistant', parts });
  }
  return session.id;
}

async function sample(times: number, load: () => Promise<{ length: number }>) {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    const messages = await load();
    samples.push(performance.now() - start);
    if (messages.length !== 1_000) throw new Error(`wrong count: ${messages.length}`);
  }
  const s = stats(samples);
  return { median: ms(s.median), p95: ms(s.p95), max: ms(s.max) };
}

const rows = [];
const dataDir = await mkdtemp(join(tmpdir(), 'aura-bench-'));
const workspace = await mkdtemp(join(tmpdir(), 'aura-bench-workspace-'));
const sqlite = await openStore({ sqlitePath: join(dataDir, 'aura.db') });
const sessionId = await seed(sqlite, workspace);
rows.push({
  backend: 'sqlite (file): store.listMessages',
  ...(await sample(20, () => sqlite.listMessages(sessionId))),
});
await sqlite.close();

// The chat backend reads the same file: with DATABASE_URL set it would read PostgreSQL instead.
delete process.env.DATABASE_URL;
const script = join(dataDir, 'script.json');
await writeFile(script, JSON.stringify({ steps: [{ text: 'unused' }] }));
const chat = await openLocalChat({ dataDir, sessionId, dir: workspace, model: `script:${script}` });
rows.push({ backend: 'sqlite: LocalChatBackend.messages()', ...(await sample(20, () => chat.messages())) });
await chat.close();
rows.push({
  backend: 'sqlite: openLocalChat(session) + messages() + close',
  ...(await sample(10, async () => {
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
    ...(await sample(20, () => pg.listMessages(pgSession))),
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
