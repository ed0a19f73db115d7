import { memo, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { rereadTabs } from '../editor/read-tabs.ts';
import { activeTab } from '../editor/tabs.ts';
import { useWorkbench } from '../editor/use-workbench.ts';
import { workbench } from '../editor/workbench.ts';
import type { SessionView } from '../state/session-view.ts';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Spinner } from '../ui/button.tsx';
import { CollapseIcon, FilePlusIcon, FolderPlusIcon, RefreshIcon, UploadIcon } from '../ui/icons.tsx';
import { agentMarks, type FileActivity } from './agent-marks.ts';
import { EntryDialog, type EntryDialogState } from './entry-dialog.tsx';
import { FileTree } from './file-tree.tsx';
import { ancestorsOf, baseName, joinPath } from './paths.ts';
import { StatusLine } from './status-line.tsx';
import { buildTree, visibleRows } from './tree.ts';
import type { TreeCommand } from './tree-keys.ts';
import { droppedEntries, type Upload, uploadsOf, uploadsOfFiles } from './upload.ts';
import { type UploadProgress, useFileActions } from './use-file-actions.ts';
import { useFileTree } from './use-file-tree.ts';

/** A small tree opens with its top folders expanded; a big one starts folded. */
const EXPAND_TOP_UP_TO = 60;

/** The session's view changes with every streamed word; the tree follows only what files do. */
export function FilesPanel({ projectId, view }: { projectId: string; view: SessionView }) {
  const { files, fileWrites, fileChanges, run } = view;
  return (
    <FileExplorer
      projectId={projectId}
      files={files}
      fileWrites={fileWrites}
      fileChanges={fileChanges}
      run={run}
    />
  );
}

