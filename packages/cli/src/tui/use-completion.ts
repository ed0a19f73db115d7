import { useEffect, useState } from 'react';
import type { ChatBackend } from '../chat/backend.ts';
import { type MentionToken, mentionAt, slashQuery } from './completion.ts';
import type { Suggestion } from './layout.ts';
import type { EditorState } from './line-editor.ts';
import { matchingCommands } from './slash-commands.ts';

export interface Completion {
  kind: 'slash' | 'mention';
  items: Suggestion[];
  values: string[];
  index: number;
  token?: MentionToken;
}

/**
 * The completion list for the prompt's text: command names after `/`, workspace paths after `@`
 * (asked of the backend; an answer that comes after the text changed is dropped). `dismiss`
 * closes it until the text changes.
 */
export function useCompletion(editor: EditorState, backend: ChatBackend) {
  const [completion, setCompletion] = useState<Completion | null>(null);
  const [dismissedAt, setDismissedAt] = useState<string | null>(null);

  useEffect(() => {
    if (dismissedAt === editor.text) return;
    const query = slashQuery(editor);
    if (query !== null) {
      const commands = matchingCommands(query);
      setCompletion(
        commands.length
          ? {
              kind: 'slash',
              items: commands.map((c) => ({ label: `/${c.name} ${c.args}`.trim(), detail: c.description })),
              values: commands.map((c) => c.name),
              index: 0,
            }
          : null,
      );
      return;
    }
    const token = mentionAt(editor);
    if (!token) {
      setCompletion(null);
      return;
    }
    let stale = false;
    backend.files(token.query, 20).then(
      (paths) => {
        if (stale) return;
        setCompletion(
          paths.length
            ? { kind: 'mention', items: paths.map((p) => ({ label: p })), values: paths, index: 0, token }
            : null,
        );
      },
      () => setCompletion(null),
    );
    return () => {
      stale = true;
    };
  }, [editor, dismissedAt, backend]);

  const visible = dismissedAt === editor.text ? null : completion;
  return {
    completion: visible,
    move(delta: number) {
      if (!visible) return;
      const count = visible.values.length;
      setCompletion({ ...visible, index: (visible.index + delta + count) % count });
    },
    dismiss() {
      setDismissedAt(editor.text);
    },
  };
}
