import type { EventDataOf, EventEnvelope, EventType } from '@aura/protocol';
import { describe, expect, it } from 'vitest';
import { applyEvent, applyEvents, MAX_PREVIEW_ERRORS } from './reducer.ts';
import { messageById, pendingPermissions, permissionById, toolCallById } from './selectors.ts';
import { emptySessionView, type SessionView } from './session-view.ts';

/** Builds a session's event log with consecutive seqs, as the server would persist it. */
function eventLog() {
  const events: EventEnvelope[] = [];
  const log = {
    events,
    add<T extends EventType>(type: T, data: EventDataOf<T>) {
      const seq = events.length + 1;
      events.push({ seq, sessionId: 'ses_1', ts: 1_000 + seq, type, data } as EventEnvelope);
      return log;
    },
  };
  return log;
}

const zeroUsage = {
  inputTokens: 10,
  outputTokens: 5,
  reasoningTokens: 0,
  cachedInputTokens: 0,
  costUsd: 0.001,
};

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function textOf(view: SessionView, messageId: string): string {
  return (messageById(view, messageId)?.parts ?? []).map((p) => (p.type === 'text' ? p.text : '')).join('');
}

/** A chat turn in the order docs/protocol.md gives. */
function chatTurn() {
  return eventLog()
    .add('message_user', { messageId: 'u1', text: 'Make a hello page' })
    .add('run_started', { runId: 'run1', model: 'script:demo.json', mode: 'chat', maxSteps: 15 })
    .add('state_change', { state: 'RUNNING', previous: 'IDLE' })
    .add('session_updated', { title: 'Make a hello page' })
    .add('message_start', { messageId: 'a1', model: 'script:demo.json', scripted: true })
    .add('reasoning_delta', { messageId: 'a1', delta: 'Plan: ' })
    .add('reasoning_delta', { messageId: 'a1', delta: 'one file.' })
    .add('text_delta', { messageId: 'a1', delta: 'Creating ' })
    .add('text_delta', { messageId: 'a1', delta: 'the file.' })
    .add('tool_call', { messageId: 'a1', toolCallId: 't1', tool: 'write', input: { path: 'index.html' } })
    .add('tool_result', {
      messageId: 'a1',
      toolCallId: 't1',
      tool: 'write',
      ok: true,
      output: 'Wrote index.html',
      durationMs: 3,
    })
    .add('usage', {
      messageId: 'a1',
      step: 0,
      model: 'script:demo.json',
      ...zeroUsage,
      session: { ...zeroUsage, steps: 1 },
    })
    .add('text_delta', { messageId: 'a1', delta: 'Done.' })
    .add('message_done', { messageId: 'a1', finishReason: 'stop', usage: zeroUsage })
    .add('run_finished', { runId: 'run1', status: 'completed', steps: 2 })
    .add('state_change', { state: 'IDLE', previous: 'RUNNING' });
}

