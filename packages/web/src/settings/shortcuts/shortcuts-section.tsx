import { Section } from '../section.tsx';
import { ShortcutList } from './shortcut-list.tsx';

export function ShortcutsSection() {
  return (
    <Section
      id="shortcuts"
      title="Keyboard shortcuts"
      description={
        <>
          Press <kbd className="font-mono">?</kbd> on any page to see these.
        </>
      }
    >
      <div className="max-w-xl rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <ShortcutList />
      </div>
    </Section>
  );
}
