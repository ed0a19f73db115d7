import { Link } from '../router/link.tsx';
import { useLocation } from '../router/router.ts';
import { GearIcon } from '../ui/icons.tsx';

/** The header's way to /settings: a gear, named for screen readers. */
export function SettingsLink() {
  const { pathname } = useLocation();
  return (
    <Link
      href="/settings"
      title="Settings"
      aria-current={pathname === '/settings' ? 'page' : undefined}
      className="flex items-center rounded-md p-1.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 aria-[current=page]:text-indigo-600 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100 dark:aria-[current=page]:text-indigo-400"
    >
      <GearIcon />
      <span className="sr-only">Settings</span>
    </Link>
  );
}
