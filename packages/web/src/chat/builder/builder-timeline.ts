import type { SessionState } from '@aura/protocol';
import type { BuilderView, FileWriteView, PhaseStatus, PhaseView } from '../../state/session-view.ts';

export type StepKey = 'design' | 'implement' | 'install' | 'start' | 'verify';
export type StepStatus = 'pending' | 'active' | 'done' | 'failed' | 'stopped' | 'skipped';
export type FileStatus = 'planned' | 'writing' | 'written';

export interface TimelineStep {
  key: StepKey;
  status: StepStatus;
  /** Time spent in the step (all its rounds); null until it has ended. */
  durationMs: number | null;
}

export interface TimelineFile {
  path: string;
  /** Why the plan wants it; null for a file the phase wrote without planning it. */
  purpose: string | null;
  status: FileStatus;
  bytes: number | null;
}

export interface PhaseTimeline {
  index: number;
  name: string | null;
  description: string | null;
  status: PhaseStatus;
  steps: TimelineStep[];
  files: TimelineFile[];
  /** Verification sent the phase back to implementing this many times. */
  fixRounds: number;
}

export interface BuilderTimeline {
  phases: PhaseTimeline[];
  current: PhaseTimeline | null;
  outcome: 'running' | 'complete' | 'failed' | 'stopped';
  filesWritten: number;
  filesTotal: number;
}

const stepOrder: readonly StepKey[] = ['design', 'implement', 'install', 'start', 'verify'];

const stepOfState: Partial<Record<SessionState, StepKey>> = {
  DESIGNING_PHASE: 'design',
  IMPLEMENTING_PHASE: 'implement',
  INSTALLING_DEPS: 'install',
  STARTING_SERVER: 'start',
  VERIFYING: 'verify',
};

/** Where a phase is when its history says nothing (a view folded without the state changes). */
const stepOfStatus: Partial<Record<PhaseStatus, StepKey>> = {
  designing: 'design',
  implementing: 'implement',
  installing: 'install',
  starting: 'start',
  verifying: 'verify',
};

type Entry = BuilderView['history'][number];

/**
 * The app builder's progress as a timeline: per phase, its steps (with time spent, derived from
 * the state history: each DESIGNING_PHASE opens the next phase's stretch of it) and its files
 * (planned ones, and any others it wrote, with their writing status).
 */
export function builderTimeline(builder: BuilderView, files: Record<string, FileWriteView>): BuilderTimeline {
  // The newest stretches belong to the phases on record: an earlier build's come before them.
  const stretches = phaseStretches(builder.history).slice(-builder.phases.length);
  const phases = builder.phases.map((phase, order) => {
    const stretch = stretches[order] ?? { entries: [], endTs: null };
    return {
      index: phase.index,
      name: phase.name,
      description: phase.description,
      status: phase.status,
      steps: phaseSteps(phase, stretch),
      files: phaseFiles(phase, builder, files),
      fixRounds: Math.max(0, stretch.entries.filter((e) => e.state === 'IMPLEMENTING_PHASE').length - 1),
    };
  });
  const last = phases.at(-1);
  const outcome =
    builder.complete && last?.status === 'done'
      ? 'complete'
      : last?.status === 'failed'
        ? 'failed'
        : last?.status === 'cancelled'
          ? 'stopped'
          : 'running';
  const paths = new Map<string, boolean>();
  for (const phase of phases)
    for (const file of phase.files)
      paths.set(file.path, paths.get(file.path) === true || file.status === 'written');
  return {
    phases,
    current: last ?? null,
    outcome,
    filesWritten: [...paths.values()].filter(Boolean).length,
    filesTotal: paths.size,
  };
}

interface Stretch {
  entries: Entry[];
  /** When the stretch's last state ended (the next state's time), null while it lasts. */
  endTs: number | null;
}

function phaseStretches(history: readonly Entry[]): Stretch[] {
  const stretches: Stretch[] = [];
  for (const [at, entry] of history.entries()) {
    if (entry.state === 'DESIGNING_PHASE' || stretches.length === 0)
      stretches.push({ entries: [], endTs: null });
    const stretch = stretches.at(-1)!;
    if (entry.state === 'COMPLETE') {
      stretch.endTs = entry.ts;
      continue;
    }
    stretch.entries.push(entry);
    stretch.endTs = history[at + 1]?.ts ?? null;
  }
  return stretches;
}

function phaseSteps(phase: PhaseView, { entries, endTs }: Stretch): TimelineStep[] {
  const spent = new Map<StepKey, number>();
  const reached = new Set<StepKey>();
  for (const [at, entry] of entries.entries()) {
    const key = stepOfState[entry.state];
    if (!key) continue;
    reached.add(key);
    const end = entries[at + 1]?.ts ?? endTs;
    if (end !== null) spent.set(key, (spent.get(key) ?? 0) + (end - entry.ts));
  }
  const lastState = entries.at(-1)?.state;
  const position = (lastState && stepOfState[lastState]) ?? stepOfStatus[phase.status] ?? null;
  const settled = phase.status === 'done' || phase.status === 'failed' || phase.status === 'cancelled';
  // A designed phase is between states: its plan is done, implementing has not begun.
  const ongoing = !settled && endTs === null && phase.status !== 'designed';
  const endStatus: StepStatus =
    phase.status === 'failed' ? 'failed' : phase.status === 'cancelled' ? 'stopped' : 'done';
  const before = (key: StepKey) => position !== null && stepOrder.indexOf(key) < stepOrder.indexOf(position);
  // Without a history, the steps before the phase's status are taken as done.
  const passed = (key: StepKey) => (entries.length > 0 ? reached.has(key) : before(key));

  return stepOrder.map((key) => {
    let status: StepStatus;
    if (key === position) status = settled ? endStatus : ongoing ? 'active' : 'done';
    else if (passed(key)) status = 'done';
    else status = phase.status === 'done' || before(key) ? 'skipped' : 'pending';
    const duration = spent.get(key);
    return { key, status, durationMs: status === 'active' || duration === undefined ? null : duration };
  });
}

function phaseFiles(
  phase: PhaseView,
  builder: BuilderView,
  files: Record<string, FileWriteView>,
): TimelineFile[] {
  const written = new Set(builder.writes.filter((w) => w.phase === phase.index).map((w) => w.path));
  const laterPhase = phase.index < (builder.phases.at(-1)?.index ?? phase.index);
  const entry = (path: string, purpose: string | null): TimelineFile => {
    const file = files[path];
    if (!written.has(path) || !file) return { path, purpose, status: 'planned', bytes: null };
    // A later phase may be rewriting it; in this earlier phase it was written.
    return { path, purpose, status: laterPhase ? 'written' : file.status, bytes: file.bytes };
  };
  const planned = phase.files.map((file) => entry(file.path, file.purpose));
  const extra = [...written].filter((path) => !phase.files.some((f) => f.path === path));
  return [...planned, ...extra.map((path) => entry(path, null))];
}
