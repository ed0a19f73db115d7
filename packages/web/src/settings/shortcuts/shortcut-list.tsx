import { onMac } from './platform.ts';
import { byScope, keyCaps, shortcuts } from './registry.ts';

/** Every shortcut, grouped by where it works, with this platform's key caps. */
export function ShortcutList() {
  return (
    <div className="flex flex-col gap-4">
      {byScope(shortcuts).map(([scope, list]) => (
        <div key={scope} className="flex flex-col gap-1">
          <h3 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
            {scope}
          </h3>
          <dl className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {list.map((shortcut) => (
              <div key={shortcut.id} className="flex items-center justify-between gap-4 py-1.5">
                <dt className="text-sm">{shortcut.action}</dt>
                <dd className="flex gap-1">
                  {keyCaps(shortcut.keys, onMac).map((cap) => (
                    <kbd
                      key={cap}
                      className="min-w-6 rounded border border-zinc-300 bg-zinc-50 px-1.5 py-0.5 text-center font-mono text-xs text-zinc-700 shadow-[0_1px_0] shadow-zinc-300 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-200 dark:shadow-zinc-700"
                    >
                      {cap}
                    </kbd>
                  ))}
                </dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </div>
  );
}