const FileExplorer = memo(function FileExplorer({
  projectId,
  ...activity
}: FileActivity & { projectId: string }) {
  const { query, entries, writing } = useFileTree(projectId, activity);
  const actions = useFileActions(projectId, entries);
  const roots = useMemo(() => buildTree(entries), [entries]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [focused, setFocused] = useState<string | null>(null);
  const [dialog, setDialog] = useState<EntryDialogState | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const treeBox = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => visibleRows(roots, expanded), [roots, expanded]);
  const { files, fileWrites, fileChanges, run } = activity;
  const marks = useMemo(
    () => agentMarks({ files, fileWrites, fileChanges, run }),
    [files, fileWrites, fileChanges, run],
  );
  const activePath = useWorkbench((state) => activeTab(state.tabs)?.path ?? null);

  const loaded = query.data !== undefined;
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the first listing arrives
  useEffect(() => {
    if (!loaded || entries.length > EXPAND_TOP_UP_TO) return;
    const top = entries.filter((e) => e.type === 'dir' && !e.path.includes('/') && !e.path.startsWith('.'));
    setExpanded((open) => new Set([...open, ...top.map((e) => e.path)]));
  }, [loaded]);

  // The file open in the editor, and the files the agent is writing, are shown in the tree.
  useEffect(() => {
    const shown = activePath ? [activePath, ...writing] : writing;
    setExpanded((open) => {
      const missing = shown.flatMap(ancestorsOf).filter((dir) => !open.has(dir));
      return missing.length ? new Set([...open, ...missing]) : open;
    });
  }, [activePath, writing]);

  const focusedRow = rows.find((row) => row.node.path === focused);
  /** Where new files go: the focused folder, or the focused file's folder. */
  const targetDir = !focusedRow
    ? ''
    : focusedRow.node.type === 'dir'
      ? focusedRow.node.path
      : focusedRow.parent;

  const toggle = (path: string, open: boolean) =>
    setExpanded((current) => {
      if (current.has(path) === open) return current;
      const next = new Set(current);
      if (open) next.add(path);
      else next.delete(path);
      return next;
    });

  const onCommand = (command: TreeCommand) => {
    switch (command.type) {
      case 'focus':
        return setFocused(command.path);
      case 'expand':
      case 'collapse':
        return toggle(command.path, command.type === 'expand');
      case 'open':
        return workbench.openFile(command.path);
      case 'rename':
        return setDialog({ kind: 'rename', path: command.path });
      case 'delete':
        return setDialog({ kind: 'delete', path: command.path });
    }
  };

  const closeDialog = () => {
    setDialog(null);
    // The dialog took the focus from the tree; give it back to where the person was.
    requestAnimationFrame(() =>
      treeBox.current?.querySelector<HTMLElement>('[role="treeitem"][tabindex="0"]')?.focus(),
    );
  };

  const startUpload = async (dir: string, uploads: Upload[], replace = false) => {
    const existing = uploads.map((u) => joinPath(dir, u.relative)).filter(actions.exists);
    if (existing.length && !replace) return setDialog({ kind: 'replace', dir, uploads, existing });
    setProblem(null);
    const problems = await actions.upload(dir, uploads, setProgress);
    setProgress(null);
    if (problems.length) setProblem(`Some files were not uploaded:\n${problems.join('\n')}`);
    if (dir) toggle(dir, true);
  };

  const onDropFiles = (dir: string, data: DataTransfer) => {
    const dropped = droppedEntries(data);
    const picked = uploadsOfFiles(data.files);
    (dropped.length ? uploadsOf(dropped) : Promise.resolve(picked))
      .then((uploads) => startUpload(dir, uploads))
      .catch((error: unknown) => setProblem(errorMessage(error)));
  };

  const onMoveInto = (path: string, dir: string) => {
    setProblem(null);
    actions.move(path, joinPath(dir, baseName(path))).then(
      () => dir && toggle(dir, true),
      (error: unknown) => setProblem(errorMessage(error)),
    );
  };

  return (
    <div className="@container flex h-full min-h-0 flex-col">
      <div className="flex items-center justify-end gap-0.5 border-b border-zinc-200 py-1 pr-1 pl-3 dark:border-zinc-800">
        {/* A narrow panel keeps its buttons and drops the title (the panel is labelled anyway). */}
        <h2 className="mr-auto hidden text-xs font-semibold tracking-wide text-zinc-500 uppercase @[15rem]:block">
          Files
        </h2>
        <ToolButton label="New file" onClick={() => setDialog({ kind: 'new-file', dir: targetDir })}>
          <FilePlusIcon />
        </ToolButton>
        <ToolButton label="New folder" onClick={() => setDialog({ kind: 'new-folder', dir: targetDir })}>
          <FolderPlusIcon />
        </ToolButton>
        <ToolButton label="Upload files" onClick={() => picker.current?.click()}>
          <UploadIcon />
        </ToolButton>
        <ToolButton
          label="Refresh"
          onClick={() => {
            void query.refetch();
            rereadTabs('all', 'refresh');
          }}
        >
          <RefreshIcon className={`size-4 ${query.isFetching ? 'animate-spin' : ''}`} />
        </ToolButton>
        <ToolButton label="Collapse all folders" onClick={() => setExpanded(new Set())}>
          <CollapseIcon />
        </ToolButton>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          onChange={(event) => {
            const { files: picked } = event.currentTarget;
            if (picked?.length) void startUpload(targetDir, uploadsOfFiles(picked));
            event.currentTarget.value = '';
          }}
        />
      </div>
      <div ref={treeBox} className="relative flex min-h-0 flex-1 flex-col">
        {query.isPending ? (
          <div className="m-auto text-zinc-500">
            <Spinner label="Loading files" />
          </div>
        ) : query.isError && !query.data ? (
          <div className="p-3">
            <ErrorAlert>{errorMessage(query.error)}</ErrorAlert>
          </div>
        ) : (
          <>
            <FileTree
              rows={rows}
              expanded={expanded}
              focused={focused}
              activePath={activePath}
              marks={marks}
              onCommand={onCommand}
              onDropFiles={onDropFiles}
              onMoveInto={onMoveInto}
            />
            {rows.length === 0 && (
              <p className="pointer-events-none absolute inset-x-0 top-8 p-4 text-center text-xs text-zinc-500">
                No files yet. Drop files here, or ask the agent to write some.
              </p>
            )}
          </>
        )}
      </div>
      <StatusLine
        progress={progress}
        problem={problem}
        truncated={query.data?.truncated ?? false}
        onDismiss={() => setProblem(null)}
      />
      {dialog && (
        <EntryDialog
          dialog={dialog}
          actions={actions}
          onUpload={startUpload}
          onClose={closeDialog}
          toggle={toggle}
        />
      )}
    </div>
  );
});

function ToolButton({
  label,
  onClick,
  children,
}: {
  label: string;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      title={label}
      aria-label={label}
      onClick={onClick}
      className="shrink-0 rounded-md p-1.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
    >
      {children}
    </button>
  );
}
