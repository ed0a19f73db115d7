import { type ThemeChoice, useTheme } from '../theme/theme.ts';
import { MonitorIcon, MoonIcon, SunIcon } from '../ui/icons.tsx';
import { Section } from './section.tsx';
import { usePreferences } from './use-preferences.ts';

const choices: { value: ThemeChoice; label: string; detail: string; Icon: typeof SunIcon }[] = [
  { value: 'light', label: 'Light', detail: 'Always light', Icon: SunIcon },
  { value: 'dark', label: 'Dark', detail: 'Always dark', Icon: MoonIcon },
  { value: 'system', label: 'System', detail: 'Follows your device', Icon: MonitorIcon },
];

/** The theme applies here at once; ThemeSync carries it to the account. */
export function AppearanceSection() {
  const [theme, setTheme] = useTheme();
  const preferences = usePreferences();
  const synced = preferences.data?.theme === theme;
  return (
    <Section
      id="appearance"
      title="Appearance"
      description="The theme is saved to your account, so it follows you."
    >
      <fieldset className="grid gap-3 sm:grid-cols-3">
        <legend className="sr-only">Theme</legend>
        {choices.map(({ value, label, detail, Icon }) => (
          <label
            key={value}
            className="flex cursor-pointer items-center gap-3 rounded-xl border border-zinc-200 bg-white p-3 has-checked:border-indigo-500 has-checked:ring-2 has-checked:ring-indigo-500/30 has-focus-visible:outline-2 has-focus-visible:outline-indigo-500 dark:border-zinc-800 dark:bg-zinc-900"
          >
            <input
              type="radio"
              name="settings-theme"
              value={value}
              checked={theme === value}
              onChange={() => setTheme(value)}
              className="sr-only"
            />
            <Icon className="size-5 text-zinc-500" />
            <span className="flex flex-col">
              <span className="text-sm font-medium">{label}</span>
              <span className="text-xs text-zinc-500 dark:text-zinc-400">{detail}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {preferences.data && (
        <p role="status" className="text-xs text-zinc-500 dark:text-zinc-400">
          {synced ? 'Saved to your account.' : 'Saving to your account…'}
        </p>
      )}
    </Section>
  );
}
