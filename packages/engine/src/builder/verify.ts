import type { Sandbox } from '../sandbox/types.ts';
import type { Store } from '../store/index.ts';
import type { BuildManifest } from './types.ts';

export interface VerificationProblem {
  source: 'check' | 'preview';
  message: string;
}

const maxProblemChars = 4_000;

/** Runs the template's check (type-check / build) and reads the preview's errors since `sinceSeq`. */
export async function verify(opts: {
  manifest: BuildManifest;
  sandbox: Sandbox;
  store: Store;
  sessionId: string;
  sinceSeq: number;
  signal: AbortSignal;
  settleMs: number;
}): Promise<VerificationProblem[]> {
  const problems: VerificationProblem[] = [];
  if (opts.manifest.check) {
    const result = await opts.sandbox.exec(opts.manifest.check, { timeoutMs: 180_000, signal: opts.signal });
    if (result.exitCode !== 0) {
      const output = `${result.stdout}\n${result.stderr}`.trim();
      problems.push({
        source: 'check',
        message: `\`${opts.manifest.check}\` failed (exit ${result.exitCode ?? result.signal}):\n${clip(output)}`,
      });
    }
  }
  // Give an open preview a moment to report runtime errors from the fresh build.
  await sleep(opts.settleMs, opts.signal);
  const events = await opts.store.listEvents(opts.sessionId, { since: opts.sinceSeq });
  const seen = new Set<string>();
  for (const event of events) {
    if (event.type !== 'preview_error') continue;
    const text = `${event.data.kind}: ${event.data.message}${event.data.url ? ` (${event.data.url})` : ''}`;
    if (seen.has(text)) continue;
    seen.add(text);
    problems.push({
      source: 'preview',
      message: clip(event.data.stack ? `${text}\n${event.data.stack}` : text),
    });
  }
  return problems;
}

export function describeProblems(problems: VerificationProblem[]): string {
  return problems
    .map((p, i) => `${i + 1}. [${p.source === 'check' ? 'type-check/build' : 'running app'}] ${p.message}`)
    .join('\n\n');
}

function clip(text: string): string {
  return text.length > maxProblemChars ? `${text.slice(0, maxProblemChars)}\n… (truncated)` : text;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
