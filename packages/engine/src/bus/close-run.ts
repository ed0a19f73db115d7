import type { RunStatus, SessionState } from '@aura/protocol';
import type { Store } from '../store/index.ts';
import type { EventBus } from './bus.ts';
import { SessionEvents } from './session-events.ts';

/**
 * Closes a run that can no longer close itself (its process died, or it threw): sets the
 * session's state and records `run_finished` + `state_change` (after an `error` when asked), so every client stops
 * waiting for it.
 */
export async function closeRun(
  store: Store,
  bus: EventBus,
  sessionId: string,
  close: {
    runId: string;
    status: RunStatus;
    error: string;
    state: SessionState;
    previous?: SessionState;
    reportError?: boolean;
  },
): Promise<void> {
  await store.updateSession(sessionId, { state: close.state });
  const events = new SessionEvents(store, bus, sessionId);
  if (close.reportError) events.emit({ type: 'error', data: { message: close.error } });
  events.emit({
    type: 'run_finished',
    data: { runId: close.runId, status: close.status, steps: 0, error: close.error },
  });
  events.emit({
    type: 'state_change',
    data: { state: close.state, ...(close.previous ? { previous: close.previous } : {}) },
  });
  await events.flush();
}
