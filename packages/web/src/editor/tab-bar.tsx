import { type KeyboardEvent, useRef } from 'react';
import { baseName } from '../files/paths.ts';
import { useRightView } from '../preview/right-view.ts';
import { RightViewToggle } from '../preview/right-view-toggle.tsx';
import { CrossIcon, HistoryIcon } from '../ui/icons.tsx';
import type { Tab } from './tabs.ts';

interface TabBarProps {
  tabs: readonly Tab[];
  activeId: number | null;
  showingChanges: boolean;
  onActivate: (id: number) => void;
  onClose: (tab: Tab) => void;
  onToggleChanges: () => void;
}

/**
 * The open files as ARIA tabs (arrows move between them), the switch to the agent's changes, and,
 * while the preview is folded away, the way back to it.
 */
export function TabBar({
  tabs,
  activeId,
  showingChanges,
  onActivate,
  onClose,
  onToggleChanges,
}: TabBarProps) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent) => {
    const at = tabs.findIndex((tab) => tab.id === activeId);
    const current = tabs[at];
    if (event.key === 'Delete' && current) {
      event.preventDefault();
      return onClose(current);
    }
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step || at < 0) return;
    event.preventDefault();
    const next = tabs[(at + step + tabs.length) % tabs.length];
    if (!next) return;
    onActivate(next.id);
    list.current?.querySelector<HTMLElement>(`[data-tab-id="${next.id}"]`)?.focus();
  };
  return (
    <div className="flex items-stretch border-b border-zinc-200 dark:border-zinc-800">
      <div
        ref={list}
        role="tablist"
        aria-label="Open files"
        onKeyDown={onKeyDown}
        className="flex min-w-0 flex-1 overflow-x-auto [scrollbar-width:thin]"
      >
        {tabs.length === 0 && (
          <h2 className="px-3 py-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Editor</h2>
        )}
        {tabs.map((tab) => {
          const selected = tab.id === activeId && !showingChanges;
          return (
            <div
              key={tab.id}
              className={`group flex shrink-0 items-center border-r border-zinc-200 dark:border-zinc-800 ${
                selected
                  ? 'bg-white text-zinc-900 shadow-[inset_0_-2px_0_var(--color-indigo-500)] dark:bg-zinc-950 dark:text-zinc-100'
                  : 'bg-zinc-50 text-zinc-500 hover:text-zinc-800 dark:bg-zinc-900/60 dark:hover:text-zinc-200'
              }`}
            >
              <button
                type="button"
                role="tab"
                data-tab-id={tab.id}
                aria-selected={selected}
                tabIndex={tab.id === activeId ? 0 : -1}
                title={`${tab.path} — Delete closes it`}
                onClick={() => onActivate(tab.id)}
                onAuxClick={(event) => {
                  if (event.button === 1) onClose(tab);
                }}
                className={`max-w-48 truncate py-1.5 pr-1 pl-3 text-[13px] ${tab.missing ? 'line-through' : ''}`}
              >
                {baseName(tab.path)}
                {tab.dirty && <span className="sr-only"> (unsaved)</span>}
              </button>
              <button
                type="button"
                tabIndex={-1}
                aria-label={`Close ${baseName(tab.path)}`}
                title={tab.dirty ? 'Unsaved changes — close' : 'Close'}
                onClick={() => onClose(tab)}
                className="mr-1 grid size-5 place-items-center rounded text-zinc-400 hover:bg-zinc-200 hover:text-zinc-900 dark:hover:bg-zinc-700 dark:hover:text-zinc-100"
              >
                {tab.dirty ? (
                  <>
                    <span
                      aria-hidden="true"
                      className="size-2 rounded-full bg-zinc-500 group-hover:hidden dark:bg-zinc-400"
                    />
                    <CrossIcon className="hidden size-3.5 group-hover:block" />
                  </>
                ) : (
                  <CrossIcon className="size-3.5" />
                )}
              </button>
            </div>
          );
        })}
      </div>
      <button
        type="button"
        aria-pressed={showingChanges}
        aria-label="Changes"
        onClick={onToggleChanges}
        title="The agent's changes, turn by turn"
        className={`flex shrink-0 items-center gap-1.5 border-l border-zinc-200 px-3 text-xs font-medium dark:border-zinc-800 ${
          showingChanges
            ? 'bg-indigo-50 text-indigo-700 dark:bg-indigo-500/15 dark:text-indigo-300'
            : 'text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100'
        }`}
      >
        <HistoryIcon className="size-4" />
        <span className="hidden @md:inline">Changes</span>
      </button>
      <BackToPreview />
    </div>
  );
}

/** The preview's own Preview | Code switch, shown here while the preview is collapsed into code view. */
function BackToPreview() {
  const [view] = useRightView();
  if (view !== 'code') return null;
  return (
    <div className="flex shrink-0 items-center border-l border-zinc-200 px-1.5 dark:border-zinc-800">
      <RightViewToggle />
    </div>
  );
}
