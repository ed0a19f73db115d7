/** Where one terminal tab's shell stands. */
export type TerminalState =
  /** Waiting for the connection, or for the server to start the shell. */
  | { kind: 'opening' }
  | { kind: 'live' }
  | { kind: 'exited'; exitCode: number | null }
  /** The connection it lived on closed, and the server ended the shell with it. */
  | { kind: 'lost' }
  | { kind: 'failed'; message: string };

export interface TerminalTab {
  key: number;
  title: string;
  state: TerminalState;
}

export interface TerminalTabs {
  tabs: TerminalTab[];
  active: number | null;
  /** Numbers tabs for their titles; never reused, so a new tab is never mistaken for a closed one. */
  next: number;
}

export type TabAction =
  | { type: 'add' }
  | { type: 'close'; key: number }
  | { type: 'select'; key: number }
  | { type: 'state'; key: number; state: TerminalState };

export const noTabs: TerminalTabs = { tabs: [], active: null, next: 1 };

export function terminalTabs(current: TerminalTabs, action: TabAction): TerminalTabs {
  switch (action.type) {
    case 'add': {
      const tab: TerminalTab = {
        key: current.next,
        title: `Terminal ${current.next}`,
        state: { kind: 'opening' },
      };
      return { tabs: [...current.tabs, tab], active: tab.key, next: current.next + 1 };
    }
    case 'close': {
      const index = current.tabs.findIndex((tab) => tab.key === action.key);
      if (index < 0) return current;
      const tabs = current.tabs.filter((tab) => tab.key !== action.key);
      if (current.active !== action.key) return { ...current, tabs };
      // The neighbour that slides into the closed tab's place, else the one before it.
      const neighbour = tabs[index] ?? tabs[index - 1];
      return { ...current, tabs, active: neighbour?.key ?? null };
    }
    case 'select':
      return current.tabs.some((tab) => tab.key === action.key)
        ? { ...current, active: action.key }
        : current;
    case 'state':
      return {
        ...current,
        tabs: current.tabs.map((tab) => (tab.key === action.key ? { ...tab, state: action.state } : tab)),
      };
  }
}

/** What a tab whose shell is over says about it; null while it runs. */
export function endedNotice(state: TerminalState): string | null {
  switch (state.kind) {
    case 'exited':
      return state.exitCode === null
        ? 'The shell was stopped.'
        : `The shell exited with code ${state.exitCode}.`;
    case 'lost':
      return 'Terminal ended: the connection dropped — open a new one.';
    case 'failed':
      return state.message;
    default:
      return null;
  }
}
