import type { MessagePart, ToolPart } from '@aura/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, openStore, type Store } from '../store/index.ts';
import { compactSession } from './compact-session.ts';
import { toModelMessages } from './history.ts';

const longOutput = (tag: string) => Array.from({ length: 40 }, (_, i) => `${tag} line ${i}`).join('\n');

const toolPart = (id: string, output: string, state: ToolPart['state'] = 'completed'): ToolPart => ({
  type: 'tool',
  toolCallId: id,
  tool: 'read',
  input: { path: `${id}.ts` },
  state,
  output,
});

describe('compactSession', () => {
  let store: Store;
  let sessionId: string;

  /** Three turns, each reading files; the first turn also has a short output and a failed call. */
  async function conversation() {
    const turns: MessagePart[][] = [
      [
        { type: 'text', text: 'Reading.' },
        toolPart('t1', longOutput('one')),
        toolPart('t1b', 'tiny'),
        toolPart('t1c', longOutput('failed'), 'error'),
      ],
      [toolPart('t2', longOutput('two'))],
      [toolPart('t3', longOutput('three'))],
    ];
    for (const [i, parts] of turns.entries()) {
      await store.createMessage({ sessionId, role: 'user', parts: [{ type: 'text', text: `turn ${i}` }] });
      await store.createMessage({ sessionId, role: 'assistant', parts });
    }
  }

  const toolOutputs = async () =>
    (await store.listMessages(sessionId)).flatMap((m) =>
      m.parts.flatMap((p) => (p.type === 'tool' ? [[p.toolCallId, p.output] as const] : [])),
    );

  beforeEach(async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    sessionId = (await store.createSession({ directory: '/work/app' })).id;
  });

  afterEach(async () => {
    await store.close();
  });

  it('prunes tool outputs older than the last two turns, in the store, and says what it saved', async () => {
    await conversation();
    const result = await compactSession(store, sessionId);
    expect(result.prunedToolOutputs).toBe(2);
    expect(result.tokensAfter).toBeLessThan(result.tokensBefore);

    const outputs = Object.fromEntries(await toolOutputs());
    expect(outputs.t1).toMatch(/^\[output pruned by \/compact: 40 lines/);
    expect(outputs.t1c).toMatch(/^\[output pruned by \/compact: 40 lines/);
    expect(outputs.t1b).toBe('tiny');
    expect(outputs.t2).toBe(longOutput('two'));
    expect(outputs.t3).toBe(longOutput('three'));

    // What the next turn sends the model: the note instead of the output, text untouched.
    const history = JSON.stringify(toModelMessages(await store.listMessages(sessionId)));
    expect(history).toContain('output pruned by /compact');
    expect(history).not.toContain('one line 39');
    expect(history).toContain('Reading.');
  });

  it('does nothing the second time', async () => {
    await conversation();
    const first = await compactSession(store, sessionId);
    const again = await compactSession(store, sessionId);
    expect(again).toEqual({
      prunedToolOutputs: 0,
      tokensBefore: first.tokensAfter,
      tokensAfter: first.tokensAfter,
    });
  });

  it('keeps as many recent turns as asked, or none', async () => {
    await conversation();
    expect((await compactSession(store, sessionId, { keepRecentTurns: 3 })).prunedToolOutputs).toBe(0);
    expect((await compactSession(store, sessionId, { keepRecentTurns: 1 })).prunedToolOutputs).toBe(3);
    expect((await compactSession(store, sessionId, { keepRecentTurns: 0 })).prunedToolOutputs).toBe(1);
    const outputs = await toolOutputs();
    expect(outputs.filter(([, output]) => output?.startsWith('[output pruned')).length).toBe(4);
  });

  it('refuses while a run is writing the session, and for a missing session or a bad count', async () => {
    await conversation();
    await store.updateSession(sessionId, { state: 'WAITING_PERMISSION' });
    await expect(compactSession(store, sessionId)).rejects.toThrow(/run in progress \(WAITING_PERMISSION\)/);
    expect(Object.fromEntries(await toolOutputs()).t1).toBe(longOutput('one'));

    await expect(compactSession(store, 'ses_missing')).rejects.toThrow(NotFoundError);
    await store.updateSession(sessionId, { state: 'IDLE' });
    await expect(compactSession(store, sessionId, { keepRecentTurns: -1 })).rejects.toThrow(/non-negative/);
    await expect(compactSession(store, sessionId, { keepRecentTurns: 1.5 })).rejects.toThrow(/non-negative/);
  });
});
