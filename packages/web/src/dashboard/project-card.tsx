import type { ProjectInfo } from '@aura/protocol';
import type { ReactNode } from 'react';
import { Link } from '../router/link.tsx';
import { PencilIcon, TrashIcon } from '../ui/icons.tsx';
import { relativeTime } from '../ui/relative-time.ts';

interface ProjectCardProps {
  project: ProjectInfo;
  onRename: () => void;
  onDelete: () => void;
}

export function ProjectCard({ project, onRename, onDelete }: ProjectCardProps) {
  const href = `/p/${encodeURIComponent(project.id)}`;
  return (
    <article className="group relative flex flex-col overflow-hidden rounded-xl border border-zinc-200 bg-white transition-shadow focus-within:ring-2 focus-within:ring-indigo-500 hover:shadow-md dark:border-zinc-800 dark:bg-zinc-900">
      {/* 16:10, the shape of the server's screenshots (1280×800 shown at 320×200). */}
      <div className="aspect-[16/10] border-b border-zinc-200 bg-zinc-100 dark:border-zinc-800 dark:bg-zinc-800/60">
        {project.thumbnail ? (
          <img
            src={project.thumbnail}
            alt={`Preview of ${project.name}`}
            className="size-full object-cover object-top"
            loading="lazy"
          />
        ) : (
          <span
            aria-hidden="true"
            className="flex size-full items-center justify-center text-4xl font-semibold text-zinc-400 dark:text-zinc-500"
          >
            {project.name.slice(0, 1).toUpperCase()}
          </span>
        )}
      </div>
      <div className="flex flex-1 flex-col gap-1 p-3">
        <h3 className="truncate text-sm font-semibold">
          {/* The link covers the whole card; the action buttons sit above it. */}
          <Link href={href} className="after:absolute after:inset-0 focus:outline-none">
            {project.name}
          </Link>
        </h3>
        <p className="line-clamp-2 min-h-8 text-xs text-zinc-600 dark:text-zinc-400">
          {project.description || 'No description'}
        </p>
        <p className="mt-auto pt-1 text-xs text-zinc-500">
          Updated{' '}
          <time dateTime={new Date(project.updatedAt).toISOString()}>{relativeTime(project.updatedAt)}</time>
        </p>
      </div>
      <div className="absolute top-2 right-2 flex gap-1 opacity-0 transition-opacity group-hover:opacity-100 group-focus-within:opacity-100">
        <CardAction label={`Rename ${project.name}`} onClick={onRename}>
          <PencilIcon />
        </CardAction>
        <CardAction label={`Delete ${project.name}`} onClick={onDelete}>
          <TrashIcon />
        </CardAction>
      </div>
    </article>
  );
}

function CardAction({
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
      aria-label={label}
      title={label}
      onClick={onClick}
      className="relative rounded-md bg-white/90 p-1.5 text-zinc-700 shadow-sm hover:bg-white hover:text-zinc-950 dark:bg-zinc-900/90 dark:text-zinc-300 dark:hover:bg-zinc-800"
    >
      {children}
    </button>
  );
}
