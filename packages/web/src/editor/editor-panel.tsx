import { lazy, memo, Suspense, useCallback, useState } from 'react';
import { ChangesView } from '../checkpoints/changes-view.tsx';
import { baseName } from '../files/paths.ts';
import type { FileChange, SessionView } from '../state/session-view.ts';
import { Button, Spinner } from '../ui/button.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { CodeIcon } from '../ui/icons.tsx';
import { BinaryPreview } from './binary-preview.tsx';
import { TabBar } from './tab-bar.tsx';
import { TabNotices } from './tab-notices.tsx';
import { activeTab, type Tab } from './tabs.ts';
import { useDarkMode } from './use-dark-mode.ts';
import { useEditorSync } from './use-editor-sync.ts';
import { useLeaveWarning, useSaver, useSaveShortcut } from './use-save.ts';
import { useWorkbench } from './use-workbench.ts';
import { workbench } from './workbench.ts';

// CodeMirror and its language packs load with the first file shown, never with the page.
const CodeEditor = lazy(() => import('./code-editor.tsx'));

/** The session's view changes with every streamed word; the editor follows only file changes. */
export function EditorPanel({ projectId, view }: { projectId: string; view: SessionView }) {
  return (
    <Editor projectId={projectId} fileChanges={view.fileChanges} checkpoints={view.checkpoints.length} />
  );
}

interface EditorProps {
  projectId: string;
  fileChanges: readonly FileChange[];
  /** Checkpoints the session announced. */
  checkpoints: number;
}

const Editor = memo(function Editor({ projectId, fileChanges, checkpoints }: EditorProps) {
  const tabs = useWorkbench((state) => state.tabs);
  const mode = useWorkbench((state) => state.mode);
  const reveal = useWorkbench((state) => state.reveal);
  useEditorSync(projectId, tabs.tabs, fileChanges);
  const dark = useDarkMode();
  const saver = useSaver(projectId);
  const [closing, setClosing] = useState<Tab | null>(null);
  const active = activeTab(tabs);
  const showingCode = mode === 'code';

  const activeId = active?.id;
  const canSave = showingCode && active !== null && active.base !== null;
  const saveActive = useCallback(() => {
    if (activeId !== undefined) void saver.save(activeId);
  }, [activeId, saver.save]);
  useSaveShortcut(canSave ? saveActive : null);
  useLeaveWarning(tabs.tabs.some((tab) => tab.dirty));

  const close = (tab: Tab) =>
    tab.dirty ? setClosing(tab) : workbench.dispatch({ type: 'close', id: tab.id });

  return (
    <div className="@container flex h-full min-h-0 flex-col">
      <TabBar
        tabs={tabs.tabs}
        activeId={tabs.activeId}
        showingChanges={!showingCode}
        onActivate={(id) => {
          workbench.dispatch({ type: 'activate', id });
          workbench.showCode();
        }}
        onClose={close}
        onToggleChanges={() => (showingCode ? workbench.showChanges() : workbench.showCode())}
      />
      {!showingCode && <ChangesView projectId={projectId} announced={checkpoints} />}
      <div
        role="tabpanel"
        aria-label={active?.path ?? 'Editor'}
        hidden={!showingCode}
        className="flex min-h-0 flex-1 flex-col"
      >
        {active && (
          <TabNotices
            tab={active}
            saveError={saver.errors[active.id] ?? null}
            onSave={saveActive}
            onClose={() => close(active)}
            onDismissSaveError={() => saver.dismiss(active.id)}
          />
        )}
        <div className="relative min-h-0 flex-1">
          {tabs.tabs.map(
            (tab) =>
              tab.base !== null && (
                <Suspense key={tab.id} fallback={<Loading label="Loading the editor" />}>
                  <CodeEditor
                    tab={tab}
                    visible={showingCode && tab.id === tabs.activeId}
                    dark={dark}
                    reveal={reveal}
                  />
                </Suspense>
              ),
          )}
          {active?.binary && <BinaryPreview path={active.path} file={active.binary} />}
          {active && active.base === null && !active.binary && <Unloaded tab={active} />}
          {!active && <NoFile />}
          {active && saver.saving.has(active.id) && (
            <p
              role="status"
              className="absolute right-3 bottom-2 flex items-center gap-1.5 rounded bg-zinc-900/80 px-2 py-1 text-xs text-white"
            >
              <Spinner /> Saving…
            </p>
          )}
        </div>
      </div>
      {closing && (
        <CloseDialog
          tab={closing}
          onSave={async () => {
            if (await saver.save(closing.id)) workbench.dispatch({ type: 'close', id: closing.id });
            setClosing(null);
          }}
          onDiscard={() => {
            workbench.dispatch({ type: 'close', id: closing.id });
            setClosing(null);
          }}
          onCancel={() => setClosing(null)}
        />
      )}
    </div>
  );
});

function Loading({ label }: { label: string }) {
  return (
    <div className="absolute inset-0 grid place-items-center text-zinc-500">
      <Spinner label={label} />
    </div>
  );
}

/** A tab whose file has not loaded: still loading, gone, or refused by the server. */
function Unloaded({ tab }: { tab: Tab }) {
  if (!tab.missing && !tab.error) return <Loading label={`Opening ${baseName(tab.path)}`} />;
  return (
    <p className="absolute inset-0 m-auto h-fit max-w-72 p-4 text-center text-xs text-zinc-500">
      {tab.missing ? `${tab.path} does not exist.` : `${tab.path} cannot be opened.`}
    </p>
  );
}

function NoFile() {
  return (
    <div className="absolute inset-0 flex flex-col items-center justify-center gap-2 p-6 text-center text-xs text-zinc-500">
      <CodeIcon className="size-6 text-zinc-400" />
      <p className="max-w-60">Open a file from the tree to edit it. Ctrl/⌘-S saves, Ctrl/⌘-F searches.</p>
    </div>
  );
}

interface CloseDialogProps {
  tab: Tab;
  onSave: () => Promise<void>;
  onDiscard: () => void;
  onCancel: () => void;
}

/** Closing a tab with unsaved edits: save them, drop them, or keep the tab. */
function CloseDialog({ tab, onSave, onDiscard, onCancel }: CloseDialogProps) {
  const [saving, setSaving] = useState(false);
  return (
    <Dialog open title={`Save changes to ${baseName(tab.path)}?`} onClose={onCancel}>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Your edits are lost if you close without saving.
      </p>
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel} autoFocus>
          Cancel
        </Button>
        <Button variant="danger" onClick={onDiscard}>
          Don’t save
        </Button>
        <Button
          variant="primary"
          busy={saving}
          onClick={() => {
            setSaving(true);
            void onSave();
          }}
        >
          Save
        </Button>
      </div>
    </Dialog>
  );
}