describe('chat stream', () => {
  it('folds a whole turn into messages, parts in stream order, run and usage', () => {
    const view = applyEvents(emptySessionView, chatTurn().events);
    expect(view.lastSeq).toBe(16);
    expect(view.title).toBe('Make a hello page');
    expect(view.state).toBe('IDLE');
    expect(view.items.map((item) => [item.kind, item.seq])).toEqual([
      ['message', 1],
      ['message', 5],
    ]);
    expect(messageById(view, 'u1')).toMatchObject({
      role: 'user',
      parts: [{ type: 'text', text: 'Make a hello page' }],
    });
    expect(messageById(view, 'a1')).toMatchObject({
      role: 'assistant',
      model: 'script:demo.json',
      scripted: true,
      streaming: false,
      finishReason: 'stop',
      usage: zeroUsage,
      parts: [
        { type: 'reasoning', text: 'Plan: one file.' },
        { type: 'text', text: 'Creating the file.' },
        { type: 'tool', call: expect.objectContaining({ toolCallId: 't1', status: 'completed' }) },
        { type: 'text', text: 'Done.' },
      ],
    });
    expect(view.run).toEqual({
      runId: 'run1',
      model: 'script:demo.json',
      mode: 'chat',
      maxSteps: 15,
      status: 'completed',
      steps: 2,
      error: null,
    });
    expect(view.usage).toEqual({ ...zeroUsage, steps: 1 });
  });

  it('gives the same view whether events come one at a time or in one batch', () => {
    const { events } = chatTurn();
    const oneByOne = events.reduce(applyEvent, emptySessionView);
    expect(oneByOne).toEqual(applyEvents(emptySessionView, events));
  });

  it('marks the assistant message as streaming until message_done', () => {
    const { events } = chatTurn();
    const midway = applyEvents(emptySessionView, events.slice(0, 9));
    expect(messageById(midway, 'a1')?.streaming).toBe(true);
    expect(midway.run?.status).toBe('running');
    expect(midway.state).toBe('RUNNING');
    expect(textOf(midway, 'a1')).toBe('Creating the file.');
  });

  it('starts a new text part when a step without tool calls is followed by more text', () => {
    const log = eventLog()
      .add('message_start', { messageId: 'a1', model: 'm', scripted: false })
      .add('text_delta', { messageId: 'a1', delta: 'First step.' })
      .add('usage', {
        messageId: 'a1',
        step: 0,
        model: 'm',
        ...zeroUsage,
        session: { ...zeroUsage, steps: 1 },
      })
      .add('text_delta', { messageId: 'a1', delta: 'Second ' })
      .add('text_delta', { messageId: 'a1', delta: 'step.' });
    expect(messageById(applyEvents(emptySessionView, log.events), 'a1')?.parts).toEqual([
      { type: 'text', text: 'First step.' },
      { type: 'text', text: 'Second step.' },
    ]);
  });

  it('creates the assistant message when a delta arrives before message_start', () => {
    const log = eventLog().add('text_delta', { messageId: 'a9', delta: 'Hi' });
    const view = applyEvents(emptySessionView, log.events);
    expect(view.items).toMatchObject([{ kind: 'message', seq: 1, message: { id: 'a9' } }]);
    expect(messageById(view, 'a9')).toMatchObject({ role: 'assistant', streaming: true });
    expect(textOf(view, 'a9')).toBe('Hi');
  });

  it('keeps turns and notices in event order', () => {
    const log = chatTurn()
      .add('message_user', { messageId: 'u2', text: 'again' })
      .add('run_started', { runId: 'run2', model: 'm', mode: 'chat', maxSteps: 15 })
      .add('context_compacted', { prunedToolOutputs: 3, estimatedTokensBefore: 90_000 })
      .add('message_start', { messageId: 'a2', model: 'm', scripted: false })
      .add('error', { message: 'The provider refused the key.', kind: 'provider', retryable: false })
      .add('run_finished', { runId: 'run2', status: 'error', steps: 1, error: 'provider failed' });
    const view = applyEvents(emptySessionView, log.events);
    expect(view.items.map((item) => item.kind)).toEqual([
      'message',
      'message',
      'message',
      'compacted',
      'message',
      'error',
      'run_end',
    ]);
    expect(view.items.at(-2)).toEqual({
      kind: 'error',
      seq: 21,
      message: 'The provider refused the key.',
      errorKind: 'provider',
      retryable: false,
    });
    expect(messageById(view, 'a2')).toMatchObject({ streaming: false, finishReason: 'error' });
  });

  it('shows a provider retry until the stream moves on', () => {
    const log = eventLog()
      .add('message_start', { messageId: 'a1', model: 'm', scripted: false })
      .add('provider_retry', { attempt: 1, delayMs: 2_000, reason: '429 Too Many Requests' });
    const retrying = applyEvents(emptySessionView, log.events);
    expect(retrying.retry).toEqual({ attempt: 1, delayMs: 2_000, reason: '429 Too Many Requests' });
    log.add('text_delta', { messageId: 'a1', delta: 'ok' });
    expect(applyEvents(retrying, log.events).retry).toBeNull();
  });

  it('records the title, todos and checkpoints of a turn', () => {
    const log = chatTurn()
      .add('todo_updated', { items: [{ content: 'Write page', status: 'completed' }] })
      .add('checkpoint_created', {
        id: 'c0ffee',
        turn: { sessionId: 'ses_1', runId: 'run1', messageId: 'a1' },
        message: 'Make a hello page',
        files: [{ path: 'index.html', status: 'added' }],
      })
      .add('session_updated', { title: 'Hello page' })
      .add('session_updated', {});
    const view = applyEvents(emptySessionView, log.events);
    expect(view.title).toBe('Hello page');
    expect(view.todos).toEqual([{ content: 'Write page', status: 'completed' }]);
    expect(view.checkpoints.map((c) => c.id)).toEqual(['c0ffee']);
    expect(messageById(view, 'a1')?.checkpointId).toBe('c0ffee');
  });
});

