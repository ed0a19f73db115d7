import type { EventEnvelope, SessionInfo } from '@aura/protocol';

/**
 * The session as known after one of its events: state, title, model, mode, usage and the last
 * seq follow the stream, wherever the session lives (the local backend, a server, the TUI).
 */
export function sessionAfterEvent(session: SessionInfo, event: EventEnvelope): SessionInfo {
  const next = { ...session, lastSeq: event.seq, updatedAt: event.ts };
  switch (event.type) {
    case 'state_change':
      return { ...next, state: event.data.state };
    case 'session_updated':
      return event.data.title === undefined ? next : { ...next, title: event.data.title };
    case 'run_started':
      return { ...next, model: event.data.model, mode: event.data.mode };
    case 'message_start':
      return { ...next, model: event.data.model };
    case 'usage': {
      // The totals only: an in-process event may carry more than the protocol's fields.
      const { inputTokens, outputTokens, reasoningTokens, cachedInputTokens, costUsd, steps } =
        event.data.session;
      return {
        ...next,
        usage: { inputTokens, outputTokens, reasoningTokens, cachedInputTokens, costUsd, steps },
      };
    }
    default:
      return next;
  }
}
