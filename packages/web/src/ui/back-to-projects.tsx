import { Link } from '../router/link.tsx';
import { ArrowLeftIcon } from './icons.tsx';

/** The header's way back to the dashboard; on narrow screens only the arrow shows. */
export function BackToProjects() {
  return (
    <Link
      href="/"
      className="flex items-center gap-1 rounded-md text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
    >
      <ArrowLeftIcon />
      <span className="sr-only sm:not-sr-only">Projects</span>
    </Link>
  );
}
