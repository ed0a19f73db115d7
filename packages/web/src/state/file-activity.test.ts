import type { EventDataOf, EventEnvelope, EventType } from '@aura/protocol';
import { describe, expect, it } from 'vitest';
import { applyEvents } from './reducer.ts';
import { emptySessionView } from './session-view.ts';

function eventLog() {
  const events: EventEnvelope[] = [];
  const log = {
    events,
    add<T extends EventType>(type: T, data: EventDataOf<T>) {
      const seq = events.length + 1;
      events.push({ seq, sessionId: 'ses_1', ts: 1_000 + seq, type, data } as EventEnvelope);
      return log;
    },
    call(id: string, tool: string, input: unknown) {
      return log.add('tool_call', { messageId: 'a1', toolCallId: id, tool, input });
    },
    result(id: string, tool: string, ok: boolean, metadata?: Record<string, unknown>) {
      return log.add('tool_result', {
        messageId: 'a1',
        toolCallId: id,
        tool,
        ok,
        output: '',
        durationMs: 1,
        ...(metadata ? { metadata } : {}),
      });
    },
  };
  return log.add('run_started', { runId: 'run1', model: 'm', mode: 'chat', maxSteps: 15 });
}

const fold = (log: ReturnType<typeof eventLog>) => applyEvents(emptySessionView, log.events);

describe('files the agent is writing', () => {
  it('marks the path of a running write or edit until its result', () => {
    const log = eventLog()
      .call('t1', 'write', { path: 'src/a.ts', content: 'x' })
      .call('t2', 'edit', { path: 'b.css', old_string: 'a', new_string: 'b' })
      .call('t3', 'read', { path: 'c.ts' });
    expect(fold(log).fileWrites).toEqual({ t1: 'src/a.ts', t2: 'b.css' });
    log.result('t1', 'write', true, { path: 'src/a.ts' });
    expect(fold(log).fileWrites).toEqual({ t2: 'b.css' });
  });

  it('clears every mark when the run ends, even for calls that never finished', () => {
    const log = eventLog()
      .call('t1', 'write', { path: 'a.ts', content: 'x' })
      .add('run_finished', { runId: 'run1', status: 'cancelled', steps: 1 });
    expect(fold(log).fileWrites).toEqual({});
  });
});

describe('changes the agent made', () => {
  it('records writes, edits, deletes and moves with the event and the run', () => {
    const log = eventLog()
      .call('t1', 'write', { path: 'a.ts', content: 'x' })
      .result('t1', 'write', true, { path: 'a.ts', bytes: 1 })
      .call('t2', 'edit', { path: 'b.ts' })
      .result('t2', 'edit', true, { path: 'b.ts' })
      .call('t3', 'delete', { path: 'old' })
      .result('t3', 'delete', true, { path: 'old', kind: 'dir' })
      .call('t4', 'move', { from: 'x.ts', to: 'y/x.ts' })
      .result('t4', 'move', true, { from: 'x.ts', to: 'y/x.ts' });
    expect(fold(log).fileChanges).toEqual([
      { seq: 3, runId: 'run1', kind: 'written', path: 'a.ts' },
      { seq: 5, runId: 'run1', kind: 'written', path: 'b.ts' },
      { seq: 7, runId: 'run1', kind: 'deleted', path: 'old' },
      { seq: 9, runId: 'run1', kind: 'moved', path: 'x.ts', to: 'y/x.ts' },
    ]);
  });

  it('takes the path from the call when the result has no metadata', () => {
    const log = eventLog().call('t1', 'write', { path: 'a.ts', content: 'x' }).result('t1', 'write', true);
    expect(fold(log).fileChanges).toMatchObject([{ kind: 'written', path: 'a.ts' }]);
  });

  it('records every file of a patch, deleted ones as deleted', () => {
    const log = eventLog().result('t1', 'apply_patch', true, {
      files: [
        { path: 'a.ts', status: 'modified' },
        { path: 'b.ts', status: 'added' },
        { path: 'c.ts', status: 'deleted' },
      ],
    });
    expect(fold(log).fileChanges).toMatchObject([
      { kind: 'written', path: 'a.ts' },
      { kind: 'written', path: 'b.ts' },
      { kind: 'deleted', path: 'c.ts' },
    ]);
  });

  it('ignores failed file tools and tools that change nothing', () => {
    const log = eventLog()
      .call('t1', 'write', { path: 'a.ts', content: 'x' })
      .result('t1', 'write', false)
      .call('t2', 'read', { path: 'b.ts' })
      .result('t2', 'read', true, { path: 'b.ts' });
    expect(fold(log).fileChanges).toEqual([]);
  });

  it('treats a command, failed or not, and MCP tools as changing unknown files', () => {
    const log = eventLog()
      .result('t1', 'exec', false, { exitCode: 1 })
      .result('t2', 'mcp__fs__write_file', true);
    expect(fold(log).fileChanges).toEqual([
      { seq: 2, runId: 'run1', kind: 'unknown' },
      { seq: 3, runId: 'run1', kind: 'unknown' },
    ]);
  });

  it('records the files a builder turn reports written', () => {
    const log = eventLog().add('files_written', { files: ['src/App.tsx', 'src/App.css'] });
    expect(fold(log).fileChanges).toEqual([
      { seq: 2, runId: 'run1', kind: 'written', path: 'src/App.tsx' },
      { seq: 2, runId: 'run1', kind: 'written', path: 'src/App.css' },
    ]);
  });

  it('leaves the view it started from untouched', () => {
    const log = eventLog().call('t1', 'write', { path: 'a.ts', content: 'x' });
    const before = fold(log);
    log.result('t1', 'write', true);
    const after = applyEvents(before, log.events);
    expect(before.fileWrites).toEqual({ t1: 'a.ts' });
    expect(before.fileChanges).toEqual([]);
    expect(after.fileChanges).toHaveLength(1);
  });
});
