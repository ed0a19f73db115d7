import type { EventDataOf, RunStatus, SessionState } from '@aura/protocol';
import type { BuilderView, PhaseStatus, PhaseView } from './session-view.ts';

/** The phase status each builder state puts the current phase in. */
const phaseStatusOf: Partial<Record<SessionState, PhaseStatus>> = {
  DESIGNING_PHASE: 'designing',
  IMPLEMENTING_PHASE: 'implementing',
  INSTALLING_DEPS: 'installing',
  STARTING_SERVER: 'starting',
  VERIFYING: 'verifying',
};

const settled = new Set<PhaseStatus>(['done', 'failed', 'cancelled']);

function isBuilderState(state: SessionState): boolean {
  return state in phaseStatusOf || state === 'COMPLETE';
}

export function builderStateChanged(builder: BuilderView, state: SessionState, ts: number): BuilderView {
  if (!isBuilderState(state)) return builder;
  const history = [...builder.history, { state, ts }];
  if (state === 'COMPLETE') return { ...builder, active: true, history, phases: builder.phases.map(finish) };
  const status = phaseStatusOf[state];
  return { ...builder, active: true, history, phases: updateCurrent(builder.phases, status) };
}

export function phaseDesigning(builder: BuilderView, { phase }: EventDataOf<'phase_designing'>): BuilderView {
  const earlier = builder.phases.filter((p) => p.index < phase).map(finish);
  const started: PhaseView = { index: phase, status: 'designing', name: null, description: null, files: [] };
  // Phase 0 starts a new build: the files written belong to this build's phases.
  const writes = phase === 0 ? [] : builder.writes;
  return { ...builder, active: true, phases: [...earlier, started], writes };
}

export function phaseDesigned(builder: BuilderView, data: EventDataOf<'phase_designed'>): BuilderView {
  const designed: PhaseView = {
    index: data.phase,
    status: 'designed',
    name: data.name,
    description: data.description,
    files: data.files,
  };
  const others = builder.phases.filter((p) => p.index !== data.phase);
  const phases = [...others, designed].sort((a, b) => a.index - b.index);
  return { ...builder, active: true, phases };
}

export function generationComplete(
  builder: BuilderView,
  data: EventDataOf<'generation_complete'>,
): BuilderView {
  return { ...builder, complete: data, phases: builder.phases.map(finish) };
}

/** A build run that ended without completing leaves its current phase failed or cancelled. */
export function buildRunFinished(builder: BuilderView, status: RunStatus): BuilderView {
  if (!builder.active || status === 'completed') return builder;
  const outcome: PhaseStatus = status === 'cancelled' || status === 'interrupted' ? 'cancelled' : 'failed';
  return { ...builder, phases: updateCurrent(builder.phases, outcome) };
}

function updateCurrent(phases: PhaseView[], status: PhaseStatus | undefined): PhaseView[] {
  const current = phases.at(-1);
  if (!status || !current || settled.has(current.status)) return phases;
  return [...phases.slice(0, -1), { ...current, status }];
}

function finish(phase: PhaseView): PhaseView {
  return settled.has(phase.status) ? phase : { ...phase, status: 'done' };
}

/** Notes that the current phase wrote `path` (each path once per phase). */
export function builderFileWritten(builder: BuilderView, path: string): BuilderView {
  const phase = builder.phases.at(-1);
  if (!builder.active || !phase) return builder;
  if (builder.writes.some((w) => w.path === path && w.phase === phase.index)) return builder;
  return { ...builder, writes: [...builder.writes, { path, phase: phase.index }] };
}
