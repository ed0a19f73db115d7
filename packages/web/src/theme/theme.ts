import { useCallback, useSyncExternalStore } from 'react';
import { readSetting, writeSetting } from '../ui/storage.ts';

export type ThemeChoice = 'light' | 'dark' | 'system';

/** Also read by public/theme-init.js, which applies the theme before the first paint. */
const storageKey = 'aura.theme';
const darkQuery = '(prefers-color-scheme: dark)';
const listeners = new Set<() => void>();

function storedTheme(): ThemeChoice {
  const value = readSetting(storageKey);
  return value === 'light' || value === 'dark' ? value : 'system';
}

function applyTheme(choice: ThemeChoice): void {
  const dark = choice === 'dark' || (choice === 'system' && matchMedia(darkQuery).matches);
  document.documentElement.classList.toggle('dark', dark);
}

export function setTheme(choice: ThemeChoice): void {
  writeSetting(storageKey, choice === 'system' ? null : choice);
  applyTheme(choice);
  for (const listener of listeners) listener();
}

/** Follows the OS setting while the choice is "system". */
export function watchSystemTheme(): () => void {
  const media = matchMedia(darkQuery);
  const onChange = () => {
    if (storedTheme() === 'system') applyTheme('system');
  };
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const choice = useSyncExternalStore(subscribe, storedTheme);
  return [choice, useCallback(setTheme, [])];
}
