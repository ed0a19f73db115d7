import type { UseMutationResult } from '@tanstack/react-query';
import { Spinner } from '../ui/button.tsx';
import type { ProviderTestResult } from './providers-api.ts';
import { describeTestResult } from './test-outcome.ts';

type TestMutation = Pick<
  UseMutationResult<ProviderTestResult, Error, unknown>,
  'data' | 'error' | 'isPending'
>;

/** What the last Test press found: latency when it works, the kind and message when not. */
export function TestResultView({ test }: { test: TestMutation }) {
  if (test.isPending) {
    return (
      <p role="status" className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
        <Spinner /> Testing… (one tiny request to the provider)
      </p>
    );
  }
  const outcome = test.data
    ? describeTestResult(test.data)
    : test.error
      ? { ok: false, title: 'The test could not run', detail: test.error.message }
      : null;
  if (!outcome) return null;
  return (
    <div
      role="status"
      className={`rounded-lg border px-3 py-2 text-sm ${
        outcome.ok
          ? 'border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-900/60 dark:bg-emerald-950/40 dark:text-emerald-200'
          : 'border-red-200 bg-red-50 text-red-800 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200'
      }`}
    >
      <p className="font-medium">{outcome.title}</p>
      <p className="mt-0.5 break-words text-xs opacity-90">{outcome.detail}</p>
    </div>
  );
}
