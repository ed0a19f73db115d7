import { type RightView, useRightView } from './right-view.ts';

const options: { view: RightView; label: string }[] = [
  { view: 'preview', label: 'Preview' },
  { view: 'code', label: 'Code' },
];

/** Preview | Code: what the right-hand area shows. The editor's toolbar may show it too. */
export function RightViewToggle() {
  const [current, show] = useRightView();
  return (
    <fieldset className="flex shrink-0 rounded-md bg-zinc-100 p-0.5 dark:bg-zinc-800">
      <legend className="sr-only">Show</legend>
      {options.map(({ view, label }) => (
        <button
          key={view}
          type="button"
          aria-pressed={current === view}
          onClick={() => show(view)}
          className={`rounded px-2 py-0.5 text-xs font-medium ${
            current === view
              ? 'bg-white text-zinc-900 shadow-sm dark:bg-zinc-950 dark:text-zinc-100'
              : 'text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100'
          }`}
        >
          {label}
        </button>
      ))}
    </fieldset>
  );
}
