import type { EventDataOf, EventEnvelope, EventType } from '@aura/protocol';
import { describe, expect, it } from 'vitest';
import { applyEvents } from '../../state/reducer.ts';
import { emptySessionView } from '../../state/session-view.ts';
import { builderTimeline } from './builder-timeline.ts';

/** A session's events with consecutive seqs; `at` sets the time of the next ones. */
function eventLog() {
  const events: EventEnvelope[] = [];
  let ts = 0;
  const log = {
    at(time: number) {
      ts = time;
      return log;
    },
    add<T extends EventType>(type: T, data: EventDataOf<T>) {
      events.push({ seq: events.length + 1, sessionId: 's', ts, type, data } as EventEnvelope);
      return log;
    },
    timeline() {
      const view = applyEvents(emptySessionView, events);
      return builderTimeline(view.builder, view.files);
    },
  };
  return log;
}

const state = (next: EventDataOf<'state_change'>['state']) => ({ state: next });

function designedPhase(phase = 0) {
  return {
    phase,
    name: phase === 0 ? 'Todo list' : 'Filters',
    description: 'What the phase does',
    files: [
      { path: 'src/App.tsx', purpose: 'the list' },
      { path: 'src/todo.ts', purpose: 'the model' },
    ],
  };
}

/** A build up to verifying phase 0, 1 s per state. */
function firstPhase() {
  return eventLog()
    .add('run_started', { runId: 'b', model: 'm', mode: 'build', maxSteps: 15 })
    .at(1_000)
    .add('state_change', state('DESIGNING_PHASE'))
    .add('phase_designing', { phase: 0 })
    .at(5_000)
    .add('phase_designed', designedPhase())
    .add('state_change', state('IMPLEMENTING_PHASE'))
    .add('file_start', { path: 'src/App.tsx' })
    .add('file_chunk', { path: 'src/App.tsx', chunk: 'x' });
}

describe('builderTimeline', () => {
  it('shows the current step active, earlier ones done with their time, later ones pending', () => {
    const timeline = firstPhase().timeline();
    expect(timeline.outcome).toBe('running');
    expect(timeline.current?.steps).toEqual([
      { key: 'design', status: 'done', durationMs: 4_000 },
      { key: 'implement', status: 'active', durationMs: null },
      { key: 'install', status: 'pending', durationMs: null },
      { key: 'start', status: 'pending', durationMs: null },
      { key: 'verify', status: 'pending', durationMs: null },
    ]);
  });

  it('lists planned files with their writing status and counts what is written', () => {
    const writing = firstPhase().timeline();
    expect(writing.current?.files).toEqual([
      { path: 'src/App.tsx', purpose: 'the list', status: 'writing', bytes: null },
      { path: 'src/todo.ts', purpose: 'the model', status: 'planned', bytes: null },
    ]);
    const written = firstPhase()
      .add('file_end', { path: 'src/App.tsx', bytes: 120 })
      .add('files_written', { files: ['src/App.tsx', 'src/extra.css'] })
      .timeline();
    expect(written.current?.files.map((f) => [f.path, f.purpose, f.status])).toEqual([
      ['src/App.tsx', 'the list', 'written'],
      ['src/todo.ts', 'the model', 'planned'],
      ['src/extra.css', null, 'written'],
    ]);
    expect([written.filesWritten, written.filesTotal]).toEqual([2, 3]);
  });

  it('completes every step of a finished build, with time per step', () => {
    const timeline = firstPhase()
      .at(6_000)
      .add('state_change', state('INSTALLING_DEPS'))
      .at(8_000)
      .add('state_change', state('STARTING_SERVER'))
      .at(9_000)
      .add('state_change', state('VERIFYING'))
      .at(12_000)
      .add('generation_complete', { files: ['src/App.tsx'], phases: 1 })
      .add('state_change', state('COMPLETE'))
      .timeline();
    expect(timeline.outcome).toBe('complete');
    expect(timeline.current?.steps.map((s) => [s.key, s.status, s.durationMs])).toEqual([
      ['design', 'done', 4_000],
      ['implement', 'done', 1_000],
      ['install', 'done', 2_000],
      ['start', 'done', 1_000],
      ['verify', 'done', 3_000],
    ]);
  });

  it('counts fix rounds and adds their time to the step', () => {
    const timeline = firstPhase()
      .at(6_000)
      .add('state_change', state('VERIFYING'))
      .at(7_000)
      .add('error', { message: 'TS2304', kind: 'verification' })
      .add('state_change', state('IMPLEMENTING_PHASE'))
      .at(9_000)
      .add('state_change', state('VERIFYING'))
      .timeline();
    expect(timeline.current?.fixRounds).toBe(1);
    const implement = timeline.current?.steps.find((s) => s.key === 'implement');
    expect(implement).toEqual({ key: 'implement', status: 'done', durationMs: 3_000 });
    expect(timeline.current?.steps.find((s) => s.key === 'verify')?.status).toBe('active');
  });

  it('gives each phase its own stretch of the history and its own files', () => {
    const timeline = firstPhase()
      .at(6_000)
      .add('state_change', state('VERIFYING'))
      .at(7_000)
      .add('state_change', state('DESIGNING_PHASE'))
      .add('phase_designing', { phase: 1 })
      .at(8_000)
      .add('phase_designed', designedPhase(1))
      .add('state_change', state('IMPLEMENTING_PHASE'))
      .add('file_start', { path: 'src/todo.ts' })
      .timeline();
    const [first, second] = timeline.phases;
    expect(first?.status).toBe('done');
    expect(first?.steps.map((s) => s.status)).toEqual(['done', 'done', 'skipped', 'skipped', 'done']);
    expect(first?.files.map((f) => f.status)).toEqual(['written', 'planned']);
    expect(second?.steps[0]).toEqual({ key: 'design', status: 'done', durationMs: 1_000 });
    expect(second?.files.map((f) => f.status)).toEqual(['planned', 'writing']);
    expect(timeline.current?.index).toBe(1);
  });

  it('marks where a failed or stopped build ended', () => {
    const failed = firstPhase()
      .add('run_finished', { runId: 'b', status: 'error', steps: 1, error: 'boom' })
      .add('state_change', state('IDLE'))
      .timeline();
    expect(failed.outcome).toBe('failed');
    expect(failed.current?.steps.map((s) => s.status)).toEqual([
      'done',
      'failed',
      'pending',
      'pending',
      'pending',
    ]);
    const stopped = firstPhase()
      .add('run_finished', { runId: 'b', status: 'cancelled', steps: 1 })
      .timeline();
    expect(stopped.outcome).toBe('stopped');
    expect(stopped.current?.steps[1]?.status).toBe('stopped');
  });

  it('places a phase by its status when there is no history for it', () => {
    const phase = { index: 0, status: 'installing' as const, name: null, description: null, files: [] };
    const timeline = builderTimeline({ ...emptySessionView.builder, active: true, phases: [phase] }, {});
    expect(timeline.current?.steps.map((s) => s.status)).toEqual([
      'done',
      'done',
      'active',
      'pending',
      'pending',
    ]);
  });

  it('is empty before any phase', () => {
    expect(builderTimeline(emptySessionView.builder, {})).toEqual({
      phases: [],
      current: null,
      outcome: 'running',
      filesWritten: 0,
      filesTotal: 0,
    });
  });
});
