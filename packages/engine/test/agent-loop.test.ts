import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultRules } from '../src/permission/index.ts';
import { createHarness, eventsOfType, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

describe('agent loop with the scripted model', () => {
  it('writes, edits and runs through real tools, streaming ordered events that are persisted', async () => {
    const { result } = await h.run([
      {
        text: 'Creating the file.',
        chunkSize: 4,
        tools: [{ name: 'write', input: { path: 'hello.txt', content: 'hi\n' } }],
      },
      {
        tools: [
          { name: 'edit', input: { path: 'hello.txt', old_string: 'hi', new_string: 'hello' } },
          { name: 'exec', input: { command: 'cat hello.txt' } },
        ],
      },
      { text: 'Done.' },
    ]);

    expect(result.status).toBe('completed');
    expect(result.steps).toBe(3);
    expect(await readFile(join(h.workspace, 'hello.txt'), 'utf8')).toBe('hello\n');

    const seqs = h.events.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(await h.store.listEvents(h.sessionId)).toEqual(h.events);

    const types = h.events.map((e) => e.type);
    expect(types.slice(0, 5)).toEqual([
      'message_user',
      'run_started',
      'state_change',
      'session_updated',
      'message_start',
    ]);
    expect(types.at(-2)).toBe('run_finished');
    expect(types.at(-1)).toBe('state_change');
    expect(
      eventsOfType(h.events, 'text_delta')
        .map((e) => e.data.delta)
        .join(''),
    ).toBe('Creating the file.Done.');
    expect(eventsOfType(h.events, 'text_delta').length).toBeGreaterThan(2);

    const results = eventsOfType(h.events, 'tool_result');
    expect(results.map((r) => [r.data.tool, r.data.ok])).toEqual([
      ['write', true],
      ['edit', true],
      ['exec', true],
    ]);
    expect(results[2]?.data.output).toContain('hello');
    // each tool_call precedes its result
    for (const r of results) {
      const call = h.events.find((e) => e.type === 'tool_call' && e.data.toolCallId === r.data.toolCallId);
      expect(call && call.seq < r.seq).toBe(true);
    }

    const messages = await h.store.listMessages(h.sessionId);
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    const assistant = messages[1]!;
    expect(assistant.finishReason).toBe('stop');
    expect(assistant.parts.filter((p) => p.type === 'tool').map((p) => p.type === 'tool' && p.state)).toEqual(
      ['completed', 'completed', 'completed'],
    );
    const usage = await h.store.sessionUsage(h.sessionId);
    expect(usage.steps).toBe(3);
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect((await h.store.getSession(h.sessionId))?.title).toBe('do the thing');
    expect(eventsOfType(h.events, 'message_start')[0]?.data.scripted).toBe(true);
  });

  it('returns malformed tool input to the model as a correctable error and carries on', async () => {
    const { result } = await h.run([
      { tools: [{ name: 'write', input: { path: 5 } }] },
      { tools: [{ name: 'write', inputText: '{"path": "a.txt", "content": ' }] },
      { tools: [{ name: 'no_such_tool', input: {} }] },
      { tools: [{ name: 'write', input: { path: 'a.txt', content: 'ok' } }] },
      { text: 'Recovered.' },
    ]);
    expect(result.status).toBe('completed');
    const results = eventsOfType(h.events, 'tool_result');
    expect(results.map((r) => r.data.ok)).toEqual([false, false, false, true]);
    expect(results[0]?.data.output).toMatch(/Invalid input for write/);
    expect(results[0]?.data.output).toMatch(/path/);
    expect(results[2]?.data.output).toMatch(/no_such_tool/);
    expect(await readFile(join(h.workspace, 'a.txt'), 'utf8')).toBe('ok');
  });

  it('refuses paths outside the workspace', async () => {
    await h.run([
      {
        tools: [
          { name: 'write', input: { path: '../escaped.txt', content: 'x' } },
          { name: 'read', input: { path: '/etc/passwd' } },
        ],
      },
      { text: 'ok' },
    ]);
    const results = eventsOfType(h.events, 'tool_result');
    expect(results.map((r) => r.data.ok)).toEqual([false, false]);
    expect(existsSync(join(h.workspace, '..', 'escaped.txt'))).toBe(false);
    expect(results[1]?.data.output).not.toContain('root:');
  });

  it('stops at the step limit with a clear reason', async () => {
    const step = { tools: [{ name: 'list', input: {} }] };
    const { result } = await h.run([step, step, step, step], { maxSteps: 2 });
    expect(result.status).toBe('max_steps');
    expect(result.steps).toBe(2);
    expect(eventsOfType(h.events, 'error')[0]?.data.message).toMatch(/2 steps/);
  });

  it('allows 15 steps by default', async () => {
    const step = { tools: [{ name: 'list', input: {} }] };
    const { result } = await h.run(Array.from({ length: 20 }, () => step));
    expect(result.status).toBe('max_steps');
    expect(result.steps).toBe(15);
  });

  it('stops when the model repeats the same failing call', async () => {
    const failing = { tools: [{ name: 'read', input: { path: 'missing.txt' } }] };
    const { result } = await h.run([failing, failing, failing, failing, failing, { text: 'never' }]);
    expect(result.status).toBe('stuck');
    expect(result.steps).toBe(3);
    expect(eventsOfType(h.events, 'error')[0]?.data.kind).toBe('stuck');
  });

  it('cancels mid-tool: the command is killed and what was done is saved', async () => {
    const started = Date.now();
    const { result } = await h.run(
      [
        {
          text: 'Working.',
          tools: [
            { name: 'write', input: { path: 'saved.txt', content: 'kept' } },
            { name: 'exec', input: { command: 'sleep 30' } },
          ],
        },
        { text: 'never reached' },
      ],
      {
        onEvent: (event, run) => {
          if (event.type === 'tool_call' && event.data.tool === 'exec') setTimeout(() => run.cancel(), 200);
        },
      },
    );
    expect(result.status).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await readFile(join(h.workspace, 'saved.txt'), 'utf8')).toBe('kept');
    const assistant = (await h.store.listMessages(h.sessionId))[1]!;
    expect(assistant.finishReason).toBe('cancelled');
    expect(assistant.parts[0]).toEqual({ type: 'text', text: 'Working.' });
    const exec = assistant.parts.find((p) => p.type === 'tool' && p.tool === 'exec');
    expect(exec?.type === 'tool' && exec.state).toBe('error');
    expect(eventsOfType(h.events, 'run_finished')[0]?.data.status).toBe('cancelled');
    // every tool_call gets its tool_result, so live clients never show a call spinning forever
    const execCall = eventsOfType(h.events, 'tool_call').find((e) => e.data.tool === 'exec');
    const execResult = eventsOfType(h.events, 'tool_result').find(
      (e) => e.data.toolCallId === execCall?.data.toolCallId,
    );
    expect(execResult?.data).toMatchObject({ ok: false, output: expect.stringMatching(/cancel/i) });
    expect((await h.store.getSession(h.sessionId))?.state).toBe('IDLE');
  });

  it('retries a rate-limited call and reports the retry', async () => {
    const { result } = await h.run([
      { error: { status: 429, message: 'rate limited', retryAfterSeconds: 0 } },
      { text: 'after retry' },
    ]);
    expect(result.status).toBe('completed');
    expect(result.text).toBe('after retry');
    expect(eventsOfType(h.events, 'provider_retry')).toHaveLength(1);
  });

  it('ends with an error, not a crash, when the provider fails mid-stream', async () => {
    const { result } = await h.run([
      { text: 'partial answer', error: { message: 'connection reset', midStream: true } },
    ]);
    expect(result.status).toBe('error');
    expect(result.error).toMatch(/connection reset/);
    const assistant = (await h.store.listMessages(h.sessionId))[1]!;
    expect(assistant.finishReason).toBe('error');
    expect(assistant.parts).toEqual([{ type: 'text', text: 'partial answer' }]);
    expect(eventsOfType(h.events, 'error')).toHaveLength(1);
  });

  it('fails clearly when the script runs out of steps', async () => {
    const { result } = await h.run([{ tools: [{ name: 'list', input: {} }] }]);
    expect(result.status).toBe('error');
    expect(result.error).toMatch(/ran out of steps/);
  });

  it('asks for permission and follows the answer, passing a rejection message to the model', async () => {
    const permissions = { rules: defaultRules, mode: 'ask' as const };
    const replies = ['once', 'reject'] as const;
    let asked = 0;
    await h.run(
      [
        { tools: [{ name: 'exec', input: { command: 'echo approved > out.txt' } }] },
        { tools: [{ name: 'exec', input: { command: 'echo nope > no.txt' } }] },
        { text: 'ok' },
      ],
      {
        permissions,
        onEvent: (event, run) => {
          if (event.type !== 'permission_request') return;
          const reply = replies[asked++]!;
          run.replyPermission(
            event.data.requestId,
            reply === 'reject' ? { reply, message: 'not that' } : { reply },
          );
        },
      },
    );
    expect(asked).toBe(2);
    expect(await readFile(join(h.workspace, 'out.txt'), 'utf8')).toBe('approved\n');
    expect(existsSync(join(h.workspace, 'no.txt'))).toBe(false);
    const results = eventsOfType(h.events, 'tool_result');
    expect(results[1]?.data.output).toContain('not that');
    const states = eventsOfType(h.events, 'state_change').map((e) => e.data.state);
    expect(states).toContain('WAITING_PERMISSION');
    const assistant = (await h.store.listMessages(h.sessionId))[1]!;
    expect(assistant.parts.filter((p) => p.type === 'tool').map((p) => p.type === 'tool' && p.state)).toEqual(
      ['completed', 'denied'],
    );
  });

  it('applies deny rules to arguments sent as a JSON string, as the tool will read them', async () => {
    await h.run(
      [
        {
          tools: [{ name: 'exec', inputText: JSON.stringify(JSON.stringify({ command: 'touch ran.txt' })) }],
        },
        { text: 'ok' },
      ],
      {
        permissions: {
          rules: [...defaultRules, { tool: 'exec', pattern: '*', action: 'deny' }],
          mode: 'ask',
        },
      },
    );
    expect(existsSync(join(h.workspace, 'ran.txt'))).toBe(false);
    expect(eventsOfType(h.events, 'tool_result')[0]?.data).toMatchObject({
      ok: false,
      output: expect.stringMatching(/denied/i),
    });
  });

  it('compacts old tool output when the conversation nears the context window', async () => {
    await writeFile(join(h.workspace, 'big.txt'), 'x'.repeat(3_000));
    const read = { tools: [{ name: 'read', input: { path: 'big.txt' } }] };
    const { result } = await h.run([read, read, read, read, { text: 'done' }], { contextWindow: 3_000 });
    expect(result.status).toBe('completed');
    const compactions = eventsOfType(h.events, 'context_compacted');
    expect(compactions.length).toBeGreaterThan(0);
    expect(compactions[0]?.data.prunedToolOutputs).toBeGreaterThan(0);
  });

  it('does not compact while the conversation fits', async () => {
    await writeFile(join(h.workspace, 'big.txt'), 'x'.repeat(3_000));
    const read = { tools: [{ name: 'read', input: { path: 'big.txt' } }] };
    await h.run([read, read, read, read, { text: 'done' }]);
    expect(eventsOfType(h.events, 'context_compacted')).toHaveLength(0);
  });

  it('continues a session: the next turn sees the earlier conversation', async () => {
    await h.run([{ text: 'first answer' }], { text: 'first question' });
    await h.run([{ text: 'second answer' }], { text: 'second question' });
    const messages = await h.store.listMessages(h.sessionId);
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    const runs = eventsOfType(h.events, 'run_finished');
    expect(runs).toHaveLength(2);
    expect(h.events.map((e) => e.seq)).toEqual(h.events.map((_, i) => i + 1));
  });
});