describe('sequence numbers', () => {
  it('applies each event once when a resume replays what was already seen', () => {
    const { events } = chatTurn();
    const beforeDrop = applyEvents(emptySessionView, events.slice(0, 10));
    // The reconnect resumed from an older cursor: events 6..16 arrive, 6..10 for the second time.
    const afterResume = applyEvents(beforeDrop, events.slice(5));
    expect(afterResume).toEqual(applyEvents(emptySessionView, events));
    expect(textOf(afterResume, 'a1')).toBe('Creating the file.Done.');
    expect(messageById(afterResume, 'a1')?.parts.filter((p) => p.type === 'tool')).toHaveLength(1);
  });

  it('returns the same view object when every event is a duplicate', () => {
    const { events } = chatTurn();
    const view = applyEvents(emptySessionView, events);
    expect(applyEvents(view, events)).toBe(view);
    expect(applyEvent(view, events[3]!)).toBe(view);
  });

  it('skips an older event that arrives after a newer one', () => {
    const { events } = chatTurn();
    const view = applyEvents(emptySessionView, [events[0]!, events[2]!, events[1]!]);
    expect(view.lastSeq).toBe(3);
    expect(view.run).toBeNull();
    expect(view.state).toBe('RUNNING');
  });

  it('never changes the view it was given', () => {
    const { events } = chatTurn();
    const before = deepFreeze(applyEvents(emptySessionView, events.slice(0, 8)));
    const snapshot = structuredClone(before);
    const after = applyEvents(before, events);
    expect(before).toEqual(snapshot);
    expect(after).not.toBe(before);
    expect(after.lastSeq).toBe(16);
  });
});

describe('tool calls', () => {
  const call = { messageId: 'a1', toolCallId: 't1', tool: 'edit', input: { path: 'a.ts' } };

  it('goes from running to completed with output, duration and metadata', () => {
    const log = eventLog().add('tool_call', call);
    const running = applyEvents(emptySessionView, log.events);
    expect(toolCallById(running, 't1')).toMatchObject({
      status: 'running',
      output: null,
      input: { path: 'a.ts' },
    });
    log.add('tool_result', {
      ...call,
      ok: true,
      output: 'Edited a.ts',
      durationMs: 12,
      metadata: { diff: '-a\n+b' },
    });
    const done = applyEvents(running, log.events);
    expect(toolCallById(done, 't1')).toEqual({
      toolCallId: 't1',
      messageId: 'a1',
      tool: 'edit',
      input: { path: 'a.ts' },
      status: 'completed',
      output: 'Edited a.ts',
      durationMs: 12,
      metadata: { diff: '-a\n+b' },
    });
  });

  it('marks a failed call as an error', () => {
    const log = eventLog()
      .add('tool_call', call)
      .add('tool_result', { ...call, ok: false, output: 'old_string not found', durationMs: 1 });
    expect(toolCallById(applyEvents(emptySessionView, log.events), 't1')?.status).toBe('error');
  });

  it('keeps a result whose call it never saw, once, in the message', () => {
    const log = eventLog().add('tool_result', { ...call, ok: true, output: 'ok', durationMs: 1 });
    const view = applyEvents(emptySessionView, log.events);
    expect(toolCallById(view, 't1')).toMatchObject({ status: 'completed', input: null });
    expect(messageById(view, 'a1')?.parts).toEqual([
      { type: 'tool', call: expect.objectContaining({ toolCallId: 't1' }) },
    ]);
  });

  it('lists several calls of one step in call order', () => {
    const log = eventLog()
      .add('tool_call', { ...call, toolCallId: 't1' })
      .add('tool_call', { ...call, toolCallId: 't2', tool: 'read' })
      .add('tool_result', { ...call, toolCallId: 't2', tool: 'read', ok: true, output: '', durationMs: 1 })
      .add('tool_result', { ...call, toolCallId: 't1', ok: true, output: '', durationMs: 2 });
    const view = applyEvents(emptySessionView, log.events);
    expect(messageById(view, 'a1')?.parts.map((p) => (p.type === 'tool' ? p.call.toolCallId : ''))).toEqual([
      't1',
      't2',
    ]);
    expect([toolCallById(view, 't1')?.status, toolCallById(view, 't2')?.status]).toEqual([
      'completed',
      'completed',
    ]);
  });
});

