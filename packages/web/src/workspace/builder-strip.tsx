import type { BuilderView, PhaseStatus } from '../state/session-view.ts';

const phaseText: Record<PhaseStatus, string> = {
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

/** One line on where the app builder is; the full phase timeline belongs to the chat panel. */
export function BuilderStrip({ builder }: { builder: BuilderView }) {
  const phase = builder.phases.at(-1);
  if (!builder.active || !phase) return null;
  const total = builder.complete?.phases ?? builder.phases.length;
  return (
    <p
      aria-live="polite"
      className="border-b border-zinc-200 px-3 py-1.5 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400"
    >
      {builder.complete ? `Built ${total} phase${total === 1 ? '' : 's'}` : `Phase ${phase.index + 1}`}
      {phase.name && !builder.complete ? ` · ${phase.name}` : ''} · {phaseText[phase.status]}
      {builder.fixRounds > 0 && ` · ${builder.fixRounds} fix round${builder.fixRounds === 1 ? '' : 's'}`}
    </p>
  );
}
