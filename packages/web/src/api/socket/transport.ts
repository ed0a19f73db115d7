/** The few things SessionSocket needs from a WebSocket, so tests can stand in for the browser's. */
export interface Transport {
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

export interface TransportHandlers {
  onMessage(text: string): void;
  onClose(code: number, reason: string): void;
}

export type TransportFactory = (url: string, handlers: TransportHandlers) => Transport;

export const browserTransport: TransportFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.onmessage = (event) => {
    if (typeof event.data === 'string') handlers.onMessage(event.data);
  };
  ws.onclose = (event) => handlers.onClose(event.code, event.reason);
  return {
    send: (text) => ws.send(text),
    close: (code, reason) => {
      // Closing mid-handshake makes browsers log a warning (React's StrictMode remounts do it):
      // let the handshake finish first. The caller has already stopped listening to this one.
      if (ws.readyState === WebSocket.CONNECTING) ws.onopen = () => ws.close(code, reason);
      else ws.close(code, reason);
    },
  };
};

/** Whether the browser thinks it has a network, and when that changes. */
export interface NetworkMonitor {
  isOnline(): boolean;
  subscribe(onChange: (online: boolean) => void): () => void;
}

export const browserNetwork: NetworkMonitor = {
  isOnline: () => navigator.onLine,
  subscribe(onChange) {
    const online = () => onChange(true);
    const offline = () => onChange(false);
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    return () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
    };
  },
};

/** `ws(s)://<this host>/ws/<projectId>`: the IDE and the API share an origin. */
export function sessionSocketEndpoint(projectId: string, location: Pick<Location, 'protocol' | 'host'>) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws/${encodeURIComponent(projectId)}`;
}
