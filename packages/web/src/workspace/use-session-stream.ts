import type { EventEnvelope } from '@aura/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  type ConnectionStatus,
  type QueuedCommand,
  type SessionCommand,
  SessionSocket,
} from '../api/socket/session-socket.ts';
import { browserNetwork, browserTransport, sessionSocketEndpoint } from '../api/socket/transport.ts';
import { applyEvents } from '../state/reducer.ts';
import { emptySessionView, type SessionView } from '../state/session-view.ts';

export interface SessionStream {
  view: SessionView;
  status: ConnectionStatus;
  queued: readonly QueuedCommand[];
  send: (
    command: SessionCommand,
    options?: { queue?: boolean },
  ) => Promise<Record<string, unknown> | undefined>;
  unqueue: (id: string) => void;
  retryNow: () => void;
}

/**
 * Follows one session live: its events folded into a view (at most one render per animation
 * frame, however fast they stream), the connection's state, and commands that wait out an outage.
 */
export function useSessionStream(projectId: string, sessionId: string): SessionStream {
  const [view, setView] = useState(emptySessionView);
  const [status, setStatus] = useState<ConnectionStatus>({ state: 'connecting', attempt: 0 });
  const [queued, setQueued] = useState<readonly QueuedCommand[]>([]);
  const socketRef = useRef<SessionSocket | null>(null);

  useEffect(() => {
    const socket = new SessionSocket({
      endpoint: sessionSocketEndpoint(projectId, window.location),
      sessionId,
      transport: browserTransport,
      network: browserNetwork,
    });
    socketRef.current = socket;
    let batch: EventEnvelope[] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      const events = batch;
      batch = [];
      setView((current) => applyEvents(current, events));
    };
    const unsubscribe = [
      socket.on('event', (event) => {
        batch.push(event);
        frame ||= requestAnimationFrame(flush);
      }),
      socket.on('status', setStatus),
      socket.on('outbox', setQueued),
      socket.on('reset', () => {
        batch = [];
        setView(emptySessionView);
      }),
    ];
    socket.start();
    return () => {
      for (const off of unsubscribe) off();
      cancelAnimationFrame(frame);
      socket.stop();
      socketRef.current = null;
    };
  }, [projectId, sessionId]);

  const send = useCallback<SessionStream['send']>((command, options) => {
    const socket = socketRef.current;
    if (!socket) return Promise.reject(new Error('Not connected.'));
    return socket.send(command, options);
  }, []);
  const unqueue = useCallback((id: string) => socketRef.current?.unqueue(id), []);
  const retryNow = useCallback(() => socketRef.current?.retryNow(), []);

  return { view, status, queued, send, unqueue, retryNow };
}
