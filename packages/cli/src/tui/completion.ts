import type { EditorState } from './line-editor.ts';

/** The command name being typed: the input is one word that starts with `/`. */
export function slashQuery(editor: EditorState): string | null {
  const match = /^\/(\S*)$/.exec(editor.text);
  return match && editor.cursor === editor.text.length ? match[1]! : null;
}

export interface MentionToken {
  /** Index of the `@`. */
  start: number;
  /** What follows the `@` up to the cursor. */
  query: string;
}

/** The `@path` being typed at the cursor, if any. */
export function mentionAt(editor: EditorState): MentionToken | null {
  const before = editor.text.slice(0, editor.cursor);
  const match = /(?:^|\s)@([^\s@]*)$/.exec(before);
  if (!match) return null;
  const after = editor.text.slice(editor.cursor);
  if (after && !/^\s/.test(after)) return null;
  return { start: editor.cursor - match[1]!.length - 1, query: match[1]! };
}

/** Replaces the mention being typed with the chosen path (a directory stays open for more). */
export function acceptMention(editor: EditorState, token: MentionToken, path: string): EditorState {
  const completed = `@${path}${path.endsWith('/') ? '' : ' '}`;
  const text = editor.text.slice(0, token.start) + completed + editor.text.slice(editor.cursor);
  return { text, cursor: token.start + completed.length };
}
