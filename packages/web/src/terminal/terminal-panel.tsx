import { lazy, Suspense, useCallback, useEffect, useId, useReducer, useRef } from 'react';
import type { ConnectionStatus } from '../api/socket/session-socket.ts';
import { Button, Spinner } from '../ui/button.tsx';
import { endedNotice, noTabs, type TerminalState, type TerminalTab, terminalTabs } from './terminal-tabs.ts';
import { useTerminalChannel } from './use-terminal-channel.ts';

const TerminalView = lazy(() => import('./terminal-view.tsx'));

const tabButton =
  'flex items-center gap-1.5 rounded-md px-2 py-1 text-xs font-medium focus-visible:outline-offset-0';

/** Shells in the project's sandbox, one per tab, over the terminals' own connection. */
export function TerminalPanel({ projectId, sessionId }: { projectId: string; sessionId: string }) {
  const { channel, status } = useTerminalChannel(projectId, sessionId);
  const [{ tabs, active }, dispatch] = useReducer(terminalTabs, noTabs);
  const root = useRef<HTMLDivElement>(null);
  const autoOpened = useRef(false);
  const ids = useId();
  const online = status.state === 'online';
  const add = useCallback(() => dispatch({ type: 'add' }), []);
  const report = useCallback(
    (key: number, state: TerminalState) => dispatch({ type: 'state', key, state }),
    [],
  );

  // The first shell opens by itself only in a panel that shows: a collapsed one starts nothing.
  useEffect(() => {
    if (autoOpened.current || !root.current || root.current.clientHeight === 0) return;
    autoOpened.current = true;
    add();
  }, [add]);

  return (
    <div ref={root} className="flex h-full min-h-0 flex-col">
      <div className="flex items-center gap-1 border-b border-zinc-200 px-2 py-1 dark:border-zinc-800">
        <h2 className="sr-only">Terminal</h2>
        <div
          role="tablist"
          aria-label="Terminals"
          className="flex min-w-0 items-center gap-1 overflow-x-auto"
        >
          {tabs.map((tab) => (
            <div
              key={tab.key}
              className={`flex shrink-0 items-center rounded-md ${
                tab.key === active
                  ? 'bg-zinc-100 dark:bg-zinc-800'
                  : 'hover:bg-zinc-100/60 dark:hover:bg-zinc-800/60'
              }`}
            >
              <button
                type="button"
                role="tab"
                id={`${ids}-tab-${tab.key}`}
                aria-selected={tab.key === active}
                aria-controls={`${ids}-panel-${tab.key}`}
                onClick={() => dispatch({ type: 'select', key: tab.key })}
                className={`${tabButton} ${tab.key === active ? 'text-zinc-900 dark:text-zinc-100' : 'text-zinc-500'}`}
              >
                <StateDot state={tab.state} />
                {tab.title}
              </button>
              <button
                type="button"
                aria-label={`Close ${tab.title}`}
                title={`Close ${tab.title}`}
                onClick={() => dispatch({ type: 'close', key: tab.key })}
                className="mr-1 rounded px-1 text-zinc-400 hover:bg-zinc-200 hover:text-zinc-800 dark:hover:bg-zinc-700 dark:hover:text-zinc-100"
              >
                ×
              </button>
            </div>
          ))}
        </div>
        <button
          type="button"
          aria-label="New terminal"
          title="New terminal"
          onClick={add}
          className={`${tabButton} text-base leading-none text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100`}
        >
          +
        </button>
        <ConnectionNote status={status} />
      </div>
      <div className="relative min-h-0 flex-1 bg-zinc-950">
        {channel &&
          tabs.map((tab) => (
            <div
              key={tab.key}
              role="tabpanel"
              id={`${ids}-panel-${tab.key}`}
              aria-labelledby={`${ids}-tab-${tab.key}`}
              hidden={tab.key !== active}
              className="absolute inset-0 flex flex-col"
            >
              <div className="min-h-0 flex-1">
                <Suspense fallback={<Waiting text="Loading the terminal" />}>
                  <TerminalView
                    channel={channel}
                    online={online}
                    active={tab.key === active}
                    onState={(state) => report(tab.key, state)}
                  />
                </Suspense>
              </div>
              <EndedBar tab={tab} onNew={add} />
            </div>
          ))}
        {tabs.length === 0 && (
          <div className="flex h-full flex-col items-center justify-center gap-3 text-sm text-zinc-400">
            <p>No terminal open.</p>
            <Button variant="secondary" onClick={add}>
              Open a terminal
            </Button>
          </div>
        )}
      </div>
    </div>
  );
}

function EndedBar({ tab, onNew }: { tab: TerminalTab; onNew: () => void }) {
  const notice = endedNotice(tab.state);
  if (!notice) return null;
  return (
    <div
      role="status"
      className="flex items-center justify-between gap-3 border-t border-zinc-800 bg-zinc-900 px-3 py-1.5 text-xs text-zinc-300"
    >
      <span>{notice}</span>
      <button
        type="button"
        onClick={onNew}
        className="rounded-md border border-zinc-700 px-2 py-0.5 font-medium text-zinc-100 hover:bg-zinc-800"
      >
        New terminal
      </button>
    </div>
  );
}

function StateDot({ state }: { state: TerminalState }) {
  const color =
    state.kind === 'live'
      ? 'bg-emerald-500'
      : state.kind === 'opening'
        ? 'bg-amber-400'
        : state.kind === 'exited'
          ? 'bg-zinc-400'
          : 'bg-red-500';
  return <span aria-hidden="true" className={`size-1.5 rounded-full ${color}`} />;
}

/** Says when new shells have to wait for the connection. */
function ConnectionNote({ status }: { status: ConnectionStatus }) {
  if (status.state === 'online') return null;
  const text =
    status.state === 'closed'
      ? status.reason
      : status.state === 'offline'
        ? 'Offline: new terminals open when the connection is back.'
        : 'Connecting…';
  return <span className="ml-auto truncate pl-2 text-xs text-zinc-500">{text}</span>;
}

function Waiting({ text }: { text: string }) {
  return (
    <div className="flex h-full items-center justify-center gap-2 text-xs text-zinc-400">
      <Spinner />
      {text}
    </div>
  );
}
