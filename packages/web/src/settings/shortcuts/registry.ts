/**
 * Every keyboard shortcut the IDE has, in one list: the shortcuts dialog and the settings page
 * show it, and global handlers look their keys up here, so what is listed is what works.
 */
export type ShortcutScope = 'Everywhere' | 'New app prompt' | 'Chat' | 'Editor' | 'Dialogs';

export interface Shortcut {
  id: string;
  /** `Mod+Enter`, `Shift+Enter`, `?`: Mod is ⌘ on macOS and Ctrl elsewhere. */
  keys: string;
  action: string;
  scope: ShortcutScope;
}

export const shortcuts = [
  { id: 'show-shortcuts', keys: '?', action: 'Show keyboard shortcuts', scope: 'Everywhere' },
  { id: 'open-settings', keys: 'Mod+,', action: 'Open settings', scope: 'Everywhere' },
  { id: 'start-build', keys: 'Mod+Enter', action: 'Build the described app', scope: 'New app prompt' },
  { id: 'send-message', keys: 'Enter', action: 'Send the message', scope: 'Chat' },
  { id: 'new-line', keys: 'Shift+Enter', action: 'New line in the message', scope: 'Chat' },
  { id: 'stop-run', keys: 'Escape', action: 'Stop Aura while it works', scope: 'Chat' },
  { id: 'save-file', keys: 'Mod+s', action: 'Save the file', scope: 'Editor' },
  { id: 'search-file', keys: 'Mod+f', action: 'Search and replace in the file', scope: 'Editor' },
  { id: 'select-next', keys: 'Mod+d', action: 'Add the next occurrence to the selection', scope: 'Editor' },
  { id: 'close-dialog', keys: 'Escape', action: 'Close the dialog', scope: 'Dialogs' },
] as const satisfies readonly Shortcut[];

export type ShortcutId = (typeof shortcuts)[number]['id'];

export function shortcutKeys(id: ShortcutId): string {
  const found = shortcuts.find((s) => s.id === id);
  if (!found) throw new Error(`No shortcut "${id}" in the registry`);
  return found.keys;
}

/** The shortcuts grouped by where they work, in registry order. */
export function byScope(list: readonly Shortcut[]): [ShortcutScope, Shortcut[]][] {
  const groups = new Map<ShortcutScope, Shortcut[]>();
  for (const shortcut of list) groups.set(shortcut.scope, [...(groups.get(shortcut.scope) ?? []), shortcut]);
  return [...groups];
}

interface KeyCombo {
  key: string;
  mod: boolean;
  shift: boolean;
  alt: boolean;
}

function parseCombo(keys: string): KeyCombo {
  const parts = keys.split('+');
  const modifiers = new Set(parts.slice(0, -1));
  return {
    key: parts.at(-1) ?? '',
    mod: modifiers.has('Mod'),
    shift: modifiers.has('Shift'),
    alt: modifiers.has('Alt'),
  };
}

export type KeyPress = Pick<KeyboardEvent, 'key' | 'metaKey' | 'ctrlKey' | 'shiftKey' | 'altKey'>;

export function matchesKeys(event: KeyPress, keys: string, mac: boolean): boolean {
  const combo = parseCombo(keys);
  const mod = mac ? event.metaKey : event.ctrlKey;
  const otherMod = mac ? event.ctrlKey : event.metaKey;
  if (mod !== combo.mod || otherMod || event.altKey !== combo.alt) return false;
  const letter = /^[a-z]$/i.test(combo.key);
  // Symbols such as ? need Shift on some keyboard layouts and not on others.
  const symbol = combo.key.length === 1 && !letter;
  if (!symbol && event.shiftKey !== combo.shift) return false;
  return letter ? event.key.toLowerCase() === combo.key.toLowerCase() : event.key === combo.key;
}

const capNames: Record<string, [mac: string, other: string]> = {
  Mod: ['⌘', 'Ctrl'],
  Shift: ['⇧', 'Shift'],
  Alt: ['⌥', 'Alt'],
  Enter: ['↵', 'Enter'],
  Escape: ['Esc', 'Esc'],
};

/** The key caps to draw: `Mod+Enter` → ⌘ ↵ on macOS, Ctrl Enter elsewhere. */
export function keyCaps(keys: string, mac: boolean): string[] {
  return keys.split('+').map((part) => {
    const names = capNames[part];
    if (names) return mac ? names[0] : names[1];
    return part.length === 1 ? part.toUpperCase() : part;
  });
}

export function isMacPlatform(userAgent: string): boolean {
  return /Mac|iPhone|iPad/.test(userAgent);
}

export interface KeyTarget {
  tagName?: string;
  isContentEditable?: boolean;
  type?: string;
}

const nonTextInputs = new Set(['button', 'checkbox', 'radio', 'range', 'color', 'file', 'submit', 'reset']);

/** Whether a key press there is typing (a field, the editor, the terminal), not a command. */
export function isTypingTarget(target: KeyTarget | null): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  if (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return target.tagName === 'INPUT' && !nonTextInputs.has(target.type ?? 'text');
}
