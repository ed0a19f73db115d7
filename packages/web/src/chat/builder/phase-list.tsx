import type { PhaseStatus } from '../../state/session-view.ts';
import { Spinner } from '../../ui/button.tsx';
import { CheckIcon, CrossIcon, MinusCircleIcon } from '../../ui/icons.tsx';
import { formatBytes, formatDuration } from '../format.ts';
import type { FileStatus, PhaseTimeline, StepKey, StepStatus, TimelineStep } from './builder-timeline.ts';

const stepName: Record<StepKey, string> = {
  design: 'Design',
  implement: 'Implement',
  install: 'Install',
  start: 'Start',
  verify: 'Verify',
};

const phaseStatusText: Record<PhaseStatus, string> = {
  designing: 'designing',
  designed: 'planned',
  implementing: 'writing code',
  installing: 'installing dependencies',
  starting: 'starting the dev server',
  verifying: 'checking the build',
  done: 'done',
  failed: 'failed',
  cancelled: 'stopped',
};

export function StepIcon({ status }: { status: StepStatus }) {
  switch (status) {
    case 'active':
      return <Spinner />;
    case 'done':
      return <CheckIcon className="size-4 text-emerald-600 dark:text-emerald-400" />;
    case 'failed':
      return <CrossIcon className="size-4 text-red-600 dark:text-red-400" />;
    case 'stopped':
      return <MinusCircleIcon className="size-4 text-zinc-500" />;
    default:
      return (
        <span
          aria-hidden="true"
          className="m-1 size-2 rounded-full border border-zinc-300 dark:border-zinc-600"
        />
      );
  }
}

function Step({ step }: { step: TimelineStep }) {
  const muted = step.status === 'pending' || step.status === 'skipped';
  return (
    <li className={`flex items-center gap-1 ${muted ? 'text-zinc-400 dark:text-zinc-500' : ''}`}>
      <StepIcon status={step.status} />
      <span className={step.status === 'active' ? 'font-medium' : ''}>{stepName[step.key]}</span>
      <span className="sr-only">({step.status})</span>
      {step.durationMs !== null && (
        <span className="text-zinc-400 tabular-nums">{formatDuration(step.durationMs)}</span>
      )}
    </li>
  );
}

const fileStatusText: Record<FileStatus, string> = {
  planned: 'planned',
  writing: 'writing',
  written: 'written',
};

function FileIconFor({ status }: { status: FileStatus }) {
  if (status === 'writing') return <Spinner />;
  if (status === 'written') return <CheckIcon className="size-4 text-emerald-600 dark:text-emerald-400" />;
  return (
    <span
      aria-hidden="true"
      className="m-1 size-2 rounded-full border border-zinc-300 dark:border-zinc-600"
    />
  );
}

function Phase({ phase }: { phase: PhaseTimeline }) {
  const settledClass =
    phase.status === 'failed'
      ? 'text-red-600 dark:text-red-400'
      : phase.status === 'done'
        ? 'text-emerald-600 dark:text-emerald-400'
        : 'text-indigo-600 dark:text-indigo-400';
  return (
    <li className="flex flex-col gap-1.5 border-l-2 border-zinc-200 pl-3 dark:border-zinc-800">
      <div className="flex flex-wrap items-baseline gap-x-2">
        <h3 className="text-sm font-medium">
          Phase {phase.index + 1}
          {phase.name ? ` · ${phase.name}` : ''}
        </h3>
        <span className={`text-xs ${settledClass}`}>{phaseStatusText[phase.status]}</span>
        {phase.fixRounds > 0 && (
          <span className="rounded bg-amber-100 px-1.5 text-xs text-amber-800 dark:bg-amber-900/50 dark:text-amber-200">
            {phase.fixRounds} fix round{phase.fixRounds === 1 ? '' : 's'}
          </span>
        )}
      </div>
      {phase.description && <p className="text-xs text-zinc-600 dark:text-zinc-400">{phase.description}</p>}
      <ol aria-label={`Steps of phase ${phase.index + 1}`} className="flex flex-wrap gap-x-3 gap-y-1 text-xs">
        {phase.steps.map((step) => (
          <Step key={step.key} step={step} />
        ))}
      </ol>
      {phase.files.length > 0 && (
        <ul aria-label={`Files of phase ${phase.index + 1}`} className="flex flex-col gap-0.5 text-xs">
          {phase.files.map((file) => (
            <li key={file.path} className="flex min-w-0 items-center gap-1.5">
              <FileIconFor status={file.status} />
              <span className="sr-only">{fileStatusText[file.status]}:</span>
              <span
                className={`truncate font-mono ${file.status === 'planned' ? 'text-zinc-500' : ''}`}
                title={file.path}
              >
                {file.path}
              </span>
              {file.purpose && (
                <span className="min-w-0 flex-1 truncate text-zinc-500" title={file.purpose}>
                  — {file.purpose}
                </span>
              )}
              {file.bytes !== null && (
                <span className="ml-auto shrink-0 text-zinc-400 tabular-nums">{formatBytes(file.bytes)}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

export function PhaseList({ phases }: { phases: PhaseTimeline[] }) {
  return (
    <ol aria-label="Phases" className="flex flex-col gap-3">
      {phases.map((phase) => (
        <Phase key={phase.index} phase={phase} />
      ))}
    </ol>
  );
}