describe('tool call ids reused by a later message', () => {
  it('gives each message its own call, and finds the newest by id', () => {
    const call = { toolCallId: 'call_script_1_0', tool: 'write', input: { path: 'a.txt' } };
    const result = { toolCallId: 'call_script_1_0', tool: 'write', ok: true, output: 'ok', durationMs: 1 };
    const log = eventLog()
      .add('tool_call', { ...call, messageId: 'a1' })
      .add('tool_result', { ...result, messageId: 'a1' })
      .add('tool_call', { ...call, messageId: 'a2', input: { path: 'b.txt' } })
      .add('tool_result', { ...result, messageId: 'a2', ok: false });
    const view = applyEvents(emptySessionView, log.events);
    const calls = (id: string) =>
      messageById(view, id)?.parts.map((p) => (p.type === 'tool' ? p.call : null));
    expect(calls('a1')).toEqual([expect.objectContaining({ input: { path: 'a.txt' }, status: 'completed' })]);
    expect(calls('a2')).toEqual([expect.objectContaining({ input: { path: 'b.txt' }, status: 'error' })]);
    expect(toolCallById(view, 'call_script_1_0')?.messageId).toBe('a2');
  });
});

describe('permissions', () => {
  const request = {
    requestId: 'p1',
    tool: 'exec',
    input: { command: 'rm -rf dist' },
    subject: 'rm -rf dist',
    description: 'Run a shell command',
  };

  function asked() {
    return eventLog()
      .add('run_started', { runId: 'r1', model: 'm', mode: 'chat', maxSteps: 15 })
      .add('tool_call', { messageId: 'a1', toolCallId: 't1', tool: 'exec', input: request.input })
      .add('permission_request', request)
      .add('state_change', { state: 'WAITING_PERMISSION', previous: 'RUNNING' });
  }

  it('opens a pending prompt under the tool call that asked', () => {
    const view = applyEvents(emptySessionView, asked().events);
    expect(view.state).toBe('WAITING_PERMISSION');
    expect(permissionById(view, 'p1')).toEqual({ ...request, status: 'pending', message: null });
    expect(messageById(view, 'a1')?.parts.map((p) => p.type)).toEqual(['tool', 'permission']);
    expect(view.items).toHaveLength(1);
  });

  it('keeps later text of the turn after the prompt', () => {
    const log = asked()
      .add('permission_resolved', { requestId: 'p1', reply: 'once' })
      .add('text_delta', { messageId: 'a1', delta: 'Done.' });
    const view = applyEvents(emptySessionView, log.events);
    expect(messageById(view, 'a1')?.parts.map((p) => p.type)).toEqual(['tool', 'permission', 'text']);
  });

  it('shows a prompt on its own when no assistant message is streaming', () => {
    const log = eventLog()
      .add('message_user', { messageId: 'u1', text: 'go' })
      .add('permission_request', request);
    const view = applyEvents(emptySessionView, log.events);
    expect(view.items.at(-1)).toMatchObject({ kind: 'permission', seq: 2, request: { requestId: 'p1' } });
    log.add('permission_resolved', { requestId: 'p1', reply: 'reject' });
    expect(permissionById(applyEvents(view, log.events), 'p1')?.status).toBe('rejected');
  });

  it.each([
    ['once', 'allowed_once'],
    ['always', 'allowed_always'],
    ['reject', 'rejected'],
  ] as const)('closes it when answered %s', (reply, status) => {
    const log = asked().add('permission_resolved', {
      requestId: 'p1',
      reply,
      message: 'use a safer command',
    });
    expect(permissionById(applyEvents(emptySessionView, log.events), 'p1')).toMatchObject({
      status,
      message: 'use a safer command',
    });
  });

  it('lists the requests still waiting, oldest first, wherever they sit', () => {
    const second = { ...request, requestId: 'p2', subject: 'ls' };
    const log = asked().add('permission_request', second);
    const view = applyEvents(emptySessionView, log.events);
    expect(pendingPermissions(view).map((r) => r.requestId)).toEqual(['p1', 'p2']);
    log.add('permission_resolved', { requestId: 'p1', reply: 'once' });
    expect(pendingPermissions(applyEvents(view, log.events)).map((r) => r.requestId)).toEqual(['p2']);
    const alone = eventLog().add('permission_request', request);
    expect(pendingPermissions(applyEvents(emptySessionView, alone.events))).toHaveLength(1);
    expect(pendingPermissions(emptySessionView)).toEqual([]);
  });

  it('ignores an answer to a request it never saw', () => {
    const log = eventLog().add('permission_resolved', { requestId: 'nope', reply: 'once' });
    const view = applyEvents(emptySessionView, log.events);
    expect(view.permissionAt).toEqual({});
    expect(view.items).toEqual([]);
  });

  it('expires a prompt nobody answered when the run is cancelled', () => {
    const log = asked().add('run_finished', { runId: 'r1', status: 'cancelled', steps: 1 });
    const view = applyEvents(emptySessionView, log.events);
    expect(permissionById(view, 'p1')?.status).toBe('expired');
    expect(toolCallById(view, 't1')?.status).toBe('interrupted');
  });
});

