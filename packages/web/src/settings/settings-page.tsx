import { AppHeader } from '../ui/app-header.tsx';
import { BackToProjects } from '../ui/back-to-projects.tsx';
import { AppearanceSection } from './appearance-section.tsx';
import { ProvidersSection } from './providers-section.tsx';
import { ShortcutsSection } from './shortcuts/shortcuts-section.tsx';
import { TokensSection } from './tokens-section.tsx';

const sections = [
  { id: 'models', label: 'Models & providers' },
  { id: 'appearance', label: 'Appearance' },
  { id: 'shortcuts', label: 'Keyboard shortcuts' },
  { id: 'tokens', label: 'API tokens' },
];

export function SettingsPage() {
  return (
    <div className="flex min-h-dvh flex-col">
      <AppHeader>
        <BackToProjects />
      </AppHeader>
      <div className="mx-auto flex w-full max-w-5xl gap-10 px-4 py-8 sm:px-6">
        <nav aria-label="Settings sections" className="hidden w-44 shrink-0 md:block">
          <ul className="sticky top-8 flex flex-col gap-1 text-sm">
            {sections.map(({ id, label }) => (
              <li key={id}>
                {/* Plain in-page anchors: the router only handles paths. */}
                <a
                  href={`#${id}`}
                  className="block rounded-md px-2 py-1.5 text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
                >
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main className="flex min-w-0 flex-1 flex-col gap-12">
          <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
          <ProvidersSection />
          <AppearanceSection />
          <ShortcutsSection />
          <TokensSection />
        </main>
      </div>
    </div>
  );
}
