import type { SessionView } from '../state/session-view.ts';
import { formatCost, formatTokens } from './format.ts';

type Totals = NonNullable<SessionView['usage']>;

const total = (usage: Totals) => usage.inputTokens + usage.outputTokens;

const rows: { label: string; value: (usage: Totals) => string }[] = [
  { label: 'Input tokens', value: (u) => formatTokens(u.inputTokens) },
  { label: 'of which cached', value: (u) => formatTokens(u.cachedInputTokens) },
  { label: 'Output tokens', value: (u) => formatTokens(u.outputTokens) },
  { label: 'of which reasoning', value: (u) => formatTokens(u.reasoningTokens) },
  { label: 'Model steps', value: (u) => String(u.steps) },
  { label: 'Cost', value: (u) => formatCost(u.costUsd) },
];

interface UsageSummaryProps {
  session: Totals | null;
  turn: Totals | null;
  running: boolean;
}

/** Tokens and cost of the session and of its latest turn; the breakdown opens on demand. */
export function UsageSummary({ session, turn: latest, running }: UsageSummaryProps) {
  if (!session) return null;
  // A turn stopped before its first model step used nothing worth a column.
  const turn = latest && latest.steps > 0 ? latest : null;
  const turnName = running ? 'This turn' : 'Last turn';
  return (
    <details className="relative min-w-0 text-xs text-zinc-500">
      <summary className="cursor-pointer truncate rounded select-none hover:text-zinc-800 dark:hover:text-zinc-200">
        <span className="sr-only">Usage: </span>
        {formatTokens(total(session))} tokens · {formatCost(session.costUsd)}
        {turn && (
          <span className="text-zinc-400">
            {' '}
            ({turnName.toLowerCase()} {formatTokens(total(turn))} · {formatCost(turn.costUsd)})
          </span>
        )}
      </summary>
      <div className="absolute bottom-full left-0 z-10 mb-1 rounded-lg border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
        <table className="text-xs tabular-nums">
          <thead>
            <tr className="text-zinc-500">
              <th className="pr-4 text-left font-medium">
                <span className="sr-only">Measure</span>
              </th>
              <th className="pr-3 text-right font-medium">Session</th>
              {turn && <th className="text-right font-medium">{turnName}</th>}
            </tr>
          </thead>
          <tbody className="text-zinc-800 dark:text-zinc-200">
            {rows.map((row) => (
              <tr key={row.label}>
                <th scope="row" className="pr-4 text-left font-normal whitespace-nowrap text-zinc-500">
                  {row.label}
                </th>
                <td className="pr-3 text-right">{row.value(session)}</td>
                {turn && <td className="text-right">{row.value(turn)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
