/**
 * The input box's text and cursor, edited by pure functions (each returns a new state), so every
 * key's effect is testable without a terminal. `cursor` is an index into `text`; it never splits a
 * surrogate pair.
 */
export interface EditorState {
  text: string;
  cursor: number;
}

export const emptyEditor: EditorState = { text: '', cursor: 0 };

export function editorOf(text: string): EditorState {
  return { text, cursor: text.length };
}

function previousIndex(text: string, index: number): number {
  if (index <= 0) return 0;
  const code = text.charCodeAt(index - 1);
  const isLowSurrogate = code >= 0xdc00 && code <= 0xdfff;
  return isLowSurrogate && index >= 2 ? index - 2 : index - 1;
}

function nextIndex(text: string, index: number): number {
  if (index >= text.length) return text.length;
  const code = text.charCodeAt(index);
  const isHighSurrogate = code >= 0xd800 && code <= 0xdbff;
  return isHighSurrogate && index + 1 < text.length ? index + 2 : index + 1;
}

const lineStart = (text: string, index: number) => text.lastIndexOf('\n', index - 1) + 1;
const lineEnd = (text: string, index: number) => {
  const end = text.indexOf('\n', index);
  return end === -1 ? text.length : end;
};

export function insert(state: EditorState, input: string): EditorState {
  const text = state.text.slice(0, state.cursor) + input + state.text.slice(state.cursor);
  return { text, cursor: state.cursor + input.length };
}

export function backspace(state: EditorState): EditorState {
  if (state.cursor === 0) return state;
  const from = previousIndex(state.text, state.cursor);
  return { text: state.text.slice(0, from) + state.text.slice(state.cursor), cursor: from };
}

export function deleteForward(state: EditorState): EditorState {
  if (state.cursor >= state.text.length) return state;
  const to = nextIndex(state.text, state.cursor);
  return { text: state.text.slice(0, state.cursor) + state.text.slice(to), cursor: state.cursor };
}

export const moveLeft = (s: EditorState): EditorState => ({ ...s, cursor: previousIndex(s.text, s.cursor) });
export const moveRight = (s: EditorState): EditorState => ({ ...s, cursor: nextIndex(s.text, s.cursor) });
export const moveHome = (s: EditorState): EditorState => ({ ...s, cursor: lineStart(s.text, s.cursor) });
export const moveEnd = (s: EditorState): EditorState => ({ ...s, cursor: lineEnd(s.text, s.cursor) });

const isWordChar = (c: string) => /[\p{L}\p{N}_]/u.test(c);

export function wordLeft(state: EditorState): EditorState {
  let i = state.cursor;
  while (i > 0 && !isWordChar(state.text[i - 1]!)) i -= 1;
  while (i > 0 && isWordChar(state.text[i - 1]!)) i -= 1;
  return { ...state, cursor: i };
}

export function wordRight(state: EditorState): EditorState {
  let i = state.cursor;
  while (i < state.text.length && !isWordChar(state.text[i]!)) i += 1;
  while (i < state.text.length && isWordChar(state.text[i]!)) i += 1;
  return { ...state, cursor: i };
}

/** Ctrl+U: deletes from the start of the line to the cursor (the line break before it, on an empty line). */
export function killToLineStart(state: EditorState): EditorState {
  const start = lineStart(state.text, state.cursor);
  const from = start === state.cursor ? Math.max(0, start - 1) : start;
  return { text: state.text.slice(0, from) + state.text.slice(state.cursor), cursor: from };
}

/** Ctrl+K: deletes from the cursor to the end of the line (the line break, at the end of one). */
export function killToLineEnd(state: EditorState): EditorState {
  const end = lineEnd(state.text, state.cursor);
  const to = end === state.cursor ? Math.min(state.text.length, end + 1) : end;
  return { text: state.text.slice(0, state.cursor) + state.text.slice(to), cursor: state.cursor };
}

/** Ctrl+W: deletes the word before the cursor and the spaces after it, like a shell. */
export function deleteWordBefore(state: EditorState): EditorState {
  let from = state.cursor;
  while (from > 0 && /\s/.test(state.text[from - 1]!)) from -= 1;
  while (from > 0 && !/\s/.test(state.text[from - 1]!)) from -= 1;
  return { text: state.text.slice(0, from) + state.text.slice(state.cursor), cursor: from };
}

/** Where the cursor is, as a line number and a column (both from 0). */
export function cursorPosition(state: EditorState): { line: number; column: number } {
  const before = state.text.slice(0, state.cursor);
  const line = before.split('\n').length - 1;
  return { line, column: state.cursor - lineStart(state.text, state.cursor) };
}

/**
 * Up/Down inside multi-line text, keeping the column where the line is long enough. Returns null
 * on the first (up) or last (down) line: there the key belongs to history.
 */
export function moveVertically(state: EditorState, direction: -1 | 1): EditorState | null {
  const { line, column } = cursorPosition(state);
  const lines = state.text.split('\n');
  const target = line + direction;
  if (target < 0 || target >= lines.length) return null;
  let offset = 0;
  for (let i = 0; i < target; i++) offset += lines[i]!.length + 1;
  return { ...state, cursor: offset + Math.min(column, lines[target]!.length) };
}