/** A one-phase build, in the order docs/protocol.md gives. */
function build() {
  return eventLog()
    .add('message_user', { messageId: 'u1', text: 'Build a todo app' })
    .add('run_started', { runId: 'b1', model: 'm', mode: 'build', maxSteps: 15 })
    .add('state_change', { state: 'DESIGNING_PHASE', previous: 'IDLE' })
    .add('phase_designing', { phase: 0 })
    .add('phase_designed', {
      phase: 0,
      name: 'Todo list',
      description: 'A list with add and remove',
      files: [{ path: 'src/App.tsx', purpose: 'the list' }],
    })
    .add('state_change', { state: 'IMPLEMENTING_PHASE', previous: 'DESIGNING_PHASE' })
    .add('message_start', { messageId: 'a1', model: 'm', scripted: false })
    .add('file_start', { path: 'src/App.tsx' })
    .add('file_chunk', { path: 'src/App.tsx', chunk: 'export ' })
    .add('file_chunk', { path: 'src/App.tsx', chunk: 'default App;' })
    .add('file_end', { path: 'src/App.tsx', bytes: 19 })
    .add('files_written', { files: ['src/App.tsx'] })
    .add('state_change', { state: 'INSTALLING_DEPS', previous: 'IMPLEMENTING_PHASE' })
    .add('deps_installed', { command: 'npm install', durationMs: 800 })
    .add('state_change', { state: 'STARTING_SERVER', previous: 'INSTALLING_DEPS' })
    .add('server_started', { url: 'http://p-prj-1.localhost:3000/' })
    .add('state_change', { state: 'VERIFYING', previous: 'STARTING_SERVER' });
}

