import { useId, useMemo, useState } from 'react';
import {
  type BuilderTimeline,
  builderTimeline,
  type StepKey,
  type StepStatus,
} from '../chat/builder/builder-timeline.ts';
import { PhaseList, StepIcon } from '../chat/builder/phase-list.tsx';
import { formatDuration } from '../chat/format.ts';
import type { BuilderView, FileWriteView } from '../state/session-view.ts';
import { ChevronRightIcon } from '../ui/icons.tsx';

const doing: Record<StepKey, string> = {
  design: 'planning the phase',
  implement: 'writing code',
  install: 'installing dependencies',
  start: 'starting the dev server',
  verify: 'checking the build',
};

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function headline(timeline: BuilderTimeline, builder: BuilderView): string {
  const phase = timeline.current!;
  const name = `Phase ${phase.index + 1}${phase.name ? ` · ${phase.name}` : ''}`;
  switch (timeline.outcome) {
    case 'complete': {
      const done = builder.complete!;
      return `Built ${plural(done.files.length, 'file')} in ${plural(done.phases, 'phase')}`;
    }
    case 'failed':
      return `${name} failed`;
    case 'stopped':
      return `Stopped in ${name.toLowerCase()}`;
    case 'running': {
      const active = phase.steps.find((step) => step.status === 'active');
      return active ? `${name} · ${doing[active.key]}` : name;
    }
  }
}

const overallStatus: Record<BuilderTimeline['outcome'], StepStatus> = {
  running: 'active',
  complete: 'done',
  failed: 'failed',
  stopped: 'stopped',
};

interface BuilderStripProps {
  builder: BuilderView;
  files: Record<string, FileWriteView>;
  previewUrl: string | null;
}

/**
 * The app builder at the top of the chat: one line on where it is (always), and on demand its
 * timeline of phases, their steps and files, the dependencies and the preview. Open by default
 * while a build runs.
 */
export function BuilderStrip({ builder, files, previewUrl }: BuilderStripProps) {
  const timeline = useMemo(() => builderTimeline(builder, files), [builder, files]);
  const [choice, setChoice] = useState<boolean | null>(null);
  const bodyId = useId();
  if (!builder.active || !timeline.current) return null;
  const open = choice ?? timeline.outcome === 'running';

  return (
    <section aria-label="App builder" className="border-b border-zinc-200 dark:border-zinc-800">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={open ? bodyId : undefined}
        onClick={() => setChoice(!open)}
        className="flex w-full min-w-0 items-center gap-2 px-3 py-1.5 text-left text-xs hover:bg-zinc-50 dark:hover:bg-zinc-900"
      >
        <StepIcon status={overallStatus[timeline.outcome]} />
        <span className="shrink-0 font-semibold">App builder</span>
        <span aria-live="polite" className="min-w-0 flex-1 truncate text-zinc-600 dark:text-zinc-400">
          {headline(timeline, builder)}
        </span>
        {timeline.filesTotal > 0 && (
          <span className="shrink-0 text-zinc-500 tabular-nums">
            {timeline.filesWritten}/{timeline.filesTotal} files
          </span>
        )}
        <ChevronRightIcon
          className={`size-3.5 text-zinc-400 transition-transform ${open ? 'rotate-90' : ''}`}
        />
      </button>
      <StepRail timeline={timeline} />
      {open && (
        <div id={bodyId} className="flex max-h-[45vh] flex-col gap-3 overflow-y-auto px-3 pt-1 pb-3">
          <PhaseList phases={timeline.phases} />
          <BuildFacts builder={builder} previewUrl={previewUrl} />
        </div>
      )}
    </section>
  );
}

const railColor: Record<StepStatus, string> = {
  pending: 'bg-zinc-200 dark:bg-zinc-800',
  skipped: 'bg-zinc-200 dark:bg-zinc-800',
  active: 'animate-pulse bg-indigo-500',
  done: 'bg-emerald-500',
  failed: 'bg-red-500',
  stopped: 'bg-zinc-400',
};

/** The current phase's five steps as a thin segmented bar, visible even when the strip is closed. */
function StepRail({ timeline }: { timeline: BuilderTimeline }) {
  return (
    <div aria-hidden="true" className="flex gap-0.5 px-3 pb-1.5">
      {timeline.current!.steps.map((step) => (
        <span key={step.key} className={`h-1 flex-1 rounded-full ${railColor[step.status]}`} />
      ))}
    </div>
  );
}

function BuildFacts({ builder, previewUrl }: { builder: BuilderView; previewUrl: string | null }) {
  const { deps, complete } = builder;
  if (!deps && !previewUrl && !complete) return null;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
      {deps && (
        <>
          <dt className="text-zinc-500">Dependencies</dt>
          <dd className="min-w-0 truncate font-mono" title={deps.command}>
            {deps.command}
            {deps.durationMs > 0 && (
              <span className="text-zinc-400"> · {formatDuration(deps.durationMs)}</span>
            )}
          </dd>
        </>
      )}
      {previewUrl && (
        <>
          <dt className="text-zinc-500">Dev server</dt>
          <dd className="min-w-0 truncate">
            <a
              href={previewUrl}
              target="_blank"
              rel="noreferrer noopener"
              className="font-mono text-indigo-600 hover:underline dark:text-indigo-400"
            >
              {previewUrl}
            </a>
          </dd>
        </>
      )}
      {complete && (
        <>
          <dt className="text-zinc-500">Generated</dt>
          <dd className="min-w-0 truncate font-mono" title={complete.files.join('\n')}>
            {complete.files.join(', ') || 'no files'}
          </dd>
        </>
      )}
    </dl>
  );
}
