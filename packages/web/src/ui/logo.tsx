import { Link } from '../router/link.tsx';

export function Logo() {
  return (
    <Link href="/" className="flex items-center gap-2 rounded-md font-semibold tracking-tight">
      <span
        aria-hidden="true"
        className="size-6 rounded-full bg-gradient-to-br from-indigo-500 to-fuchsia-500"
      />
      Aura
    </Link>
  );
}