describe('app builder', () => {
  it('advances the current phase with each builder state', () => {
    const { events } = build();
    const statusAfter = (n: number) =>
      applyEvents(emptySessionView, events.slice(0, n)).builder.phases[0]?.status;
    expect(statusAfter(4)).toBe('designing');
    expect(statusAfter(5)).toBe('designed');
    expect(statusAfter(6)).toBe('implementing');
    expect(statusAfter(13)).toBe('installing');
    expect(statusAfter(15)).toBe('starting');
    expect(statusAfter(17)).toBe('verifying');
  });

  it('records the plan, dependencies, preview URL and state history', () => {
    const view = applyEvents(emptySessionView, build().events);
    expect(view.builder.active).toBe(true);
    expect(view.builder.phases).toEqual([
      {
        index: 0,
        status: 'verifying',
        name: 'Todo list',
        description: 'A list with add and remove',
        files: [{ path: 'src/App.tsx', purpose: 'the list' }],
      },
    ]);
    expect(view.builder.deps).toEqual({ command: 'npm install', durationMs: 800 });
    expect(view.previewUrl).toBe('http://p-prj-1.localhost:3000/');
    expect(view.builder.history.map((h) => h.state)).toEqual([
      'DESIGNING_PHASE',
      'IMPLEMENTING_PHASE',
      'INSTALLING_DEPS',
      'STARTING_SERVER',
      'VERIFYING',
    ]);
    expect(view.builder.history[0]?.ts).toBe(1_003);
  });

  it('completes every phase with generation_complete and COMPLETE', () => {
    const log = build()
      .add('generation_complete', { files: ['src/App.tsx'], phases: 1 })
      .add('state_change', { state: 'COMPLETE', previous: 'VERIFYING' })
      .add('run_finished', { runId: 'b1', status: 'completed', steps: 3 });
    const view = applyEvents(emptySessionView, log.events);
    expect(view.builder.phases.map((p) => p.status)).toEqual(['done']);
    expect(view.builder.complete).toEqual({ files: ['src/App.tsx'], phases: 1 });
    expect(view.state).toBe('COMPLETE');
    expect(view.items.some((item) => item.kind === 'run_end')).toBe(false);
  });

  it('counts a verification problem and goes back to implementing', () => {
    const log = build()
      .add('error', { message: 'src/App.tsx(1,1): error TS2304', kind: 'verification' })
      .add('state_change', { state: 'IMPLEMENTING_PHASE', previous: 'VERIFYING' });
    const view = applyEvents(emptySessionView, log.events);
    expect(view.builder.fixRounds).toBe(1);
    expect(view.builder.phases[0]?.status).toBe('implementing');
    expect(view.items.at(-1)).toMatchObject({ kind: 'error', errorKind: 'verification' });
  });

  it('finishes a phase when the next one starts designing', () => {
    const log = build()
      .add('state_change', { state: 'DESIGNING_PHASE', previous: 'VERIFYING' })
      .add('phase_designing', { phase: 1 });
    const view = applyEvents(emptySessionView, log.events);
    expect(view.builder.phases.map((p) => [p.index, p.status])).toEqual([
      [0, 'done'],
      [1, 'designing'],
    ]);
  });

  it('fails the current phase when the build ends with an error', () => {
    const log = build()
      .add('error', { message: 'The dev server did not start.' })
      .add('run_finished', { runId: 'b1', status: 'error', steps: 4, error: 'The dev server did not start.' })
      .add('state_change', { state: 'IDLE', previous: 'VERIFYING' });
    const view = applyEvents(emptySessionView, log.events);
    expect(view.builder.phases[0]?.status).toBe('failed');
    expect(view.state).toBe('IDLE');
    expect(view.builder.history.at(-1)?.state).toBe('VERIFYING');
    expect(view.items.at(-1)).toMatchObject({ kind: 'run_end', status: 'error' });
  });
});

describe('builder writes', () => {
  it('records each file once per phase it was written in, streamed or not', () => {
    const log = build()
      .add('state_change', { state: 'DESIGNING_PHASE', previous: 'VERIFYING' })
      .add('phase_designing', { phase: 1 })
      .add('file_start', { path: 'src/App.tsx' })
      .add('file_start', { path: 'src/App.tsx' })
      .add('files_written', { files: ['src/App.tsx', 'src/api.ts'] });
    expect(applyEvents(emptySessionView, log.events).builder.writes).toEqual([
      { path: 'src/App.tsx', phase: 0 },
      { path: 'src/App.tsx', phase: 1 },
      { path: 'src/api.ts', phase: 1 },
    ]);
  });

  it('starts the list over when a new build designs its first phase', () => {
    const log = build()
      .add('run_finished', { runId: 'b1', status: 'completed', steps: 3 })
      .add('state_change', { state: 'DESIGNING_PHASE', previous: 'COMPLETE' })
      .add('phase_designing', { phase: 0 })
      .add('file_start', { path: 'src/Other.tsx' });
    expect(applyEvents(emptySessionView, log.events).builder.writes).toEqual([
      { path: 'src/Other.tsx', phase: 0 },
    ]);
  });

  it('leaves writes outside a build alone', () => {
    const log = eventLog()
      .add('file_start', { path: 'a.ts' })
      .add('files_written', { files: ['b.ts'] });
    expect(applyEvents(emptySessionView, log.events).builder.writes).toEqual([]);
  });
});

