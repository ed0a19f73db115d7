import { randomUUID } from 'node:crypto';
import type { MessagePart, Usage } from '@aura/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConflictError,
  exportSessionDocument,
  type ImportSessionInput,
  InvalidInputError,
  importInputFrom,
  type SessionDocument,
  type Store,
} from './index.ts';
import {
  createPostgresBackend,
  createSqliteBackend,
  SKIP_POSTGRES,
  type TestBackend,
} from './test-backends.ts';

const backends: [TestBackend['name'], () => Promise<TestBackend>][] = [['sqlite', createSqliteBackend]];
if (!SKIP_POSTGRES) backends.push(['postgres', createPostgresBackend]);

const uniqueDir = () => `/work/${randomUUID()}`;
const text = (value: string): MessagePart[] => [{ type: 'text', text: value }];
const usage = (inputTokens: number, outputTokens: number, costUsd: number | null): Usage => ({
  inputTokens,
  outputTokens,
  reasoningTokens: 0,
  cachedInputTokens: 0,
  costUsd,
});

describe.each(backends)('session import and search on %s', (_name, createBackend) => {
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

  /** A session the way a run leaves one: a user message, an answer with a tool call, events, usage. */
  async function recordedSession(title = 'Recorded') {
    const session = await store.createSession({ directory: uniqueDir(), title, model: 'openai/gpt-5' });
    const user = await store.createMessage({
      sessionId: session.id,
      role: 'user',
      parts: text('make a file'),
    });
    const answer = await store.createMessage({
      sessionId: session.id,
      role: 'assistant',
      model: 'openai/gpt-5',
      parts: [
        { type: 'text', text: 'Writing it.' },
        {
          type: 'tool',
          toolCallId: 'call_1',
          tool: 'write',
          input: { path: 'a.txt', content: 'hi' },
          state: 'completed',
          output: 'Wrote a.txt',
          metadata: { diff: '+hi' },
        },
      ],
    });
    await store.updateMessage(answer.id, { finishReason: 'stop', usage: usage(30, 7, 0.5) });
    for (const [step, tokens] of [
      [0, 10],
      [1, 20],
    ] as const) {
      await store.recordUsage({
        sessionId: session.id,
        messageId: answer.id,
        step,
        model: 'openai/gpt-5',
        usage: usage(tokens, step + 3, 0.25),
      });
    }
    await store.appendEvents(session.id, [
      { type: 'message_user', data: { messageId: user.id, text: 'make a file' } },
      { type: 'message_start', data: { messageId: answer.id, model: 'openai/gpt-5', scripted: false } },
      { type: 'text_delta', data: { messageId: answer.id, delta: 'Writing it.' } },
      {
        type: 'usage',
        data: {
          ...usage(10, 3, 0.25),
          messageId: answer.id,
          step: 0,
          model: 'openai/gpt-5',
          session: { ...usage(10, 3, 0.25), steps: 1 },
        },
      },
      {
        type: 'usage',
        data: {
          ...usage(20, 4, 0.25),
          messageId: answer.id,
          step: 1,
          model: 'openai/gpt-5',
          session: { ...usage(30, 7, 0.5), steps: 2 },
        },
      },
      {
        type: 'checkpoint_created',
        data: {
          id: 'abc123',
          turn: { sessionId: session.id, runId: 'run_1', messageId: answer.id },
          message: 'make a file',
          files: [{ path: 'a.txt', status: 'added' }],
        },
      },
      {
        type: 'message_done',
        data: { messageId: answer.id, finishReason: 'stop', usage: usage(30, 7, 0.5) },
      },
    ]);
    return (await store.getSession(session.id))!;
  }

  async function exported(id: string, events = true): Promise<SessionDocument> {
    const doc = await exportSessionDocument(store, id, { events });
    if (!doc) throw new Error(`no session ${id}`);
    // What a file holds: plain JSON.
    return JSON.parse(JSON.stringify(doc)) as SessionDocument;
  }

  it('reads back an exported session faithfully: messages, events and usage', async () => {
    const original = await recordedSession();
    const doc = await exported(original.id);
    const messages = await store.listMessages(original.id);
    const events = await store.listEvents(original.id);
    expect(await store.deleteSession(original.id)).toBe(true);

    const imported = await store.importSession(importInputFrom(doc));
    expect(imported).toEqual(original);
    expect(await store.listMessages(original.id)).toEqual(messages);
    expect(await store.listEvents(original.id)).toEqual(events);
    expect(await store.sessionUsage(original.id)).toEqual({ ...usage(30, 7, 0.5), steps: 2 });
    // Appending continues the log where it ended.
    const next = await store.appendEvent(original.id, { type: 'session_updated', data: { title: 'x' } });
    expect(next.seq).toBe(events.length + 1);
  });

  it('imports under new ids, leaving the original alone and pointing events at the new messages', async () => {
    const original = await recordedSession('Copied');
    const doc = await exported(original.id);
    await expect(store.importSession(importInputFrom(doc))).rejects.toThrow(ConflictError);

    const copy = await store.importSession(importInputFrom(doc, { newIds: true }));
    expect(copy.id).not.toBe(original.id);
    expect(copy).toMatchObject({ title: 'Copied', directory: original.directory, lastSeq: original.lastSeq });
    const copied = await store.listMessages(copy.id);
    const originals = await store.listMessages(original.id);
    expect(copied.map((m) => m.parts)).toEqual(originals.map((m) => m.parts));
    expect(copied.map((m) => m.id)).not.toEqual(originals.map((m) => m.id));
    const ids = new Set(copied.map((m) => m.id));
    for (const event of await store.listEvents(copy.id)) {
      expect(event.sessionId).toBe(copy.id);
      if ('messageId' in event.data) expect(ids.has(event.data.messageId)).toBe(true);
      if (event.type === 'checkpoint_created') {
        expect(event.data.turn.sessionId).toBe(copy.id);
        expect(ids.has(event.data.turn.messageId)).toBe(true);
      }
    }
    expect(await count('messages', original.id)).toBe(2);
  });

  it('rebuilds a replayable event log and usage from the messages when the document has no events', async () => {
    const original = await recordedSession();
    const doc = await exported(original.id, false);
    expect(doc.events).toBeUndefined();
    const copy = await store.importSession(importInputFrom(doc, { newIds: true }));
    const events = await store.listEvents(copy.id);
    expect(events.map((e) => e.type)).toEqual([
      'message_user',
      'message_start',
      'text_delta',
      'tool_call',
      'tool_result',
      'message_done',
    ]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events[4]).toMatchObject({
      data: { ok: true, output: 'Wrote a.txt', tool: 'write', metadata: { diff: '+hi' } },
    });
    // One usage row per answered message: the same totals, one step each.
    expect(await store.sessionUsage(copy.id)).toEqual({ ...usage(30, 7, 0.5), steps: 1 });
  });

  it('writes nothing when a message id is already taken', async () => {
    const original = await recordedSession();
    const doc = await exported(original.id);
    const input = importInputFrom(doc);
    const clash: ImportSessionInput = { ...input, session: { ...input.session, id: `ses_${randomUUID()}` } };
    await expect(store.importSession(clash)).rejects.toThrow(/Message .* already exists/);
    expect(await store.getSession(clash.session.id)).toBeUndefined();
    expect(await count('events', clash.session.id)).toBe(0);
    expect(await count('usage_records', clash.session.id)).toBe(0);
  });

  it('refuses invalid input before writing anything', async () => {
    const id = `ses_${randomUUID()}`;
    const base: ImportSessionInput = {
      session: {
        id,
        title: 't',
        directory: uniqueDir(),
        model: null,
        mode: 'chat',
        state: 'IDLE',
        createdAt: 1,
        updatedAt: 2,
      },
      messages: [
        {
          id: `msg_${randomUUID()}`,
          role: 'user',
          parts: text('hi'),
          model: null,
          finishReason: null,
          usage: null,
          createdAt: 5,
        },
      ],
      events: [],
      usage: [],
    };
    const bad: [string, ImportSessionInput][] = [
      ['relative directory', { ...base, session: { ...base.session, directory: 'work/x' } }],
      ['negative time', { ...base, session: { ...base.session, createdAt: -1 } }],
      ['duplicate message ids', { ...base, messages: [base.messages[0]!, base.messages[0]!] }],
      [
        'unknown event type',
        {
          ...base,
          events: [{ type: 'nope', data: {}, ts: 1 } as unknown as ImportSessionInput['events'][0]],
        },
      ],
      [
        'event data of the wrong shape',
        {
          ...base,
          events: [
            { type: 'text_delta', data: { delta: 3 }, ts: 1 } as unknown as ImportSessionInput['events'][0],
          ],
        },
      ],
    ];
    for (const [what, input] of bad) {
      await expect(store.importSession(input), what).rejects.toThrow(InvalidInputError);
    }
    expect(await store.getSession(id)).toBeUndefined();
    expect(await count('messages', id)).toBe(0);
  });

  it('stores a session left mid-run as INTERRUPTED and keeps message times strictly increasing', async () => {
    const id = `ses_${randomUUID()}`;
    const message = (n: number, createdAt: number) => ({
      id: `msg_${randomUUID()}`,
      role: 'user' as const,
      parts: text(`m${n}`),
      model: null,
      finishReason: null,
      usage: null,
      createdAt,
    });
    const imported = await store.importSession({
      session: {
        id,
        title: null,
        directory: uniqueDir(),
        model: null,
        mode: 'chat',
        state: 'RUNNING',
        createdAt: 1,
        updatedAt: 2,
      },
      messages: [message(0, 100), message(1, 100), message(2, 50)],
      events: [],
      usage: [],
    });
    expect(imported.state).toBe('INTERRUPTED');
    const stored = await store.listMessages(id);
    expect(stored.map((m) => m.createdAt)).toEqual([100, 101, 102]);
    // The createdAt cursor pages them exactly.
    expect((await store.listMessages(id, { after: 100 })).map((m) => m.parts)).toEqual([
      text('m1'),
      text('m2'),
    ]);
    const added = await store.createMessage({ sessionId: id, role: 'user', parts: text('later') });
    expect(added.createdAt).toBeGreaterThan(102);
  });

  it('imports a 1,000-message session with thousands of events in one go', async () => {
    const id = `ses_${randomUUID()}`;
    const messages = Array.from({ length: 1_000 }, (_, i) => ({
      id: `msg_${randomUUID()}`,
      role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
      parts: text(`message ${i}`),
      model: null,
      finishReason: null,
      usage: null,
      createdAt: 1_000 + i,
    }));
    const events = messages.flatMap((m) => [
      { type: 'text_delta' as const, data: { messageId: m.id, delta: 'a' }, ts: m.createdAt },
      { type: 'text_delta' as const, data: { messageId: m.id, delta: 'b' }, ts: m.createdAt },
    ]);
    const session = await store.importSession({
      session: {
        id,
        title: 'big',
        directory: uniqueDir(),
        model: null,
        mode: 'chat',
        state: 'IDLE',
        createdAt: 1,
        updatedAt: 2,
      },
      messages,
      events,
      usage: [],
    });
    expect(session.lastSeq).toBe(2_000);
    expect((await store.listMessages(id)).map((m) => m.id)).toEqual(messages.map((m) => m.id));
    const log = await store.listEvents(id, { since: 1_990 });
    expect(log.map((e) => e.seq)).toEqual([
      1_991, 1_992, 1_993, 1_994, 1_995, 1_996, 1_997, 1_998, 1_999, 2_000,
    ]);
  });

  describe('search with snippets', () => {
    it('returns the newest matching message with a snippet, or none for a title match', async () => {
      const token = `wombat${randomUUID().slice(0, 8)}`;
      const byTitle = await store.createSession({ directory: uniqueDir(), title: `About ${token}` });
      const byMessage = await store.createSession({ directory: uniqueDir(), title: 'Other' });
      const prose = 'lorem ipsum dolor sit amet '.repeat(10);
      await store.createMessage({ sessionId: byMessage.id, role: 'user', parts: text(`old ${token}`) });
      const newest = await store.createMessage({
        sessionId: byMessage.id,
        role: 'assistant',
        parts: text(`${prose}\nthe ${token.toUpperCase()} fix\n${prose}`),
      });

      const alsoByMessage = await store.createSession({ directory: uniqueDir(), title: 'Third' });
      const third = await store.createMessage({
        sessionId: alsoByMessage.id,
        role: 'user',
        parts: text(`a ${token} here too`),
      });

      const hits = await store.searchSessionHits(token);
      expect(hits.find((h) => h.session.id === alsoByMessage.id)).toMatchObject({
        messageId: third.id,
        snippet: `a ${token} here too`,
      });
      const hit = hits.find((h) => h.session.id === byMessage.id);
      expect(hit?.messageId).toBe(newest.id);
      expect(hit?.snippet).toContain(`the ${token.toUpperCase()} fix`);
      expect(hit?.snippet).toMatch(/^….*…$/);
      expect(hit?.snippet).not.toContain('\n');
      expect(hit!.snippet!.length).toBeLessThanOrEqual(82);
      expect(hits.find((h) => h.session.id === byTitle.id)).toMatchObject({ messageId: null, snippet: null });
      expect(await store.searchSessionHits(`${token}%`)).toEqual([]);
      expect(await store.searchSessionHits('  ')).toEqual([]);
    });
  });
});
