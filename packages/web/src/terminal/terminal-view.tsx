import { useEffect, useRef } from 'react';
import type { TerminalChannel } from '../api/socket/terminal-channel.ts';
import type { TerminalState } from './terminal-tabs.ts';
import { XtermSession } from './xterm-session.ts';

export interface TerminalViewProps {
  channel: TerminalChannel;
  /** The shell starts once the connection is online. */
  online: boolean;
  active: boolean;
  onState: (state: TerminalState) => void;
}

/** One tab's terminal. Loaded on demand: xterm stays out of the page's first download. */
export default function TerminalView({ channel, online, active, onState }: TerminalViewProps) {
  const element = useRef<HTMLDivElement>(null);
  const session = useRef<XtermSession | null>(null);
  const reportState = useRef(onState);

  useEffect(() => {
    reportState.current = onState;
  }, [onState]);

  useEffect(() => {
    if (!element.current) return;
    const created = new XtermSession(element.current, channel, (state) => reportState.current(state));
    session.current = created;
    return () => {
      created.dispose();
      session.current = null;
    };
  }, [channel]);

  useEffect(() => {
    if (online) session.current?.connect();
  }, [online]);

  useEffect(() => {
    if (active) session.current?.focus();
  }, [active]);

  return <div ref={element} className="h-full w-full overflow-hidden bg-zinc-950 py-1 pl-2" />;
}
