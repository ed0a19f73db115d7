import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import type { EventInput, MessagePart, SessionMode, Usage } from '@aura/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError, openStore, type Store } from './index.ts';
import { migrationNames } from './migrations.ts';
import {
  createPostgresBackend,
  createSqliteBackend,
  PG_TEST_URL,
  SKIP_POSTGRES,
  type TestBackend,
} from './test-backends.ts';

const backends: [TestBackend['name'], () => Promise<TestBackend>][] = [['sqlite', createSqliteBackend]];
if (!SKIP_POSTGRES) backends.push(['postgres', createPostgresBackend]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A directory nobody else uses, to scope list queries to one test. */
const uniqueDir = () => `/work/${randomUUID()}`;
const text = (value: string): MessagePart[] => [{ type: 'text', text: value }];
const delta = (i: number, messageId = 'msg_x'): EventInput => ({
  type: 'text_delta',
  data: { messageId, delta: String(i) },
});
const usage = (inputTokens: number, outputTokens: number, costUsd: number | null): Usage => ({
  inputTokens,
  outputTokens,
  reasoningTokens: 1,
  cachedInputTokens: 2,
  costUsd,
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.each(backends)('store on %s', (name, createBackend) => {
  let backend: TestBackend;
  let store: Store;

  beforeAll(async () => {
    backend = await createBackend();
    store = await backend.open();
  });

  afterAll(async () => {
    await store?.close();
    await backend?.dispose();
  });

  const count = async (table: string, sessionId: string) => {
    const [row] = await backend.query(`select count(*) as n from ${table} where session_id = ?`, [sessionId]);
    return Number(row?.n);
  };

  describe('sessions', () => {
    it('creates with defaults and reads it back', async () => {
      const directory = uniqueDir();
      const session = await store.createSession({ directory });
      expect(store.dialect).toBe(name);
      expect(session.id).toMatch(/^ses_[0-9a-z]+$/);
      expect(session).toMatchObject({
        directory,
        title: null,
        model: null,
        mode: 'chat',
        state: 'IDLE',
        lastSeq: 0,
        usage: {
          inputTokens: 0,
          outputTokens: 0,
          reasoningTokens: 0,
          cachedInputTokens: 0,
          costUsd: null,
          steps: 0,
        },
      });
      expect(session.updatedAt).toBe(session.createdAt);
      expect(await store.getSession(session.id)).toEqual(session);
      expect(await store.getSession('ses_missing')).toBeUndefined();
    });

    it('takes explicit fields and refuses a duplicate id', async () => {
      const id = `ses_custom_${randomUUID()}`;
      const session = await store.createSession({
        id,
        directory: uniqueDir(),
        title: 'Custom',
        model: 'anthropic/claude',
        mode: 'build',
        projectId: 'p1',
        userId: 'u1',
      });
      expect(session).toMatchObject({ id, title: 'Custom', model: 'anthropic/claude', mode: 'build' });
      await expect(store.createSession({ id, directory: '/elsewhere' })).rejects.toThrow(ConflictError);
      expect((await store.getSession(id))?.title).toBe('Custom');
    });

    it('updates fields, bumps updatedAt and rejects invalid values untouched', async () => {
      const session = await store.createSession({ directory: uniqueDir() });
      await sleep(2);
      const updated = await store.updateSession(session.id, {
        title: 'Renamed',
        model: 'openai/gpt',
        mode: 'build',
        state: 'RUNNING',
      });
      expect(updated).toMatchObject({
        title: 'Renamed',
        model: 'openai/gpt',
        mode: 'build',
        state: 'RUNNING',
      });
      expect(updated?.updatedAt).toBeGreaterThan(session.updatedAt);
      expect(await store.updateSession(session.id, { title: null })).toMatchObject({ title: null });

      await expect(store.updateSession(session.id, { mode: 'turbo' as SessionMode })).rejects.toThrow(
        InvalidInputError,
      );
      expect((await store.getSession(session.id))?.mode).toBe('build');
      expect(await store.updateSession(session.id, {})).toEqual(await store.getSession(session.id));
      expect(await store.updateSession('ses_missing', { title: 'x' })).toBeUndefined();
    });

    it('lists newest updatedAt first, with filters and pagination', async () => {
      const directory = uniqueDir();
      const created = [];
      for (let i = 0; i < 5; i++) {
        created.push(
          await store.createSession({ directory, title: `s${i}`, projectId: 'proj', userId: `u${i % 2}` }),
        );
      }
      // Same-millisecond creations tie on updatedAt; the time-sortable id breaks the tie.
      const newestFirst = created.map((s) => s.id).reverse();
      expect((await store.listSessions({ directory })).map((s) => s.id)).toEqual(newestFirst);

      await sleep(2);
      await store.updateSession(created[0]!.id, { title: 'touched' });
      const reordered = [created[0]!.id, ...newestFirst.slice(0, 4)];
      expect((await store.listSessions({ directory })).map((s) => s.id)).toEqual(reordered);

      const page1 = await store.listSessions({ directory, limit: 2 });
      const page2 = await store.listSessions({ directory, limit: 2, offset: 2 });
      const page3 = await store.listSessions({ directory, limit: 2, offset: 4 });
      expect([...page1, ...page2, ...page3].map((s) => s.id)).toEqual(reordered);

      const u1 = await store.listSessions({ directory, userId: 'u1' });
      expect(u1.map((s) => s.title).sort()).toEqual(['s1', 's3']);
      expect(await store.listSessions({ directory, projectId: 'other' })).toEqual([]);
      await expect(store.listSessions({ limit: -1 })).rejects.toThrow(InvalidInputError);
    });

    it('deletes a session and cascades to its messages, events and usage', async () => {
      const keep = await store.createSession({ directory: uniqueDir() });
      const doomed = await store.createSession({ directory: uniqueDir() });
      for (const session of [keep, doomed]) {
        const message = await store.createMessage({ sessionId: session.id, role: 'user', parts: text('hi') });
        await store.appendEvents(session.id, [delta(1), delta(2)]);
        await store.recordUsage({
          sessionId: session.id,
          messageId: message.id,
          step: 0,
          model: 'm',
          usage: usage(1, 1, 0.1),
        });
      }

      expect(await store.deleteSession(doomed.id)).toBe(true);
      expect(await store.getSession(doomed.id)).toBeUndefined();
      for (const table of ['messages', 'events', 'usage_records']) {
        expect(await count(table, doomed.id)).toBe(0);
        expect(await count(table, keep.id)).toBeGreaterThan(0);
      }
      expect(await store.deleteSession(doomed.id)).toBe(false);
    });

    it('searches titles and message text, ignoring case', async () => {
      const token = `quokka${randomUUID().slice(0, 8)}`;
      const byTitle = await store.createSession({
        directory: uniqueDir(),
        title: `Fix ${token.toUpperCase()} bug`,
      });
      const byMessage = await store.createSession({ directory: uniqueDir(), title: 'Unrelated' });
      await store.createMessage({
        sessionId: byMessage.id,
        role: 'user',
        parts: text(`what about ${token}?`),
      });
      const wildcard = await store.createSession({ directory: uniqueDir(), title: `${token}_x` });
      await store.createSession({ directory: uniqueDir(), title: 'Nothing here' });

      const found = await store.searchSessions(token.replace('quokka', 'QuOkKa'));
      expect(found.map((s) => s.id).sort()).toEqual([byTitle.id, byMessage.id, wildcard.id].sort());
      // LIKE wildcards in the query are literal characters.
      expect((await store.searchSessions(`${token}_`)).map((s) => s.id)).toEqual([wildcard.id]);
      expect(await store.searchSessions(`${token}%`)).toEqual([]);
      expect(await store.searchSessions(`${token}-absent`)).toEqual([]);
      expect(await store.searchSessions(token, { limit: 1 })).toHaveLength(1);
      expect(await store.searchSessions('   ')).toEqual([]);
    });
  });

  describe('messages', () => {
    it('creates, reads and updates a message', async () => {
      const session = await store.createSession({ directory: uniqueDir() });
      const parts: MessagePart[] = [
        { type: 'reasoning', text: 'thinking' },
        { type: 'tool', toolCallId: 'c1', tool: 'read', input: { path: 'a.ts' }, state: 'running' },
      ];
      const message = await store.createMessage({
        sessionId: session.id,
        role: 'assistant',
        parts,
        model: 'm1',
      });
      expect(message).toMatchObject({ sessionId: session.id, role: 'assistant', parts, model: 'm1' });
      expect(message).toMatchObject({ finishReason: null, usage: null });
      expect(message.id).toMatch(/^msg_/);
      expect(await store.getMessage(message.id)).toEqual(message);

      const done: MessagePart[] = [
        ...parts.slice(0, 1),
        {
          type: 'tool',
          toolCallId: 'c1',
          tool: 'read',
          input: { path: 'a.ts' },
          state: 'completed',
          output: 'x',
        },
        { type: 'text', text: 'done' },
      ];
      const updated = await store.updateMessage(message.id, {
        parts: done,
        finishReason: 'stop',
        usage: usage(10, 20, 0.5),
      });
      expect(updated).toEqual({ ...message, parts: done, finishReason: 'stop', usage: usage(10, 20, 0.5) });
      expect(await store.getMessage(message.id)).toEqual(updated);

      const cleared = await store.updateMessage(message.id, { finishReason: null, usage: null });
      expect(cleared).toMatchObject({ parts: done, finishReason: null, usage: null });
      expect(await store.updateMessage('msg_missing', { finishReason: 'stop' })).toBeUndefined();
      expect(await store.getMessage('msg_missing')).toBeUndefined();

      await expect(
        store.createMessage({ id: message.id, sessionId: session.id, role: 'user', parts: [] }),
      ).rejects.toThrow(ConflictError);
    });

    it('refuses a message for a missing session and writes nothing', async () => {
      const attempt = store.createMessage({ sessionId: 'ses_nope', role: 'user', parts: text('x') });
      await expect(attempt).rejects.toThrow('Session ses_nope not found');
      await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
      expect(await count('messages', 'ses_nope')).toBe(0);
    });

    it('refuses invalid parts before writing anything', async () => {
      const session = await store.createSession({ directory: uniqueDir() });
      const bad = [{ type: 'bogus' }] as unknown as MessagePart[];
      await expect(store.createMessage({ sessionId: session.id, role: 'user', parts: bad })).rejects.toThrow(
        InvalidInputError,
      );
      const message = await store.createMessage({ sessionId: session.id, role: 'user', parts: text('ok') });
      await expect(store.updateMessage(message.id, { parts: bad })).rejects.toThrow(InvalidInputError);
      expect(await store.listMessages(session.id)).toEqual([message]);
    });

    it('keeps insertion order for messages created within one millisecond', async () => {
      const session = await store.createSession({ directory: uniqueDir() });
      const created = [];
      for (let i = 0; i < 40; i++) {
        created.push(
          await store.createMessage({ sessionId: session.id, role: 'user', parts: text(`m${i}`) }),
        );
      }
      const listed = await store.listMessages(session.id);
      expect(listed.map((m) => m.id)).toEqual(created.map((m) => m.id));
      const times = listed.map((m) => m.createdAt);
      expect(new Set(times).size).toBe(times.length);
      expect([...times].sort((a, b) => a - b)).toEqual(times);

      const concurrent = await Promise.all(
        range(1, 30).map((i) =>
          store.createMessage({ sessionId: session.id, role: 'user', parts: text(`c${i}`) }),
        ),
      );
      const all = await store.listMessages(session.id);
      expect(all).toHaveLength(70);
      expect(new Set(all.map((m) => m.createdAt)).size).toBe(70);
      expect(
        all
          .slice(40)
          .map((m) => m.id)
          .sort(),
      ).toEqual(concurrent.map((m) => m.id).sort());
    });

    it('pages forwards with `after` and backwards with `before`', async () => {
      const session = await store.createSession({ directory: uniqueDir() });
      const all = [];
      for (let i = 0; i < 10; i++) {
        all.push(await store.createMessage({ sessionId: session.id, role: 'user', parts: text(`p${i}`) }));
      }
      const ids = all.map((m) => m.id);

      const forward = [];
      let after = 0;
      for (;;) {
        const page = await store.listMessages(session.id, { after, limit: 3 });
        if (page.length === 0) break;
        forward.push(...page);
        after = page.at(-1)!.createdAt;
      }
      expect(forward.map((m) => m.id)).toEqual(ids);

      const backward = [];
      let before = Number.MAX_SAFE_INTEGER;
      for (;;) {
        const page = await store.listMessages(session.id, { before, limit: 3 });
        if (page.length === 0) break;
        backward.unshift(...page);
        before = page[0]!.createdAt;
      }
      expect(backward.map((m) => m.id)).toEqual(ids);

      const window = await store.listMessages(session.id, {
        after: all[2]!.createdAt,
        before: all[6]!.createdAt,
      });
      expect(window.map((m) => m.id)).toEqual(ids.slice(3, 6));
      expect((await store.listMessages(session.id, { limit: 2 })).map((m) => m.id)).toEqual(ids.slice(0, 2));
      expect(await store.listMessages('ses_missing')).toEqual([]);
    });
  });

  describe('events', () => {
    it('numbers events 1..N and lists `since` exclusively', async () => {
      const session = await store.createSession({ directory: uniqueDir() });
      const appended = [];
      for (let i = 1; i <= 5; i++) appended.push(await store.appendEvent(session.id, delta(i)));
      expect(appended.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(appended[0]).toMatchObject({ sessionId: session.id, type: 'text_delta', data: delta(1).data });

      expect(await store.listEvents(session.id)).toEqual(appended);
      expect((await store.listEvents(session.id, { since: 2 })).map((e) => e.seq)).toEqual([3, 4, 5]);
      expect((await store.listEvents(session.id, { since: 2, limit: 2 })).map((e) => e.seq)).toEqual([3, 4]);
      expect(await store.listEvents(session.id, { since: 5 })).toEqual([]);

      const info = await store.getSession(session.id);
      expect(info?.lastSeq).toBe(5);
      expect(info?.updatedAt).toBeGreaterThanOrEqual(appended[4]!.ts);
    });

    it('appends a batch with consecutive seqs', async () => {
      const session = await store.createSession({ directory: uniqueDir() });
      await store.appendEvent(session.id, delta(0));
      const batch = await store.appendEvents(session.id, [delta(1), delta(2), delta(3)]);
      expect(batch.map((e) => e.seq)).toEqual([2, 3, 4]);
      expect(await store.appendEvents(session.id, [])).toEqual([]);
      const big = await store.appendEvents(
        session.id,
        range(1, 1_200).map((i) => delta(i)),
      );
      expect(big.map((e) => e.seq)).toEqual(range(5, 1_204));
      expect((await store.listEvents(session.id)).map((e) => e.seq)).toEqual(range(1, 1_204));
    });

    it('gives 200 concurrent appends unique consecutive seqs', async () => {
      const session = await store.createSession({ directory: uniqueDir() });
      const appended = await Promise.all(range(1, 200).map((i) => store.appendEvent(session.id, delta(i))));
      expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual(range(1, 200));
      const listed = await store.listEvents(session.id);
      expect(listed).toEqual([...appended].sort((a, b) => a.seq - b.seq));
      expect((await store.getSession(session.id))?.lastSeq).toBe(200);
    });

    it('keeps seqs consecutive across two stores on the same database', async () => {
      const session = await store.createSession({ directory: uniqueDir() });
      const other = await backend.open();
      try {
        const writes = [
          ...range(1, 100).map((i) => store.appendEvent(session.id, delta(i))),
          ...range(1, 100).map((i) => other.appendEvent(session.id, delta(1_000 + i))),
          ...range(1, 10).map((i) => other.appendEvents(session.id, [delta(i), delta(i), delta(i)])),
        ];
        const seqs = (await Promise.all(writes)).flat().map((e) => e.seq);
        expect(seqs.sort((a, b) => a - b)).toEqual(range(1, 230));
        expect((await other.listEvents(session.id)).map((e) => e.seq)).toEqual(range(1, 230));
      } finally {
        await other.close();
      }
    });

    it('rolls back a batch that fails midway', async () => {
      const session = await store.createSession({ directory: uniqueDir() });
      await store.appendEvents(session.id, [delta(1), delta(2)]);
      // A stray row at seq 4 makes the batch's insert fail after last_seq was already bumped.
      await backend.query('insert into events (session_id, seq, ts, type, data) values (?, ?, ?, ?, ?)', [
        session.id,
        4,
        0,
        'text_delta',
        JSON.stringify(delta(99).data),
      ]);
      await expect(store.appendEvents(session.id, [delta(3), delta(4), delta(5)])).rejects.toThrow();
      expect((await store.getSession(session.id))?.lastSeq).toBe(2);
      expect((await store.listEvents(session.id)).map((e) => e.seq)).toEqual([1, 2, 4]);

      await backend.query('delete from events where session_id = ? and seq = ?', [session.id, 4]);
      const retried = await store.appendEvents(session.id, [delta(3), delta(4), delta(5)]);
      expect(retried.map((e) => e.seq)).toEqual([3, 4, 5]);
    });

    it('refuses appends to a missing session and writes nothing', async () => {
      await expect(store.appendEvent('ses_gone', delta(1))).rejects.toThrow('Session ses_gone not found');
      await expect(store.appendEvents('ses_gone', [delta(1), delta(2)])).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(store.appendEvents('ses_gone', [])).rejects.toThrow('Session ses_gone not found');
      expect(await count('events', 'ses_gone')).toBe(0);
    });

    it('refuses unknown types and invalid data without writing', async () => {
      const session = await store.createSession({ directory: uniqueDir() });
      await store.appendEvent(session.id, delta(1));
      const unknownType = { type: 'bogus', data: {} } as unknown as EventInput;
      const badData = { type: 'text_delta', data: { messageId: 'm', delta: 5 } } as unknown as EventInput;
      await expect(store.appendEvent(session.id, unknownType)).rejects.toThrow(InvalidInputError);
      await expect(store.appendEvents(session.id, [delta(2), badData])).rejects.toThrow(InvalidInputError);
      expect((await store.getSession(session.id))?.lastSeq).toBe(1);
      expect(await count('events', session.id)).toBe(1);
    });
  });

  describe('usage', () => {
    it('sums usage per session, costing only known prices', async () => {
      const session = await store.createSession({ directory: uniqueDir() });
      const m1 = await store.createMessage({ sessionId: session.id, role: 'assistant', parts: [] });
      const m2 = await store.createMessage({ sessionId: session.id, role: 'assistant', parts: [] });
      const record = (messageId: string, step: number, u: Usage) =>
        store.recordUsage({ sessionId: session.id, messageId, step, model: 'm', usage: u });

      expect(await store.sessionUsage(session.id)).toEqual({
        inputTokens: 0,
        outputTokens: 0,
        reasoningTokens: 0,
        cachedInputTokens: 0,
        costUsd: null,
        steps: 0,
      });
      await record(m1.id, 0, usage(100, 10, null));
      expect((await store.sessionUsage(session.id)).costUsd).toBeNull();

      await record(m1.id, 1, usage(200, 20, 0.25));
      await record(m2.id, 0, usage(300, 30, 0.5));
      await record(m2.id, 0, usage(400, 40, 0.75)); // same step again replaces, never double-counts
      const totals = await store.sessionUsage(session.id);
      expect(totals).toEqual({
        inputTokens: 700,
        outputTokens: 70,
        reasoningTokens: 3,
        cachedInputTokens: 6,
        costUsd: 1,
        steps: 3,
      });
      expect((await store.getSession(session.id))?.usage).toEqual(totals);
      expect((await store.listSessions({ directory: session.directory }))[0]?.usage).toEqual(totals);

      await expect(record(m1.id, -1, usage(1, 1, 0))).rejects.toThrow(InvalidInputError);
      await expect(
        store.recordUsage({
          sessionId: 'ses_none',
          messageId: 'm',
          step: 0,
          model: 'm',
          usage: usage(1, 1, 0),
        }),
      ).rejects.toThrow('Session ses_none not found');
    });
  });

  describe('settings', () => {
    it('stores JSON values per scope and key', async () => {
      const scope = `scope-${randomUUID()}`;
      expect(await store.getSetting(scope, 'rules')).toBeUndefined();
      const rules = { allow: ['read', 'grep'], nested: { n: 1, ok: true } };
      await store.setSetting(scope, 'rules', rules);
      expect(await store.getSetting(scope, 'rules')).toEqual(rules);
      await store.setSetting(scope, 'rules', ['replaced']);
      expect(await store.getSetting(scope, 'rules')).toEqual(['replaced']);
      expect(await store.getSetting(`${scope}-other`, 'rules')).toBeUndefined();

      await store.setSetting(scope, 'nothing', null);
      expect(await store.getSetting(scope, 'nothing')).toBeNull();
      await store.setSetting(scope, 'rules', undefined);
      expect(await store.getSetting(scope, 'rules')).toBeUndefined();
      await expect(store.setSetting(scope, 'big', 1n)).rejects.toThrow(InvalidInputError);
    });
  });

  describe('persistence', () => {
    it('reopens with everything intact and migrations run once', async () => {
      const first = await backend.open();
      const session = await first.createSession({ directory: uniqueDir(), title: 'Persisted' });
      const message = await first.createMessage({ sessionId: session.id, role: 'user', parts: text('kept') });
      await first.appendEvents(session.id, [delta(1), delta(2)]);
      await first.recordUsage({
        sessionId: session.id,
        messageId: message.id,
        step: 0,
        model: 'm',
        usage: usage(5, 6, 0.1),
      });
      await first.setSetting('persist', session.id, { kept: true });
      const before = await first.getSession(session.id);
      await first.close();

      const again = await backend.open();
      try {
        expect(await again.getSession(session.id)).toEqual(before);
        expect(await again.listMessages(session.id)).toEqual([message]);
        expect((await again.listEvents(session.id)).map((e) => e.seq)).toEqual([1, 2]);
        expect((await again.appendEvent(session.id, delta(3))).seq).toBe(3);
        expect(await again.getSetting('persist', session.id)).toEqual({ kept: true });
      } finally {
        await again.close();
      }

      const recorded = await backend.query('select name from kysely_migration order by name');
      expect(recorded.map((row) => row.name)).toEqual([...migrationNames]);
    });
  });

  describe('large sessions', () => {
    // Load time is measured by bench/session-load.ts, not asserted here.
    it('loads a 1,000-message session completely and in order', async () => {
      const session = await store.createSession({ directory: uniqueDir() });
      const body = 'Lorem ipsum dolor sit amet. '.repeat(5);
      const ids: string[] = [];
      for (let i = 0; i < 1_000; i++) {
        const parts: MessagePart[] =
          i % 2 === 0
            ? text(`${i}: ${body}`)
            : [
                { type: 'text', text: body },
                {
                  type: 'tool',
                  toolCallId: `c${i}`,
                  tool: 'read',
                  input: { path: `f${i}.ts` },
                  state: 'completed',
                  output: body,
                },
              ];
        const message = await store.createMessage({
          sessionId: session.id,
          role: i % 2 === 0 ? 'user' : 'assistant',
          parts,
        });
        ids.push(message.id);
      }
      const loaded = await store.listMessages(session.id);
      expect(loaded.map((m) => m.id)).toEqual(ids);
      expect(loaded[999]?.parts[1]).toMatchObject({ type: 'tool', toolCallId: 'c999' });
    });
  });

  // Backend-specific checks are only registered for their backend (no skipped placeholders).
  if (name === 'sqlite')
    describe('sqlite file', () => {
      it('creates the file 0600 inside a newly created directory', () => {
        expect(statSync(backend.location).mode & 0o777).toBe(0o600);
        const wal = `${backend.location}-wal`;
        if (existsSync(wal)) expect(statSync(wal).mode & 0o777).toBe(0o600);
      });

      it('opens private in-memory databases', async () => {
        const a = await openStore({ sqlitePath: ':memory:' });
        const b = await openStore({ sqlitePath: ':memory:' });
        try {
          const session = await a.createSession({ directory: '/mem' });
          expect(await a.getSession(session.id)).toEqual(session);
          expect(await b.getSession(session.id)).toBeUndefined();
        } finally {
          await a.close();
          await b.close();
        }
      });
    });

  if (name === 'postgres')
    describe('postgres options', () => {
      it('rejects a schema name it would have to quote', async () => {
        await expect(openStore({ databaseUrl: PG_TEST_URL, schema: 'Bad-Name' })).rejects.toThrow(
          /schema name/,
        );
      });
    });
});

if (SKIP_POSTGRES) {
  describe.skip('store on postgres: skipped because AURA_TEST_SKIP_POSTGRES=1', () => {
    it('runs the same suite as sqlite', () => {});
  });
}

describe('openStore', () => {
  it('needs a databaseUrl or a sqlitePath', async () => {
    await expect(openStore({})).rejects.toThrow(/databaseUrl or a sqlitePath/);
  });
});
