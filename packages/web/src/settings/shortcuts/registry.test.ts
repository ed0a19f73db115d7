import { describe, expect, it } from 'vitest';
import {
  byScope,
  isMacPlatform,
  isTypingTarget,
  type KeyPress,
  keyCaps,
  matchesKeys,
  shortcutKeys,
  shortcuts,
} from './registry.ts';

const press = (key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress => ({
  key,
  metaKey: false,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('shortcut registry', () => {
  it('has unique ids and finds keys by id', () => {
    expect(new Set(shortcuts.map((s) => s.id)).size).toBe(shortcuts.length);
    expect(shortcutKeys('show-shortcuts')).toBe('?');
  });

  it('groups shortcuts by scope, keeping their order', () => {
    const groups = byScope(shortcuts);
    expect(groups[0]?.[0]).toBe('Everywhere');
    expect(groups.find(([scope]) => scope === 'Chat')?.[1].map((s) => s.id)).toEqual([
      'send-message',
      'new-line',
      'stop-run',
    ]);
  });
});

describe('matching key presses', () => {
  it('treats Mod as ⌘ on macOS and Ctrl elsewhere', () => {
    expect(matchesKeys(press(',', { metaKey: true }), 'Mod+,', true)).toBe(true);
    expect(matchesKeys(press(',', { ctrlKey: true }), 'Mod+,', true)).toBe(false);
    expect(matchesKeys(press(',', { ctrlKey: true }), 'Mod+,', false)).toBe(true);
    expect(matchesKeys(press(',', { ctrlKey: true, metaKey: true }), 'Mod+,', false)).toBe(false);
  });

  it('matches a symbol whether or not the layout needs Shift for it', () => {
    expect(matchesKeys(press('?', { shiftKey: true }), '?', false)).toBe(true);
    expect(matchesKeys(press('?'), '?', false)).toBe(true);
    expect(matchesKeys(press('?', { ctrlKey: true }), '?', false)).toBe(false);
    expect(matchesKeys(press('/'), '?', false)).toBe(false);
  });

  it('holds named keys and letters to their Shift and Alt state', () => {
    expect(matchesKeys(press('Enter', { shiftKey: true }), 'Shift+Enter', false)).toBe(true);
    expect(matchesKeys(press('Enter'), 'Shift+Enter', false)).toBe(false);
    expect(matchesKeys(press('Enter', { shiftKey: true }), 'Enter', false)).toBe(false);
    expect(matchesKeys(press('K', { shiftKey: true, ctrlKey: true }), 'Mod+Shift+k', false)).toBe(true);
    expect(matchesKeys(press('k', { ctrlKey: true, altKey: true }), 'Mod+k', false)).toBe(false);
  });
});

describe('showing keys', () => {
  it('draws the platform’s key caps', () => {
    expect(keyCaps('Mod+Enter', true)).toEqual(['⌘', '↵']);
    expect(keyCaps('Mod+Enter', false)).toEqual(['Ctrl', 'Enter']);
    expect(keyCaps('Shift+Enter', false)).toEqual(['Shift', 'Enter']);
    expect(keyCaps('Mod+k', false)).toEqual(['Ctrl', 'K']);
    expect(keyCaps('Escape', true)).toEqual(['Esc']);
  });

  it('recognises Apple platforms', () => {
    expect(isMacPlatform('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)')).toBe(true);
    expect(isMacPlatform('Mozilla/5.0 (X11; Linux x86_64)')).toBe(false);
  });
});

describe('typing targets', () => {
  it('leaves key presses in fields, the editor and the terminal alone', () => {
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'password' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
  });

  it('lets shortcuts through from buttons, radios and the page', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'radio' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
