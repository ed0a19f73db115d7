import { createHash, randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import {
  type EventInput,
  type MessagePart,
  projectInfo,
  type SessionInfo,
  type SessionMode,
  type Usage,
} from '@aura/protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  openStore,
  type Store,
  toProjectInfo,
} from './index.ts';
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
/** A user nobody else uses, to scope per-user queries to one test. */
const uniqueUser = () => `user_${randomUUID()}`;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const ids = (items: readonly { id: string }[]) => items.map((item) => item.id);

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
        projectId: null,
        userId: null,
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
      expect(session).toMatchObject({
        id,
        title: 'Custom',
        model: 'anthropic/claude',
        mode: 'build',
        projectId: 'p1',
        userId: 'u1',
      });
      expect(await store.getSession(id)).toEqual(session);
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

  /** A message, two events and a usage row, so cascades have something to remove. */
  const seedSession = async (sessionId: string) => {
    const message = await store.createMessage({ sessionId, role: 'user', parts: text('hi') });
    await store.appendEvents(sessionId, [delta(1), delta(2)]);
    await store.recordUsage({
      sessionId,
      messageId: message.id,
      step: 0,
      model: 'm',
      usage: usage(1, 1, 0.1),
    });
  };
  const sessionData = async (sessionId: string) => ({
    messages: await count('messages', sessionId),
    events: await count('events', sessionId),
    usage: await count('usage_records', sessionId),
  });

  describe('interrupted sessions', () => {
    it('marks runs left by a dead process INTERRUPTED and returns them', async () => {
      const directory = uniqueDir();
      const inState = async (state: SessionInfo['state']) => {
        const session = await store.createSession({ directory, title: state });
        await store.updateSession(session.id, { state });
        return session;
      };
      const running = await inState('RUNNING');
      const waiting = await inState('WAITING_PERMISSION');
      const idle = await store.createSession({ directory });
      const building = await inState('IMPLEMENTING_PHASE');
      const complete = await inState('COMPLETE');
      const before = await store.getSession(running.id);

      await sleep(2);
      // Other tests on this database may have left runs behind too; look at this test's only.
      const marked = (await store.markInterruptedSessions()).filter((s) => s.directory === directory);
      expect(ids(marked)).toEqual([running.id, waiting.id, building.id]);
      expect(marked.map((s) => s.state)).toEqual(['INTERRUPTED', 'INTERRUPTED', 'INTERRUPTED']);
      expect(marked[0]?.updatedAt).toBeGreaterThan(before!.updatedAt);
      expect(marked[0]).toEqual(await store.getSession(running.id));

      const states = (await store.listSessions({ directory })).map((s) => [s.title, s.state]);
      expect(Object.fromEntries(states)).toEqual({
        RUNNING: 'INTERRUPTED',
        WAITING_PERMISSION: 'INTERRUPTED',
        IMPLEMENTING_PHASE: 'INTERRUPTED',
        COMPLETE: 'COMPLETE',
        [String(null)]: 'IDLE',
      });
      expect(ids([idle, complete]).every((id) => !ids(marked).includes(id))).toBe(true);
      expect(await store.markInterruptedSessions()).toEqual([]);
    });

    it('hands each session to exactly one of two stores marking at once', async () => {
      const directory = uniqueDir();
      const running = [];
      for (let i = 0; i < 6; i++) {
        const session = await store.createSession({ directory });
        await store.updateSession(session.id, { state: i % 2 === 0 ? 'RUNNING' : 'WAITING_PERMISSION' });
        running.push(session.id);
      }
      const other = await backend.open();
      try {
        const [a, b] = await Promise.all([store.markInterruptedSessions(), other.markInterruptedSessions()]);
        const mine = [...a, ...b].filter((s) => s.directory === directory);
        expect(ids(mine).sort()).toEqual([...running].sort());
      } finally {
        await other.close();
      }
    });
  });

  describe('projects', () => {
    it('creates, reads and updates a project', async () => {
      const userId = uniqueUser();
      const project = await store.createProject({ userId, name: '  Todo app  ', workspace: '/srv/aura/p1' });
      expect(project.id).toMatch(/^prj_[0-9a-z]+$/);
      expect(project).toMatchObject({
        ownerId: userId,
        name: 'Todo app',
        description: null,
        template: null,
        sandboxId: null,
        previewUrl: null,
        thumbnail: null,
        workspace: '/srv/aura/p1',
      });
      expect(project.updatedAt).toBe(project.createdAt);
      expect(await store.getProject(project.id)).toEqual(project);
      expect(await store.getProject('prj_missing')).toBeUndefined();

      const id = `prj_custom_${randomUUID()}`;
      const custom = await store.createProject({
        id,
        userId,
        name: 'Shop',
        description: 'A small shop',
        template: 'react-vite',
        workspace: '/srv/aura/shop',
      });
      expect(custom).toMatchObject({ id, description: 'A small shop', template: 'react-vite' });
      const duplicate = store.createProject({ id, userId: uniqueUser(), name: 'Other', workspace: '/srv/x' });
      await expect(duplicate).rejects.toThrow(ConflictError);
      await expect(duplicate).rejects.toThrow(`Project ${id} already exists`);
      expect(await store.getProject(id)).toEqual(custom);

      await sleep(2);
      const updated = await store.updateProject(project.id, {
        name: 'Todo app v2',
        description: 'Tasks',
        template: 'next',
        sandboxId: 'sbx_1',
        previewUrl: 'https://preview.example.com/p1/',
        thumbnail: '/thumbnails/p1.png',
      });
      expect(updated).toEqual({
        ...project,
        name: 'Todo app v2',
        description: 'Tasks',
        template: 'next',
        sandboxId: 'sbx_1',
        previewUrl: 'https://preview.example.com/p1/',
        thumbnail: '/thumbnails/p1.png',
        updatedAt: updated?.updatedAt,
      });
      expect(updated?.updatedAt).toBeGreaterThan(project.updatedAt);
      expect(await store.getProject(project.id)).toEqual(updated);

      const cleared = await store.updateProject(project.id, { description: null, sandboxId: null });
      expect(cleared).toMatchObject({ description: null, sandboxId: null, template: 'next' });
      expect(await store.updateProject(project.id, {})).toEqual(cleared);
      expect(await store.updateProject('prj_missing', { name: 'x' })).toBeUndefined();
    });

    it('gives clients everything but the workspace', async () => {
      const project = await store.createProject({ userId: uniqueUser(), name: 'P', workspace: '/srv/p' });
      const info = toProjectInfo(project);
      expect(info).not.toHaveProperty('workspace');
      expect(Object.keys(info).sort()).toEqual(Object.keys(projectInfo.shape).sort());
      expect(projectInfo.parse(info)).toEqual(info);
    });

    it('validates input and writes nothing on failure', async () => {
      const userId = uniqueUser();
      const create = (patch: Partial<Parameters<Store['createProject']>[0]>) =>
        store.createProject({ userId, name: 'ok', workspace: '/srv/ok', ...patch });

      await expect(create({ name: '   ' })).rejects.toThrow(/Invalid project name: .*must not be empty/);
      await expect(create({ name: 'n'.repeat(201) })).rejects.toThrow(
        /project name: .*at most 200 characters/,
      );
      await expect(create({ workspace: 'relative/dir' })).rejects.toThrow(/workspace: .*absolute path/);
      await expect(create({ workspace: '' })).rejects.toThrow(InvalidInputError);
      await expect(create({ userId: '' })).rejects.toThrow(/project owner id: .*must not be empty/);
      await expect(create({ description: 'd'.repeat(10_001) })).rejects.toThrow(/at most 10000 characters/);
      await expect(create({ id: '' })).rejects.toThrow(InvalidInputError);
      expect(await store.listProjects({ userId })).toEqual({ items: [], total: 0 });

      const project = await create({ name: 'n'.repeat(200) });
      await expect(store.updateProject(project.id, { name: '' })).rejects.toThrow(InvalidInputError);
      await expect(store.updateProject(project.id, { previewUrl: 'u'.repeat(2_049) })).rejects.toThrow(
        InvalidInputError,
      );
      await expect(store.updateProject(project.id, { thumbnail: 't'.repeat(1_000_001) })).rejects.toThrow(
        /thumbnail: .*at most 1000000 characters/,
      );
      expect(await store.getProject(project.id)).toEqual(project);
      // A small inline image fits.
      const thumbnail = `data:image/png;base64,${'A'.repeat(400_000)}`;
      expect((await store.updateProject(project.id, { thumbnail }))?.thumbnail).toBe(thumbnail);

      await expect(store.listProjects({ userId: '' })).rejects.toThrow(InvalidInputError);
      await expect(store.listProjects({ userId, limit: -1 })).rejects.toThrow(InvalidInputError);
      await expect(store.listProjects({ userId, offset: 1.5 })).rejects.toThrow(InvalidInputError);
    });

    it("lists the owner's projects newest first, with pagination, total and search", async () => {
      const alice = uniqueUser();
      const bob = uniqueUser();
      const created = [];
      for (let i = 0; i < 5; i++) {
        created.push(
          await store.createProject({
            userId: alice,
            name: `Alpha ${i}`,
            description: i % 2 === 0 ? `A KANBAN board, take ${i}` : null,
            workspace: `/srv/alice/${i}`,
          }),
        );
      }
      const percent = await store.createProject({
        userId: alice,
        name: '100% done',
        workspace: '/srv/alice/p',
      });
      const bobs = [
        await store.createProject({ userId: bob, name: 'Kanban for Bob', workspace: '/srv/bob/0' }),
        await store.createProject({ userId: bob, name: 'Alpha 0', workspace: '/srv/bob/1' }),
      ];
      // Same-millisecond creations tie on updatedAt; the time-sortable id breaks the tie.
      const newestFirst = ids([...created, percent]).reverse();

      const all = await store.listProjects({ userId: alice });
      expect(ids(all.items)).toEqual(newestFirst);
      expect(all.total).toBe(6);
      expect(all.items[5]).toEqual(created[0]);

      const pages = [];
      for (let offset = 0; offset < 6; offset += 4) {
        const page = await store.listProjects({ userId: alice, limit: 4, offset });
        expect(page.total).toBe(6);
        pages.push(...page.items);
      }
      expect(ids(pages)).toEqual(newestFirst);
      expect(await store.listProjects({ userId: alice, offset: 6 })).toEqual({ items: [], total: 6 });
      expect(await store.listProjects({ userId: alice, limit: 0 })).toEqual({ items: [], total: 6 });

      // Ownership: neither user ever sees the other's projects.
      const bobsList = await store.listProjects({ userId: bob });
      expect(ids(bobsList.items).sort()).toEqual(ids(bobs).sort());
      expect(bobsList.total).toBe(2);
      expect(await store.listProjects({ userId: uniqueUser() })).toEqual({ items: [], total: 0 });

      const kanban = await store.listProjects({ userId: alice, search: 'kanban' });
      expect(ids(kanban.items)).toEqual(ids([created[4]!, created[2]!, created[0]!]));
      expect(kanban.total).toBe(3);
      const byName = await store.listProjects({ userId: alice, search: 'ALPHA 3', limit: 1 });
      expect(byName).toEqual({ items: [created[3]], total: 1 });
      const paged = await store.listProjects({ userId: alice, search: 'KanBan', limit: 1, offset: 1 });
      expect(paged).toEqual({ items: [created[2]], total: 3 });
      // LIKE wildcards are literal characters.
      expect(ids((await store.listProjects({ userId: alice, search: '%' })).items)).toEqual([percent.id]);
      expect((await store.listProjects({ userId: alice, search: 'alpha_' })).total).toBe(0);
      expect((await store.listProjects({ userId: alice, search: '  ' })).total).toBe(6);
      expect((await store.listProjects({ userId: bob, search: 'board' })).total).toBe(0);

      await sleep(2);
      await store.touchProject(created[1]!.id);
      const touched = await store.listProjects({ userId: alice, limit: 2 });
      expect(ids(touched.items)).toEqual([created[1]!.id, percent.id]);
      expect(touched.items[0]!.updatedAt).toBeGreaterThan(created[1]!.updatedAt);
      await store.touchProject('prj_missing');

      await sleep(2);
      await store.updateProject(created[0]!.id, { thumbnail: '/t.png' });
      expect(ids((await store.listProjects({ userId: alice, limit: 1 })).items)).toEqual([created[0]!.id]);
    });

    it('deletes a project with its sessions and their data, leaving other projects intact', async () => {
      const userId = uniqueUser();
      const doomed = await store.createProject({ userId, name: 'Doomed', workspace: '/srv/doomed' });
      const kept = await store.createProject({ userId, name: 'Kept', workspace: '/srv/kept' });
      const inDoomed = [
        await store.createSession({ directory: uniqueDir(), projectId: doomed.id, userId }),
        await store.createSession({ directory: uniqueDir(), projectId: doomed.id, userId }),
      ];
      const inKept = await store.createSession({ directory: uniqueDir(), projectId: kept.id, userId });
      const loose = await store.createSession({ directory: uniqueDir(), userId });
      for (const session of [...inDoomed, inKept, loose]) await seedSession(session.id);

      expect(await store.deleteProject(doomed.id)).toBe(true);
      expect(await store.getProject(doomed.id)).toBeUndefined();
      for (const session of inDoomed) {
        expect(await store.getSession(session.id)).toBeUndefined();
        expect(await sessionData(session.id)).toEqual({ messages: 0, events: 0, usage: 0 });
      }
      expect(await store.listSessions({ projectId: doomed.id })).toEqual([]);

      expect(await store.getProject(kept.id)).toEqual(kept);
      for (const session of [inKept, loose]) {
        expect((await store.getSession(session.id))?.id).toBe(session.id);
        expect(await sessionData(session.id)).toEqual({ messages: 1, events: 2, usage: 1 });
      }
      expect(await store.listProjects({ userId })).toEqual({ items: [kept], total: 1 });
      expect(await store.deleteProject(doomed.id)).toBe(false);
    });

    it('deletes nothing for a missing project, even sessions that name it', async () => {
      const orphan = await store.createSession({ directory: uniqueDir(), projectId: 'prj_never_created' });
      expect(await store.deleteProject('prj_never_created')).toBe(false);
      expect((await store.getSession(orphan.id))?.projectId).toBe('prj_never_created');
    });
  });

  describe('provider keys', () => {
    it('upserts, lists without ciphertext, reads ciphertext and deletes per user', async () => {
      const userId = uniqueUser();
      const other = uniqueUser();
      const anthropic = await store.setProviderKey({
        userId,
        provider: 'anthropic',
        ciphertext: 'v1:cipher-anthropic',
        hint: 'abcd',
      });
      expect(anthropic).toEqual({
        provider: 'anthropic',
        hint: 'abcd',
        baseUrl: null,
        createdAt: anthropic.createdAt,
        updatedAt: anthropic.createdAt,
      });
      const compatible = await store.setProviderKey({
        userId,
        provider: 'openai-compatible',
        ciphertext: 'v1:cipher-compatible',
        hint: 'wxyz',
        baseUrl: 'http://127.0.0.1:11434/v1',
      });
      expect(compatible.baseUrl).toBe('http://127.0.0.1:11434/v1');

      const listed = await store.listProviderKeys(userId);
      expect(listed).toEqual([anthropic, compatible]);
      expect(JSON.stringify(listed)).not.toContain('cipher');
      expect(await store.getProviderKeyCiphertext(userId, 'anthropic')).toEqual({
        ciphertext: 'v1:cipher-anthropic',
        baseUrl: null,
      });

      await sleep(2);
      const replaced = await store.setProviderKey({
        userId,
        provider: 'anthropic',
        ciphertext: 'v2:cipher-rotated',
        hint: 'efgh',
        baseUrl: 'https://proxy.example.com',
      });
      expect(replaced).toMatchObject({ hint: 'efgh', baseUrl: 'https://proxy.example.com' });
      expect(replaced.createdAt).toBe(anthropic.createdAt);
      expect(replaced.updatedAt).toBeGreaterThan(anthropic.updatedAt);
      expect(await store.listProviderKeys(userId)).toEqual([replaced, compatible]);
      expect(await store.getProviderKeyCiphertext(userId, 'anthropic')).toEqual({
        ciphertext: 'v2:cipher-rotated',
        baseUrl: 'https://proxy.example.com',
      });

      // Another user's keys are separate, even for the same provider.
      expect(await store.listProviderKeys(other)).toEqual([]);
      expect(await store.getProviderKeyCiphertext(other, 'anthropic')).toBeUndefined();
      await store.setProviderKey({
        userId: other,
        provider: 'anthropic',
        ciphertext: 'v1:theirs',
        hint: '9999',
      });
      expect(await store.deleteProviderKey(other, 'openai-compatible')).toBe(false);
      expect((await store.getProviderKeyCiphertext(userId, 'anthropic'))?.ciphertext).toBe(
        'v2:cipher-rotated',
      );

      expect(await store.deleteProviderKey(userId, 'anthropic')).toBe(true);
      expect(await store.deleteProviderKey(userId, 'anthropic')).toBe(false);
      expect(await store.getProviderKeyCiphertext(userId, 'anthropic')).toBeUndefined();
      expect(await store.listProviderKeys(userId)).toEqual([compatible]);
      expect((await store.getProviderKeyCiphertext(other, 'anthropic'))?.ciphertext).toBe('v1:theirs');
    });

    it('validates input and writes nothing on failure', async () => {
      const userId = uniqueUser();
      const set = (patch: Partial<Parameters<Store['setProviderKey']>[0]>) =>
        store.setProviderKey({ userId, provider: 'openai', ciphertext: 'c', hint: '1234', ...patch });
      await expect(set({ provider: 'open/ai' })).rejects.toThrow(/Invalid provider: /);
      await expect(set({ provider: '' })).rejects.toThrow(InvalidInputError);
      await expect(set({ provider: 'p'.repeat(65) })).rejects.toThrow(/at most 64 characters/);
      await expect(set({ ciphertext: '' })).rejects.toThrow(/ciphertext: .*must not be empty/);
      await expect(set({ hint: 'sk-live-0123456789abcdef' })).rejects.toThrow(
        /hint: .*at most 16 characters/,
      );
      await expect(set({ baseUrl: 'ftp://example.com' })).rejects.toThrow(/base URL: .*http/);
      await expect(set({ baseUrl: 'not a url' })).rejects.toThrow(InvalidInputError);
      await expect(set({ userId: '' })).rejects.toThrow(InvalidInputError);
      expect(await store.listProviderKeys(userId)).toEqual([]);
    });
  });

  describe('api tokens', () => {
    it('creates, finds by hash (recording use), lists and deletes only for the owner', async () => {
      const userId = uniqueUser();
      const other = uniqueUser();
      const secret = `aura_${randomUUID()}`;
      const token = await store.createApiToken({
        userId,
        name: 'CI',
        tokenHash: sha256(secret),
        prefix: secret.slice(0, 9),
      });
      expect(token.id).toMatch(/^tok_[0-9a-z]+$/);
      expect(token).toEqual({
        id: token.id,
        name: 'CI',
        prefix: secret.slice(0, 9),
        createdAt: token.createdAt,
        lastUsedAt: null,
        expiresAt: null,
      });
      expect(await store.listApiTokens(userId)).toEqual([token]);

      const found = await store.findApiTokenByHash(sha256(secret));
      expect(found).toEqual({ ...token, userId, lastUsedAt: found?.lastUsedAt });
      expect(found?.lastUsedAt).toBeGreaterThanOrEqual(token.createdAt);
      expect(await store.listApiTokens(userId)).toEqual([{ ...token, lastUsedAt: found?.lastUsedAt }]);
      expect(JSON.stringify(await store.listApiTokens(userId))).not.toContain(sha256(secret));

      expect(await store.findApiTokenByHash(sha256('unknown'))).toBeUndefined();
      // A caller passing the token itself instead of its hash is a bug, not a miss.
      await expect(store.findApiTokenByHash(secret)).rejects.toThrow(/API token hash: .*sha-256/);

      const second = await store.createApiToken({
        userId,
        name: 'Laptop',
        tokenHash: sha256('b'),
        prefix: 'aura_b',
      });
      expect(ids(await store.listApiTokens(userId))).toEqual([second.id, token.id]);
      expect(await store.listApiTokens(other)).toEqual([]);

      expect(await store.deleteApiToken(other, token.id)).toBe(false);
      expect((await store.findApiTokenByHash(sha256(secret)))?.id).toBe(token.id);
      expect(await store.deleteApiToken(userId, token.id)).toBe(true);
      expect(await store.deleteApiToken(userId, token.id)).toBe(false);
      expect(await store.findApiTokenByHash(sha256(secret))).toBeUndefined();
      expect(ids(await store.listApiTokens(userId))).toEqual([second.id]);
    });

    it('refuses expired tokens without recording their use', async () => {
      const userId = uniqueUser();
      const now = Date.now();
      const expired = await store.createApiToken({
        userId,
        name: 'Old',
        tokenHash: sha256(`old-${randomUUID()}`),
        prefix: 'aura_old',
        expiresAt: now - 1_000,
      });
      const hash = sha256(`fresh-${randomUUID()}`);
      const fresh = await store.createApiToken({
        userId,
        name: 'Fresh',
        tokenHash: hash,
        prefix: 'aura_new',
        expiresAt: now + 3_600_000,
      });
      expect(fresh.expiresAt).toBe(now + 3_600_000);

      const [row] = await backend.query('select token_hash from api_tokens where id = ?', [expired.id]);
      expect(await store.findApiTokenByHash(String(row?.token_hash))).toBeUndefined();
      expect(await store.findApiTokenByHash(hash)).toMatchObject({ id: fresh.id, userId });
      const listed = await store.listApiTokens(userId);
      expect(listed.find((t) => t.id === expired.id)).toEqual(expired);
      expect(listed.find((t) => t.id === fresh.id)?.lastUsedAt).not.toBeNull();
    });

    it('refuses a duplicate hash with ConflictError, for any user', async () => {
      const hash = sha256(`dup-${randomUUID()}`);
      const userId = uniqueUser();
      const original = await store.createApiToken({ userId, name: 'One', tokenHash: hash, prefix: 'aura_1' });
      for (const owner of [userId, uniqueUser()]) {
        const attempt = store.createApiToken({
          userId: owner,
          name: 'Two',
          tokenHash: hash,
          prefix: 'aura_2',
        });
        await expect(attempt).rejects.toBeInstanceOf(ConflictError);
        await expect(attempt).rejects.toThrow('An API token with this hash already exists');
      }
      expect(await store.listApiTokens(userId)).toEqual([original]);
      expect((await store.findApiTokenByHash(hash))?.userId).toBe(userId);
    });

    it('validates input and writes nothing on failure', async () => {
      const userId = uniqueUser();
      const create = (patch: Partial<Parameters<Store['createApiToken']>[0]>) =>
        store.createApiToken({
          userId,
          name: 'ok',
          tokenHash: sha256(randomUUID()),
          prefix: 'aura_x',
          ...patch,
        });
      await expect(create({ tokenHash: sha256('x').toUpperCase() })).rejects.toThrow(/sha-256/);
      await expect(create({ tokenHash: 'aura_plaintext' })).rejects.toThrow(InvalidInputError);
      await expect(create({ name: ' ' })).rejects.toThrow(/API token name: .*must not be empty/);
      await expect(create({ prefix: '' })).rejects.toThrow(/prefix: .*must not be empty/);
      await expect(create({ prefix: `aura_${'x'.repeat(40)}` })).rejects.toThrow(/at most 32 characters/);
      await expect(create({ expiresAt: -1 })).rejects.toThrow(/API token expiry/);
      await expect(create({ expiresAt: 1.5 })).rejects.toThrow(InvalidInputError);
      expect(await store.listApiTokens(userId)).toEqual([]);
    });
  });

  describe('shared connection', () => {
    it('exposes its Kysely instance for Better Auth to share', async () => {
      const session = await store.createSession({ directory: uniqueDir() });
      const row = await store.kysely
        .selectFrom('sessions')
        .select('id')
        .where('id', '=', session.id)
        .executeTakeFirst();
      expect(row).toEqual({ id: session.id });

      // Better Auth creates and uses tables of its own next to the store's.
      const table = `auth_probe_${randomUUID().slice(0, 8)}`;
      await sql`create table ${sql.table(table)} (id text primary key, created_at bigint not null)`.execute(
        store.kysely,
      );
      await store.kysely.transaction().execute(async (trx) => {
        await sql`insert into ${sql.table(table)} (id, created_at) values (${'a'}, ${1})`.execute(trx);
      });
      const { rows } = await sql<{ id: string }>`select id from ${sql.table(table)}`.execute(store.kysely);
      expect(rows).toEqual([{ id: 'a' }]);
      await sql`drop table ${sql.table(table)}`.execute(store.kysely);
    });
  });

  describe('migrations', () => {
    it('upgrades a database that only migration 0001 created, keeping its data', async () => {
      expect(migrationNames).toEqual([
        '0001_init',
        '0002_projects_keys_tokens',
        '0003_project_network',
        '0004_device_codes',
      ]);
      const old = await createBackend();
      let upgraded: Store | undefined;
      try {
        const db = await old.openAt('0001_init');
        try {
          await db
            .insertInto('sessions')
            .values({
              id: 'ses_from_0001',
              title: 'Before projects',
              directory: '/old',
              model: null,
              mode: 'build',
              state: 'RUNNING',
              project_id: 'prj_legacy',
              user_id: 'user_legacy',
              created_at: 1_000,
              updated_at: 2_000,
            })
            .execute();
        } finally {
          await db.destroy();
        }
        const recorded = await old.query('select name from kysely_migration order by name');
        expect(recorded.map((r) => r.name)).toEqual(['0001_init']);
        await expect(old.query('select count(*) as n from projects')).rejects.toThrow();

        upgraded = await old.open();
        const migrated = await old.query('select name from kysely_migration order by name');
        expect(migrated.map((r) => r.name)).toEqual([...migrationNames]);
        expect(await upgraded.getSession('ses_from_0001')).toMatchObject({
          title: 'Before projects',
          mode: 'build',
          projectId: 'prj_legacy',
          userId: 'user_legacy',
          createdAt: 1_000,
          updatedAt: 2_000,
          lastSeq: 0,
        });
        expect((await upgraded.appendEvent('ses_from_0001', delta(1))).seq).toBe(1);

        const project = await upgraded.createProject({
          id: 'prj_legacy',
          userId: 'user_legacy',
          name: 'Adopted',
          workspace: '/old',
        });
        expect(await upgraded.listProjects({ userId: 'user_legacy' })).toEqual({
          items: [project],
          total: 1,
        });
        expect(ids(await upgraded.markInterruptedSessions())).toEqual(['ses_from_0001']);
        await upgraded.setProviderKey({
          userId: 'user_legacy',
          provider: 'openai',
          ciphertext: 'c',
          hint: 'h',
        });
        await upgraded.createApiToken({
          userId: 'user_legacy',
          name: 't',
          tokenHash: sha256('t'),
          prefix: 't',
        });
        expect(await upgraded.deleteProject('prj_legacy')).toBe(true);
        expect(await upgraded.getSession('ses_from_0001')).toBeUndefined();
      } finally {
        await upgraded?.close();
        await old.dispose();
      }
    });
  });

  describe('migration 0003', () => {
    it('keeps the network on for projects made before the switch existed', async () => {
      const old = await createBackend();
      let upgraded: Store | undefined;
      try {
        const db = await old.openAt('0002_projects_keys_tokens');
        try {
          await db
            .insertInto('projects')
            .values({
              id: 'prj_before_switch',
              user_id: 'user_old',
              name: 'Old',
              description: null,
              template: null,
              sandbox_id: null,
              preview_url: null,
              thumbnail: null,
              workspace: '/old/project',
              created_at: 1_000,
              updated_at: 1_000,
            } as never)
            .execute();
        } finally {
          await db.destroy();
        }
        upgraded = await old.open();
        expect(await upgraded.getProject('prj_before_switch')).toMatchObject({ name: 'Old', network: true });
        expect(await upgraded.networkOffWorkspaces()).toEqual([]);
        await upgraded.updateProject('prj_before_switch', { network: false });
        expect(await upgraded.networkOffWorkspaces()).toEqual(['/old/project']);
        await expect(
          upgraded.updateProject('prj_before_switch', { network: 'no' as unknown as boolean }),
        ).rejects.toThrow(/network/);
      } finally {
        await upgraded?.close();
        await old.dispose();
      }
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
