import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useId, useMemo, useState } from 'react';
import { ErrorAlert, errorMessage } from '../../ui/alert.tsx';
import { Button, Spinner } from '../../ui/button.tsx';
import { Dialog } from '../../ui/dialog.tsx';
import { inputClass } from '../../ui/field.tsx';
import { CheckIcon, FileIcon } from '../../ui/icons.tsx';
import { scrollWithin } from '../scroll-within.ts';
import { listProjectFiles, projectFilesKey } from './project-files.ts';
import { rankPaths } from './rank-paths.ts';

/** Matches listed at once; typing narrows a larger project down. */
const SHOWN = 100;

/** How far each key moves the highlighted option. */
const keySteps: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };

interface FilePickerProps {
  projectId: string;
  open: boolean;
  /** Paths already attached, marked in the list. */
  attached: ReadonlySet<string>;
  onPick: (path: string) => void;
  onClose: () => void;
}

/** A dialog to find a project file by typing part of its path, and attach it. */
export function FilePicker({ projectId, open, attached, onPick, onClose }: FilePickerProps) {
  return (
    <Dialog open={open} title="Attach a project file" onClose={onClose}>
      <FileSearch
        projectId={projectId}
        attached={attached}
        onPick={(path) => {
          onPick(path);
          onClose();
        }}
        onClose={onClose}
      />
    </Dialog>
  );
}

function FileSearch({ projectId, attached, onPick, onClose }: Omit<FilePickerProps, 'open'>) {
  const id = useId();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const files = useQuery({
    queryKey: projectFilesKey(projectId),
    queryFn: ({ signal }) => listProjectFiles(projectId, signal),
    staleTime: 5_000,
  });
  const matches = useMemo(() => rankPaths(files.data?.paths ?? [], query, SHOWN), [files.data, query]);
  const current = Math.min(active, Math.max(0, matches.length - 1));
  const optionId = (index: number) => `${id}-option-${index}`;

  const move = (to: number) => {
    const next = Math.max(0, Math.min(matches.length - 1, to));
    setActive(next);
    const list = document.getElementById(`${id}-list`);
    const option = document.getElementById(optionId(next));
    if (list && option) scrollWithin(list, option, 'nearest');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const step = keySteps[event.key];
    if (step !== undefined) {
      event.preventDefault();
      move(current + step);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const path = matches[current];
      if (path) onPick(path);
    }
  };

  return (
    <>
      <label htmlFor={`${id}-query`} className="sr-only">
        File path
      </label>
      <input
        id={`${id}-query`}
        role="combobox"
        aria-expanded="true"
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={matches.length > 0 ? optionId(current) : undefined}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        placeholder="Type part of a path, e.g. app.tsx"
        spellCheck={false}
        className={inputClass}
      />
      <ErrorAlert>{errorMessage(files.error)}</ErrorAlert>
      {files.isPending && <Spinner label="Loading the project's files" />}
      <div
        id={`${id}-list`}
        role="listbox"
        aria-label="Matching files"
        className="-mx-1 max-h-72 overflow-y-auto"
      >
        {matches.map((path, index) => (
          // Focus stays in the search box (aria-activedescendant); options take a click or Enter.
          <div
            key={path}
            id={optionId(index)}
            role="option"
            tabIndex={-1}
            aria-selected={index === current}
            onClick={() => onPick(path)}
            onKeyDown={(event) => event.key === 'Enter' && onPick(path)}
            onMouseMove={() => index !== current && setActive(index)}
            className={`flex cursor-pointer items-center gap-2 rounded-md px-2 py-1 font-mono text-xs ${
              index === current
                ? 'bg-indigo-50 text-indigo-900 dark:bg-indigo-950/60 dark:text-indigo-100'
                : ''
            }`}
          >
            <FileIcon className="size-3.5 text-zinc-400" />
            <span className="min-w-0 flex-1 truncate">{path}</span>
            {attached.has(path) && (
              <span className="flex items-center gap-1 font-sans text-zinc-500">
                <CheckIcon className="size-3.5" /> attached
              </span>
            )}
          </div>
        ))}
      </div>
      {files.data && matches.length === 0 && (
        <p className="text-sm text-zinc-500">
          {files.data.paths.length === 0 ? 'This project has no files yet.' : 'No file matches that.'}
        </p>
      )}
      {files.data?.truncated && (
        <p className="text-xs text-zinc-500">
          This project is large: only its first 5,000 entries are searched.
        </p>
      )}
      <div className="flex items-center justify-between gap-2 text-xs text-zinc-500">
        <span>↑ ↓ to choose, Enter to attach</span>
        <Button variant="ghost" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </>
  );
}
