import { type ThemeChoice, useTheme } from '../theme/theme.ts';
import { MonitorIcon, MoonIcon, SunIcon } from './icons.tsx';

const choices: { value: ThemeChoice; label: string; Icon: typeof SunIcon }[] = [
  { value: 'light', label: 'Light', Icon: SunIcon },
  { value: 'dark', label: 'Dark', Icon: MoonIcon },
  { value: 'system', label: 'System', Icon: MonitorIcon },
];

/** Light / dark / system, as a radio group (arrow keys move between the choices). */
export function ThemeSwitcher() {
  const [theme, setTheme] = useTheme();
  return (
    <fieldset className="flex rounded-lg border border-zinc-200 p-0.5 dark:border-zinc-800">
      <legend className="sr-only">Theme</legend>
      {choices.map(({ value, label, Icon }) => (
        <label
          key={value}
          title={label}
          className="flex cursor-pointer items-center rounded-md p-1.5 text-zinc-500 has-checked:bg-zinc-100 has-checked:text-zinc-900 has-focus-visible:outline-2 has-focus-visible:outline-indigo-500 dark:text-zinc-400 dark:has-checked:bg-zinc-800 dark:has-checked:text-zinc-100"
        >
          <input
            type="radio"
            name="theme"
            value={value}
            checked={theme === value}
            onChange={() => setTheme(value)}
            className="sr-only"
          />
          <Icon />
          <span className="sr-only">{label}</span>
        </label>
      ))}
    </fieldset>
  );
}