describe('turn usage', () => {
  const step = (costUsd: number | null, steps: number) =>
    ({
      messageId: 'a1',
      step: steps - 1,
      model: 'm',
      ...zeroUsage,
      costUsd,
      session: { ...zeroUsage, steps },
    }) as const;

  it('sums the steps of the latest run and starts over with the next', () => {
    const log = chatTurn();
    expect(applyEvents(emptySessionView, log.events).turnUsage).toEqual({ ...zeroUsage, steps: 1 });
    log
      .add('run_started', { runId: 'run2', model: 'm', mode: 'chat', maxSteps: 15 })
      .add('usage', step(0.002, 2))
      .add('usage', step(0.003, 3));
    const view = applyEvents(emptySessionView, log.events);
    expect(view.turnUsage).toMatchObject({ inputTokens: 20, outputTokens: 10, steps: 2 });
    expect(view.turnUsage?.costUsd).toBeCloseTo(0.005);
  });

  it('keeps the cost unknown until a step has a price, then sums the known ones', () => {
    const log = eventLog()
      .add('run_started', { runId: 'r1', model: 'm', mode: 'chat', maxSteps: 15 })
      .add('usage', step(null, 1));
    expect(applyEvents(emptySessionView, log.events).turnUsage?.costUsd).toBeNull();
    log.add('usage', step(0.01, 2));
    expect(applyEvents(emptySessionView, log.events).turnUsage?.costUsd).toBe(0.01);
  });
});

describe('file writing markers', () => {
  it('marks a file as writing while it streams and written at its end', () => {
    const { events } = build();
    const writing = applyEvents(emptySessionView, events.slice(0, 9));
    expect(writing.files['src/App.tsx']).toEqual({
      path: 'src/App.tsx',
      status: 'writing',
      content: 'export ',
      bytes: null,
    });
    const written = applyEvents(writing, events.slice(0, 11));
    expect(written.files['src/App.tsx']).toEqual({
      path: 'src/App.tsx',
      status: 'written',
      content: 'export default App;',
      bytes: 19,
    });
  });

  it('marks files written without streaming, keeping what streamed', () => {
    const log = eventLog()
      .add('file_start', { path: 'a.ts' })
      .add('file_chunk', { path: 'a.ts', chunk: 'x' })
      .add('files_written', { files: ['b.ts'] });
    const view = applyEvents(emptySessionView, log.events);
    expect(view.files['a.ts']?.status).toBe('writing');
    expect(view.files['b.ts']).toEqual({ path: 'b.ts', status: 'written', content: null, bytes: null });
    log.add('files_written', { files: ['a.ts'] });
    expect(applyEvents(view, log.events).files['a.ts']).toEqual({
      path: 'a.ts',
      status: 'written',
      content: 'x',
      bytes: null,
    });
  });

  it('starts a file over when the agent writes it again', () => {
    const log = eventLog()
      .add('file_start', { path: 'a.ts' })
      .add('file_chunk', { path: 'a.ts', chunk: 'old' })
      .add('file_end', { path: 'a.ts', bytes: 3 })
      .add('file_start', { path: 'a.ts' })
      .add('file_chunk', { path: 'a.ts', chunk: 'new' });
    expect(applyEvents(emptySessionView, log.events).files['a.ts']).toMatchObject({
      status: 'writing',
      content: 'new',
    });
  });
});

