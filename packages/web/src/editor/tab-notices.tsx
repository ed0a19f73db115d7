import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { ReloadReason, Tab } from './tabs.ts';
import { workbench } from './workbench.ts';

const noticeButton =
  'rounded-md border border-current/25 px-2 py-0.5 font-medium hover:bg-black/5 dark:hover:bg-white/10';

/** How long "updated by the agent" stays up after a silent reload. */
const NOTICE_MS = 4_000;

const whoChanged: Partial<Record<ReloadReason, string>> = {
  agent: 'The agent changed this file',
  restore: 'Restoring a checkpoint changed this file',
};

interface TabNoticesProps {
  tab: Tab;
  saveError: string | null;
  onSave: () => void;
  onClose: () => void;
  onDismissSaveError: () => void;
}

/** What the person must know about the active tab, above its text. */
export function TabNotices({ tab, saveError, onSave, onClose, onDismissSaveError }: TabNoticesProps) {
  const resolve = (keep: 'disk' | 'mine') => workbench.dispatch({ type: 'resolve', id: tab.id, keep });
  return (
    <>
      {tab.conflict && (
        <Notice tone="warning">
          <span className="mr-auto">
            {whoChanged[tab.conflict.reason] ?? 'This file changed on disk'} while you were editing it.
          </span>
          <button type="button" className={noticeButton} onClick={() => resolve('disk')}>
            Reload
          </button>
          <button type="button" className={noticeButton} onClick={() => resolve('mine')}>
            Keep mine
          </button>
        </Notice>
      )}
      {tab.missing && (
        <Notice tone="warning">
          <span className="mr-auto">
            This file no longer exists. Save to write it again, or close the tab.
          </span>
          {tab.base !== null && (
            <button type="button" className={noticeButton} onClick={onSave}>
              Save
            </button>
          )}
          <button type="button" className={noticeButton} onClick={onClose}>
            Close
          </button>
        </Notice>
      )}
      {tab.error && (
        <Notice tone="error">
          <span className="mr-auto">{tab.error}</span>
        </Notice>
      )}
      {saveError && (
        <Notice tone="error">
          <span className="mr-auto">Not saved: {saveError}</span>
          <button type="button" className={noticeButton} onClick={onSave}>
            Try again
          </button>
          <button type="button" className={noticeButton} onClick={onDismissSaveError}>
            Dismiss
          </button>
        </Notice>
      )}
      <ReloadedNotice key={tab.id} tab={tab} />
    </>
  );
}

/** A quiet line, for a few seconds, when the shown tab's text was replaced with the agent's. */
function ReloadedNotice({ tab }: { tab: Tab }) {
  const [shown, setShown] = useState<number | null>(null);
  const { reloads, reloadReason } = tab;
  const before = useRef(reloads);
  useEffect(() => {
    // The first read (reloads 1) is the file opening, whatever triggered it.
    if (reloads <= 1 || reloads === before.current || !whoChanged[reloadReason]) return;
    setShown(reloads);
    const timer = setTimeout(() => setShown(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [reloads, reloadReason]);
  if (shown !== reloads) return null;
  return (
    <p
      role="status"
      className="border-b border-indigo-200 bg-indigo-50 px-3 py-1 text-xs text-indigo-800 dark:border-indigo-500/30 dark:bg-indigo-500/10 dark:text-indigo-200"
    >
      {reloadReason === 'restore' ? 'Updated by restoring a checkpoint.' : 'Updated by the agent.'}
    </p>
  );
}

function Notice({ tone, children }: { tone: 'warning' | 'error'; children: ReactNode }) {
  const colors =
    tone === 'warning'
      ? 'border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-100'
      : 'border-red-200 bg-red-50 text-red-800 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200';
  return (
    <div role="alert" className={`flex flex-wrap items-center gap-2 border-b px-3 py-1.5 text-xs ${colors}`}>
      {children}
    </div>
  );
}
