import { useEffect, useState } from 'react';
import { type ConnectionStatus, SessionSocket } from '../api/socket/session-socket.ts';
import { TerminalChannel } from '../api/socket/terminal-channel.ts';
import { browserNetwork, browserTransport, sessionSocketEndpoint } from '../api/socket/transport.ts';

export interface TerminalConnection {
  channel: TerminalChannel | null;
  status: ConnectionStatus;
}

/**
 * The terminals' own socket to the session: control-only (no event replay), so a chat socket that
 * reconnects does not take the shells with it, and shell output does not queue behind events.
 */
export function useTerminalChannel(projectId: string, sessionId: string): TerminalConnection {
  const [channel, setChannel] = useState<TerminalChannel | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>({ state: 'connecting', attempt: 0 });

  useEffect(() => {
    const socket = new SessionSocket({
      endpoint: sessionSocketEndpoint(projectId, window.location),
      sessionId,
      events: false,
      transport: browserTransport,
      network: browserNetwork,
    });
    const terminals = new TerminalChannel(socket);
    const offStatus = socket.on('status', setStatus);
    setChannel(terminals);
    socket.start();
    return () => {
      offStatus();
      terminals.dispose();
      socket.stop();
      setChannel(null);
    };
  }, [projectId, sessionId]);

  return { channel, status };
}
