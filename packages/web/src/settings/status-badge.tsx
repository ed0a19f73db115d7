import { type ProviderState, type ProviderStatus, stateLabels } from './provider-status.ts';

const tones: Record<ProviderState, string> = {
  connected: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200',
  server: 'bg-sky-100 text-sky-800 dark:bg-sky-900/50 dark:text-sky-200',
  incomplete: 'bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-200',
  unchecked: 'bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300',
  off: 'bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300',
};

/** Whether a provider is set up, and what is known about it (never a secret). */
export function StatusBadge({ status }: { status: ProviderStatus }) {
  return (
    <span className="flex min-w-0 flex-wrap items-center gap-2 text-xs">
      <span className={`rounded-full px-2 py-0.5 font-medium ${tones[status.state]}`}>
        {stateLabels[status.state]}
      </span>
      {status.detail && (
        <span className="truncate font-mono text-zinc-500 dark:text-zinc-400" title={status.detail}>
          {status.detail}
        </span>
      )}
    </span>
  );
}
