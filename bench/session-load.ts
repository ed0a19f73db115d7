// Loading a 1,000-message session from the store (budget ≤ 50 ms), SQLite and PostgreSQL.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '@aura/engine';
import type { MessagePart } from '@aura/protocol';
import { ms, printTable, stats } from './table.ts';

const databaseUrl = process.env.AURA_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function measure(store: Store): Promise<number[]> {
  const session = await store.createSession({ directory: '/bench' });
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
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    const messages = await store.listMessages(session.id);
    samples.push(performance.now() - start);
    if (messages.length !== 1_000) throw new Error('wrong count');
  }
  return samples;
}

const rows = [];
const sqlite = await openStore({ sqlitePath: join(await mkdtemp(join(tmpdir(), 'aura-bench-')), 'aura.db') });
const s = stats(await measure(sqlite));
await sqlite.close();
rows.push({ backend: 'sqlite (file)', median: ms(s.median), p95: ms(s.p95), max: ms(s.max) });

const schema = `aura_bench_${Date.now().toString(36)}`;
try {
  const pg = await openStore({ databaseUrl, schema });
  const p = stats(await measure(pg));
  await pg.close();
  rows.push({ backend: 'postgres', median: ms(p.median), p95: ms(p.p95), max: ms(p.max) });
  const { default: pgLib } = await import('pg');
  const client = new pgLib.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`drop schema ${schema} cascade`);
  await client.end();
} catch (error) {
  rows.push({ backend: 'postgres', median: `unavailable: ${(error as Error).message}`, p95: '', max: '' });
}
printTable('listMessages of a 1,000-message session (20 loads each)', rows);
