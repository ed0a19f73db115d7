import type { ProjectInfo } from '@aura/protocol';
import { useState } from 'react';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button, Spinner } from '../ui/button.tsx';
import { inputClass } from '../ui/field.tsx';
import { SearchIcon } from '../ui/icons.tsx';
import { ProjectCard } from './project-card.tsx';
import { DeleteDialog, RenameDialog } from './project-dialogs.tsx';
import { PAGE_SIZE, useProjectPage } from './use-dashboard.ts';
import { useDebounced } from './use-debounced.ts';

export function ProjectsSection() {
  const [searchText, setSearchText] = useState('');
  const search = useDebounced(searchText.trim(), 250);
  const [page, setPage] = useState(0);
  const [renaming, setRenaming] = useState<ProjectInfo | null>(null);
  const [deleting, setDeleting] = useState<ProjectInfo | null>(null);
  const { data, error, isPending, isPlaceholderData } = useProjectPage(search, page);
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  // Deleting the last project of the last page leaves the page empty: step back.
  if (data && page > 0 && page >= pages) setPage(pages - 1);

  return (
    <section aria-labelledby="projects-heading" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="projects-heading" className="text-lg font-semibold tracking-tight">
          Your projects
          {data && data.total > 0 && (
            <span className="ml-2 text-sm font-normal text-zinc-500">{data.total}</span>
          )}
        </h2>
        <div className="relative w-full sm:w-72">
          <span className="pointer-events-none absolute top-1/2 left-3 -translate-y-1/2 text-zinc-400">
            <SearchIcon />
          </span>
          <input
            type="search"
            aria-label="Search projects"
            placeholder="Search projects"
            value={searchText}
            onChange={(e) => {
              setSearchText(e.target.value);
              setPage(0);
            }}
            className={`${inputClass} pl-9`}
          />
        </div>
      </div>
      <ErrorAlert>{errorMessage(error)}</ErrorAlert>
      {isPending && (
        <div className="flex justify-center py-12 text-zinc-500">
          <Spinner label="Loading projects" />
        </div>
      )}
      {data && data.items.length === 0 && <EmptyState search={search} />}
      {data && data.items.length > 0 && (
        <ul
          className={`grid gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4 ${isPlaceholderData ? 'opacity-60' : ''}`}
          aria-busy={isPlaceholderData}
        >
          {data.items.map((project) => (
            <li key={project.id}>
              <ProjectCard
                project={project}
                onRename={() => setRenaming(project)}
                onDelete={() => setDeleting(project)}
              />
            </li>
          ))}
        </ul>
      )}
      {pages > 1 && (
        <nav aria-label="Project pages" className="flex items-center justify-center gap-3">
          <Button onClick={() => setPage(page - 1)} disabled={page === 0}>
            Previous
          </Button>
          <span className="text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
            Page {page + 1} of {pages}
          </span>
          <Button onClick={() => setPage(page + 1)} disabled={page + 1 >= pages}>
            Next
          </Button>
        </nav>
      )}
      <RenameDialog project={renaming} onClose={() => setRenaming(null)} />
      <DeleteDialog project={deleting} onClose={() => setDeleting(null)} />
    </section>
  );
}

function EmptyState({ search }: { search: string }) {
  if (search) {
    return (
      <p className="rounded-xl border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
        No projects match “{search}”.
      </p>
    );
  }
  return (
    <div className="flex flex-col items-center gap-2 rounded-xl border border-dashed border-zinc-300 p-10 text-center dark:border-zinc-700">
      <p className="font-medium">No projects yet</p>
      <p className="max-w-md text-sm text-zinc-600 dark:text-zinc-400">
        Describe the app you want in the box above and Aura will plan it, write the code and run it in a live
        preview. Or pick a template to start from working code.
      </p>
    </div>
  );
}
