/** Exit codes: 0 success, 1 agent or provider error, 2 usage error, 130 cancelled with Ctrl-C. */
export const exitCodes = { ok: 0, agentError: 1, usage: 2, cancelled: 130 } as const;

/** A mistake in how aura was called: bad flag, unknown model, unreadable script… */
export class UsageError extends Error {
  override name = 'UsageError';
}
