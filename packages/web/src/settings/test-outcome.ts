import type { ProviderTestResult } from './providers-api.ts';

/** A provider test's answer in words: a headline and the detail under it. */
export interface TestOutcome {
  ok: boolean;
  title: string;
  detail: string;
}

// The kinds are the engine's ProviderErrorKind.
const failureTitles: Record<string, string> = {
  auth: 'The key was refused',
  network: 'Cannot connect',
  not_found: 'Not found: check the model name and the URL',
  rate_limit: 'Rate limited',
  server: 'The provider had a problem',
  bad_request: 'The provider refused the request',
  stall: 'The provider stopped answering',
  aborted: 'No answer in time',
};

export function describeTestResult(result: ProviderTestResult): TestOutcome {
  if (result.ok) {
    return {
      ok: true,
      title: `Works: answered in ${result.latencyMs} ms`,
      detail: `Tested with ${result.model}.`,
    };
  }
  return {
    ok: false,
    title: failureTitles[result.kind] ?? 'The test failed',
    detail: `${result.message} (${result.kind}, ${result.model})`,
  };
}
