import type { Key } from 'ink';
import type { EditorState } from './line-editor.ts';
import * as edit from './line-editor.ts';

/** What a key press means to the prompt, independent of what is on screen. */
export type SimpleKey =
  | 'submit'
  | 'newline'
  | 'backspace'
  | 'delete'
  | 'left'
  | 'right'
  | 'home'
  | 'end'
  | 'wordLeft'
  | 'wordRight'
  | 'killToLineStart'
  | 'killToLineEnd'
  | 'deleteWordBefore'
  | 'up'
  | 'down'
  | 'tab'
  | 'escape'
  | 'interrupt'
  | 'eof';

export type KeyAction =
  | { type: 'insert'; text: string }
  | { type: 'insertThenSubmit'; text: string }
  | { type: SimpleKey };

/** The subset of Ink's `Key` the mapping reads (so tests can build keys in one line). */
export type KeyFlags = Partial<Key>;

const ctrlKeys: Record<string, SimpleKey> = {
  a: 'home',
  e: 'end',
  b: 'left',
  f: 'right',
  u: 'killToLineStart',
  k: 'killToLineEnd',
  w: 'deleteWordBefore',
  c: 'interrupt',
  d: 'eof',
  j: 'newline',
  p: 'up',
  n: 'down',
};

const metaKeys: Record<string, SimpleKey> = { b: 'wordLeft', f: 'wordRight' };

/**
 * Maps one Ink keypress to an action. Enter sends; Alt+Enter and Ctrl+J insert a line break
 * (terminals send the same byte for Shift+Enter as for Enter). Typed text that arrives in one
 * chunk with a trailing Enter (typing ahead) is inserted and sent; line breaks inside a chunk
 * (a paste without bracketed paste) stay line breaks.
 */
export function keyAction(input: string, key: KeyFlags): KeyAction | null {
  if (key.return) return key.meta ? { type: 'newline' } : { type: 'submit' };
  if (input === '\n') return { type: 'newline' };
  if (key.ctrl && ctrlKeys[input]) return { type: ctrlKeys[input] };
  if (key.backspace) return { type: key.meta || key.ctrl ? 'deleteWordBefore' : 'backspace' };
  if (key.delete) return { type: 'delete' };
  if (key.leftArrow) return { type: key.ctrl || key.meta ? 'wordLeft' : 'left' };
  if (key.rightArrow) return { type: key.ctrl || key.meta ? 'wordRight' : 'right' };
  if (key.home) return { type: 'home' };
  if (key.end) return { type: 'end' };
  if (key.upArrow) return { type: 'up' };
  if (key.downArrow) return { type: 'down' };
  if (key.tab) return { type: 'tab' };
  if (key.escape) return { type: 'escape' };
  if (key.meta && metaKeys[input]) return { type: metaKeys[input] };
  if (key.ctrl || key.meta || !input) return null;
  const typedAhead = input.match(/^([\s\S]*?)\r\n?$/);
  if (typedAhead) return { type: 'insertThenSubmit', text: printable(typedAhead[1]!) };
  return { type: 'insert', text: printable(input) };
}

/** Pasted text keeps its line breaks and tabs; other control characters are dropped. */
export function printable(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

/** The plain text-editing keys, shared by the prompt and the permission message; null for others. */
export function applyEdit(current: EditorState, action: KeyAction): EditorState | null {
  switch (action.type) {
    case 'insert':
      return edit.insert(current, action.text);
    case 'backspace':
      return edit.backspace(current);
    case 'delete':
      return edit.deleteForward(current);
    case 'left':
      return edit.moveLeft(current);
    case 'right':
      return edit.moveRight(current);
    case 'home':
      return edit.moveHome(current);
    case 'end':
      return edit.moveEnd(current);
    case 'wordLeft':
      return edit.wordLeft(current);
    case 'wordRight':
      return edit.wordRight(current);
    case 'killToLineStart':
      return edit.killToLineStart(current);
    case 'killToLineEnd':
      return edit.killToLineEnd(current);
    case 'deleteWordBefore':
      return edit.deleteWordBefore(current);
    default:
      return null;
  }
}