describe('cancelled and interrupted runs', () => {
  it('ends a cancelled turn: streaming stops, the notice shows, the tool call closes', () => {
    const log = eventLog()
      .add('message_user', { messageId: 'u1', text: 'go' })
      .add('run_started', { runId: 'r1', model: 'm', mode: 'chat', maxSteps: 15 })
      .add('message_start', { messageId: 'a1', model: 'm', scripted: false })
      .add('text_delta', { messageId: 'a1', delta: 'Working' })
      .add('tool_call', { messageId: 'a1', toolCallId: 't1', tool: 'exec', input: { command: 'sleep 9' } })
      .add('tool_result', {
        messageId: 'a1',
        toolCallId: 't1',
        tool: 'exec',
        ok: false,
        output: 'Cancelled.',
        durationMs: 40,
      })
      .add('message_done', { messageId: 'a1', finishReason: 'cancelled', usage: null })
      .add('run_finished', { runId: 'r1', status: 'cancelled', steps: 1 })
      .add('state_change', { state: 'IDLE', previous: 'RUNNING' });
    const view = applyEvents(emptySessionView, log.events);
    expect(view.run).toMatchObject({ status: 'cancelled', steps: 1 });
    expect(messageById(view, 'a1')).toMatchObject({ streaming: false, finishReason: 'cancelled' });
    expect(toolCallById(view, 't1')?.status).toBe('error');
    expect(view.items.at(-1)).toEqual({
      kind: 'run_end',
      seq: 8,
      runId: 'r1',
      status: 'cancelled',
      error: null,
    });
  });

  it('closes everything a run killed with its process left open', () => {
    const log = eventLog()
      .add('run_started', { runId: 'r1', model: 'm', mode: 'chat', maxSteps: 15 })
      .add('message_start', { messageId: 'a1', model: 'm', scripted: false })
      .add('tool_call', { messageId: 'a1', toolCallId: 't1', tool: 'exec', input: {} })
      .add('run_finished', { runId: 'r1', status: 'interrupted', steps: 0 })
      .add('state_change', { state: 'INTERRUPTED', previous: 'RUNNING' });
    const view = applyEvents(emptySessionView, log.events);
    expect(view.state).toBe('INTERRUPTED');
    expect(messageById(view, 'a1')).toMatchObject({ streaming: false, finishReason: 'cancelled' });
    expect(toolCallById(view, 't1')?.status).toBe('interrupted');
    expect(view.items.at(-1)).toMatchObject({ kind: 'run_end', status: 'interrupted' });
  });

  it('marks a cancelled build phase as cancelled', () => {
    const log = build().add('run_finished', { runId: 'b1', status: 'cancelled', steps: 2 });
    expect(applyEvents(emptySessionView, log.events).builder.phases[0]?.status).toBe('cancelled');
  });

  it('leaves a finished build alone when a later chat run is cancelled', () => {
    const log = build()
      .add('generation_complete', { files: [], phases: 1 })
      .add('run_finished', { runId: 'b1', status: 'completed', steps: 3 })
      .add('run_started', { runId: 'r2', model: 'm', mode: 'chat', maxSteps: 15 })
      .add('run_finished', { runId: 'r2', status: 'cancelled', steps: 0 });
    expect(applyEvents(emptySessionView, log.events).builder.phases[0]?.status).toBe('done');
  });

  it('records a run_finished whose start it never saw', () => {
    const log = eventLog().add('run_finished', { runId: 'old', status: 'interrupted', steps: 2 });
    expect(applyEvents(emptySessionView, log.events).run).toMatchObject({
      runId: 'old',
      status: 'interrupted',
    });
  });
});

describe('preview errors', () => {
  it('keeps the newest ones, in order', () => {
    const log = eventLog();
    for (let i = 0; i < MAX_PREVIEW_ERRORS + 5; i++)
      log.add('preview_error', { kind: 'console', message: `e${i}` });
    const view = applyEvents(emptySessionView, log.events);
    expect(view.previewErrors).toHaveLength(MAX_PREVIEW_ERRORS);
    expect(view.previewErrors[0]?.message).toBe('e5');
    expect(view.previewErrors.at(-1)).toMatchObject({
      message: `e${MAX_PREVIEW_ERRORS + 4}`,
      kind: 'console',
    });
  });
});
