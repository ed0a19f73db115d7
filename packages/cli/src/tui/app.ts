import type { Message } from '@aura/protocol';
import { Box, type Key, Static, Text, useApp, useCursor, useInput, usePaste, useWindowSize } from 'ink';
import React, { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { ChatBackend, PermissionAnswer, ShellResult } from '../chat/backend.ts';
import { activityOf, chatReducer, initialChatState, isBusy } from './chat-state.ts';
import { acceptMention } from './completion.ts';
import { HistoryCursor, type PromptHistory } from './history.ts';
import { applyEdit, type KeyAction, keyAction, printable } from './keymap.ts';
import * as edit from './line-editor.ts';
import { type EditorState, emptyEditor } from './line-editor.ts';
import { attachMentions, type FileSnippet, mentionAttachments } from './mentions.ts';
import { filterPicker, movePicker, openPicker, type Picker, pickedItem } from './picker.ts';
import { renderItem, withSpacing } from './render-item.ts';
import { layoutScreen } from './screen.ts';
import { runSlashCommand } from './slash-commands.ts';
import { createTheme } from './theme.ts';
import type { Item, NoteTone } from './transcript.ts';
import { type Completion, useCompletion } from './use-completion.ts';
import { usePrintedTranscript } from './use-printed-transcript.ts';

const h = React.createElement;

export interface ChatAppProps {
  backend: ChatBackend;
  /** The session's saved messages, shown first. */
  initialMessages: Message[];
  history: PromptHistory;
  color: boolean;
  /** For `~` in the status line. */
  home?: string;
  /** Where /export writes by default. */
  cwd: string;
  /**
   * Reads a mentioned file for pasting into the prompt. Absent when the workspace is not on this
   * machine: mentions are then sent as attachments the server reads.
   */
  readMention?: (path: string, limit: number) => Promise<FileSnippet>;
  /** Notices from the backend (config warnings, reconnects), shown in the transcript. */
  subscribeNotices: (listener: (message: string) => void) => () => void;
}

interface OpenPicker {
  picker: Picker;
  onPick: (value: string) => Promise<void>;
}

const exitWindowMs = 2000;

/** Backends throw ChatErrors meant to be shown as they are; anything else is shown by its message. */
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function ChatApp(props: ChatAppProps): React.ReactNode {
  const { backend } = props;
  const { exit } = useApp();
  const { setCursorPosition } = useCursor();
  const { columns, rows } = useWindowSize();
  const theme = useMemo(() => createTheme(props.color), [props.color]);

  const [state, dispatch] = useReducer(chatReducer, undefined, () =>
    initialChatState(backend.session(), props.initialMessages),
  );
  const [editor, setEditor] = useState<EditorState>(emptyEditor);
  const [picker, setPicker] = useState<OpenPicker | null>(null);
  const [permissionMessage, setPermissionMessage] = useState<EditorState | null>(null);
  const [answered, setAnswered] = useState<ReadonlySet<string>>(new Set());
  const [hint, setHint] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const historyCursor = useRef(new HistoryCursor(props.history.entries));
  const lastInterrupt = useRef(0);
  const shellCount = useRef(0);
  const currentSession = useRef(state.session.id);
  currentSession.current = state.session.id;

  const note = (tone: NoteTone, text: string) => dispatch({ type: 'note', tone, text });

  const { subscribeNotices } = props;
  useEffect(() => {
    const offEvent = backend.onEvent((event) => dispatch({ type: 'event', event }));
    const offSession = backend.onSessionChange((session) => {
      if (session.id === currentSession.current) {
        dispatch({ type: 'sessionChanged', session });
        return;
      }
      backend.messages().then(
        (messages) => dispatch({ type: 'sessionOpened', session, messages }),
        (error: unknown) =>
          dispatch({ type: 'note', tone: 'error', text: `could not load the session: ${errorText(error)}` }),
      );
    });
    const offNotices = subscribeNotices((text) => dispatch({ type: 'note', tone: 'warn', text }));
    return () => {
      offEvent();
      offSession();
      offNotices();
    };
  }, [backend, subscribeNotices]);

  usePrintedTranscript(state, dispatch, columns, theme);

  const { completion, move: moveCompletion, dismiss: dismissCompletion } = useCompletion(editor, backend);

  const busy = isBusy(state) || pending !== null;
  if (cancelling && !busy) setCancelling(false);
  const permission = state.permissions.find((p) => !answered.has(p.requestId));

  // Leaving takes one more frame without the prompt and status, so only the transcript stays.
  const exitChat = () => setLeaving(true);
  useEffect(() => {
    if (leaving) exit();
  }, [leaving, exit]);

  /** Slash commands change the session without events (the model, for one): read it back. */
  const syncSession = () => {
    const current = backend.session();
    if (current.id === currentSession.current) dispatch({ type: 'sessionChanged', session: current });
  };

  async function runCommand(line: string) {
    setPending(line.split(/\s/)[0] ?? line);
    try {
      await runSlashCommand(line, {
        backend,
        busy: isBusy(state),
        note,
        pick: (title, items, onPick) => setPicker({ picker: openPicker(title, items), onPick }),
        exit: exitChat,
        cwd: props.cwd,
      });
    } catch (error) {
      note('error', errorText(error));
    } finally {
      setPending(null);
      syncSession();
    }
  }

  async function runShell(command: string) {
    shellCount.current += 1;
    const id = `shell-${shellCount.current}`;
    dispatch({ type: 'shellStarted', id, command });
    let result: ShellResult;
    try {
      result = await backend.shell(command);
    } catch (error) {
      result = { ok: false, exitCode: null, output: errorText(error) };
    }
    dispatch({ type: 'shellFinished', id, result });
  }

  async function sendPrompt(text: string) {
    setPending('sending');
    try {
      if (props.readMention) {
        const attached = await attachMentions(text, props.readMention);
        for (const file of attached.attached)
          if (file.note) note('warn', `@${file.path}: ${file.note}`);
          else if (file.truncatedFrom)
            note(
              'dim',
              `@${file.path}: attached the first ${Buffer.byteLength(file.content ?? '')} of ${file.truncatedFrom} bytes`,
            );
        await backend.send(attached.text);
      } else {
        const mentioned = await mentionAttachments(text, async (path) =>
          (await backend.files(path)).includes(path),
        );
        for (const file of mentioned.notes) note('warn', `@${file.path}: ${file.note}`);
        await backend.send(text, mentioned.attachments);
      }
    } catch (error) {
      note('error', errorText(error));
    } finally {
      setPending(null);
    }
  }

  function submit(raw: string) {
    const text = raw.trim();
    if (!text) return;
    const isCommand = text.startsWith('/');
    if (busy && !isCommand) {
      setHint('a run is in progress: wait for it, or press Ctrl-C to cancel it');
      return;
    }
    void props.history.add(raw);
    historyCursor.current = new HistoryCursor(props.history.entries);
    setEditor(emptyEditor);
    if (isCommand) void runCommand(text);
    else if (text.startsWith('!')) void runShell(text.slice(1).trim());
    else void sendPrompt(text);
  }

  function interrupt() {
    if (picker) {
      setPicker(null);
      return;
    }
    if (busy) {
      setCancelling(true);
      backend.cancel().catch((error: unknown) => note('error', errorText(error)));
      return;
    }
    if (editor.text) {
      setEditor(emptyEditor);
      return;
    }
    const now = Date.now();
    if (now - lastInterrupt.current < exitWindowMs) {
      exitChat();
      return;
    }
    lastInterrupt.current = now;
    setHint('press Ctrl-C again to exit');
  }

  function answerPermission(requestId: string, answer: PermissionAnswer) {
    setAnswered((previous) => new Set(previous).add(requestId));
    setPermissionMessage(null);
    backend.replyPermission(requestId, answer).catch((error: unknown) => note('error', errorText(error)));
  }

  function permissionKey(requestId: string, input: string, action: KeyAction) {
    if (permissionMessage) {
      if (action.type === 'submit' || action.type === 'insertThenSubmit') {
        const typed =
          action.type === 'insertThenSubmit'
            ? edit.insert(permissionMessage, action.text)
            : permissionMessage;
        const message = typed.text.replace(/\s+/g, ' ').trim();
        answerPermission(requestId, message ? { reply: 'reject', message } : { reply: 'reject' });
      } else if (action.type === 'escape') answerPermission(requestId, { reply: 'reject' });
      else {
        const next = applyEdit(permissionMessage, action);
        if (next) setPermissionMessage(next);
      }
      return;
    }
    const answer = input.toLowerCase();
    if (answer === 'y') answerPermission(requestId, { reply: 'once' });
    else if (answer === 'a') answerPermission(requestId, { reply: 'always' });
    else if (answer === 'n') setPermissionMessage(emptyEditor);
    else if (action.type === 'escape') answerPermission(requestId, { reply: 'reject' });
  }

  function pickerKey(open: OpenPicker, action: KeyAction) {
    const { picker: current } = open;
    if (action.type === 'escape') setPicker(null);
    else if (action.type === 'up') setPicker({ ...open, picker: movePicker(current, -1) });
    else if (action.type === 'down' || action.type === 'tab')
      setPicker({ ...open, picker: movePicker(current, 1) });
    else if (action.type === 'submit') {
      const chosen = pickedItem(current);
      setPicker(null);
      if (!chosen) return;
      setPending(`${current.title}…`);
      open
        .onPick(chosen.value)
        .catch((error: unknown) => note('error', errorText(error)))
        .finally(() => {
          setPending(null);
          syncSession();
        });
    } else if (action.type === 'backspace')
      setPicker({ ...open, picker: filterPicker(current, current.filter.slice(0, -1)) });
    else if (action.type === 'insert')
      setPicker({ ...open, picker: filterPicker(current, current.filter + action.text) });
  }

  /** Tab, Enter, arrows and Esc belong to the completion list while it is open; true when used. */
  function completionKey(open: Completion, action: KeyAction): boolean {
    if (action.type === 'up' || action.type === 'down') {
      moveCompletion(action.type === 'up' ? -1 : 1);
      return true;
    }
    if (action.type === 'escape') {
      dismissCompletion();
      return true;
    }
    if (action.type !== 'tab' && action.type !== 'submit') return false;
    const value = open.values[open.index]!;
    if (open.kind === 'mention' && open.token) {
      setEditor(acceptMention(editor, open.token, value));
      return true;
    }
    if (action.type === 'tab') setEditor(edit.editorOf(`/${value} `));
    else submit(`/${value}`);
    return true;
  }

  function promptKey(action: KeyAction) {
    if (completion && completionKey(completion, action)) return;
    switch (action.type) {
      case 'submit':
        // A trailing backslash continues the message on a new line, as in a shell.
        if (editor.text[editor.cursor - 1] === '\\') setEditor(edit.insert(edit.backspace(editor), '\n'));
        else submit(editor.text);
        return;
      case 'insertThenSubmit':
        submit(edit.insert(editor, action.text).text);
        return;
      case 'newline':
        setEditor(edit.insert(editor, '\n'));
        return;
      case 'eof':
        if (!editor.text) exitChat();
        else setEditor(edit.deleteForward(editor));
        return;
      case 'up':
      case 'down': {
        const moved = edit.moveVertically(editor, action.type === 'up' ? -1 : 1);
        if (moved) {
          setEditor(moved);
          return;
        }
        const recalled =
          action.type === 'up' ? historyCursor.current.older(editor.text) : historyCursor.current.newer();
        if (recalled !== null) setEditor(edit.editorOf(recalled));
        return;
      }
      default: {
        const next = applyEdit(editor, action);
        if (next) setEditor(next);
      }
    }
  }

  useInput((input: string, key: Key) => {
    const action = keyAction(input, key);
    if (!action) return;
    if (action.type !== 'interrupt') setHint(null);
    if (action.type === 'interrupt') interrupt();
    else if (permission) permissionKey(permission.requestId, input, action);
    else if (picker) pickerKey(picker, action);
    else promptKey(action);
  });

  usePaste((text: string) => {
    const clean = printable(text);
    if (permission && permissionMessage)
      setPermissionMessage(edit.insert(permissionMessage, clean.replace(/\n/g, ' ')));
    else if (!permission && picker)
      setPicker({ ...picker, picker: filterPicker(picker.picker, picker.picker.filter + clean) });
    else if (!permission) setEditor(edit.insert(editor, clean));
  });

  const waiting = state.permissions.filter((p) => !answered.has(p.requestId)).length - 1;
  const screen = layoutScreen({
    state,
    editor,
    columns,
    rows,
    theme,
    ...(permission ? { permission: { request: permission, waiting, message: permissionMessage } } : {}),
    picker: picker?.picker ?? null,
    suggestions: completion && !permission && !picker ? completion : null,
    hint,
    activity: cancelling ? 'cancelling…' : (pending ?? activityOf(state)),
    location: backend.location,
    ...(props.home ? { home: props.home } : {}),
  });
  const { width } = screen;
  setCursorPosition(leaving ? undefined : screen.cursor);

  const printed = h(Static<Item>, {
    key: `printed-${state.epoch}`,
    items: state.transcript.done.slice(state.printedAtStart),
    children: (item: Item) =>
      h(Text, { key: item.id, wrap: 'hard' }, withSpacing(item, renderItem(item, { width, theme }))),
  });
  if (leaving)
    return h(Box, { flexDirection: 'column', width }, printed, h(Text, { wrap: 'hard' }, screen.liveText));
  const panel = h(
    Box,
    screen.bordered
      ? {
          flexDirection: 'column',
          borderStyle: 'round',
          borderColor: permission ? 'yellow' : 'gray',
          paddingX: 1,
          width,
        }
      : { flexDirection: 'column', width },
    ...screen.panelLines.map((line, i) => h(Text, { key: i, wrap: 'truncate' }, line)),
  );
  const line = (text: string, key: string) => h(Text, { key, wrap: 'truncate' }, text);
  return h(
    Box,
    { flexDirection: 'column', width },
    printed,
    screen.liveLines.length ? h(Text, { wrap: 'hard' }, screen.liveLines.join('\n')) : null,
    panel,
    ...screen.suggestionLines.map((text, i) => line(text, `s${i}`)),
    ...screen.hintLines.map((text, i) => line(text, `h${i}`)),
    line(screen.status, 'status'),
  );
}
