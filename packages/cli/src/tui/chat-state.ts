import type { EventDataOf, EventEnvelope, Message, SessionInfo } from '@aura/protocol';
import type { ShellResult } from '../chat/backend.ts';
import { sessionAfterEvent } from '../chat/session-events.ts';
import { toolLabel } from './render-item.ts';
import {
  addItem,
  addNote,
  applyEvent,
  type NoteTone,
  recordAnswer,
  type Transcript,
  transcriptFromMessages,
  updateItem,
} from './transcript.ts';

export type PermissionRequest = EventDataOf<'permission_request'>;

/** Everything the chat screen shows that comes from the session (the prompt's state lives apart). */
export interface ChatState {
  transcript: Transcript;
  /** Bumped when the transcript is printed afresh (at start, another session, a resize). */
  epoch: number;
  /**
   * The `done` items printed in one go when the epoch began; later ones are printed one by one
   * as they finish.
   */
  printedAtStart: number;
  /** The epoch began with a resize: the screen is cleared before the transcript is printed again. */
  reprinted: boolean;
  session: SessionInfo;
  scripted: boolean;
  permissions: PermissionRequest[];
  runActive: boolean;
  /** What the builder is writing right now, for the status line. */
  writingFile: string | null;
}

export type ChatAction =
  | { type: 'event'; event: EventEnvelope }
  | { type: 'note'; tone: NoteTone; text: string }
  | { type: 'shellStarted'; id: string; command: string }
  | { type: 'shellFinished'; id: string; result: ShellResult }
  | { type: 'sessionOpened'; session: SessionInfo; messages: Message[] }
  | { type: 'sessionChanged'; session: SessionInfo }
  | { type: 'reprint' };

const idleStates = new Set(['IDLE', 'COMPLETE', 'INTERRUPTED']);

export function initialChatState(session: SessionInfo, messages: Message[], heading?: string): ChatState {
  const transcript = transcriptFromMessages(messages, heading);
  return {
    transcript,
    epoch: 0,
    printedAtStart: transcript.done.length,
    reprinted: false,
    session,
    scripted: session.model?.startsWith('script:') ?? false,
    permissions: [],
    runActive: !idleStates.has(session.state),
    writingFile: null,
  };
}

function applyChatEvent(state: ChatState, event: EventEnvelope): ChatState {
  const next: ChatState = {
    ...state,
    transcript: applyEvent(state.transcript, event),
    session: sessionAfterEvent(state.session, event),
  };
  switch (event.type) {
    case 'message_start':
      return { ...next, scripted: event.data.scripted };
    case 'permission_request':
      return { ...next, permissions: [...state.permissions, event.data] };
    case 'permission_resolved': {
      const asked = state.permissions.find((p) => p.requestId === event.data.requestId);
      return {
        ...next,
        transcript: recordAnswer(next.transcript, asked?.tool, event.data),
        permissions: state.permissions.filter((p) => p.requestId !== event.data.requestId),
      };
    }
    case 'run_started':
      return { ...next, runActive: true };
    case 'run_finished':
      return { ...next, runActive: false, permissions: [], writingFile: null };
    case 'file_start':
      return { ...next, writingFile: event.data.path };
    case 'file_end':
      return { ...next, writingFile: null };
    default:
      return next;
  }
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'event':
      return action.event.sessionId === state.session.id ? applyChatEvent(state, action.event) : state;
    case 'note':
      return { ...state, transcript: addNote(state.transcript, action.tone, action.text) };
    case 'shellStarted':
      return {
        ...state,
        transcript: addItem(state.transcript, { kind: 'shell', command: action.command }, action.id),
      };
    case 'shellFinished':
      return {
        ...state,
        transcript: updateItem(state.transcript, action.id, (item) =>
          item.kind === 'shell' ? { ...item, result: action.result } : item,
        ),
      };
    case 'sessionOpened': {
      const { id, title } = action.session;
      const heading = action.messages.length
        ? `continuing session ${id}${title ? ` — ${title}` : ''}`
        : `new session ${id}`;
      return { ...initialChatState(action.session, action.messages, heading), epoch: state.epoch + 1 };
    }
    case 'sessionChanged': {
      // A switched model is known to be scripted only by its id until it answers.
      const modelChanged = action.session.model !== state.session.model;
      const scripted = modelChanged ? (action.session.model?.startsWith('script:') ?? false) : state.scripted;
      return { ...state, session: action.session, scripted };
    }
    case 'reprint':
      return {
        ...state,
        epoch: state.epoch + 1,
        printedAtStart: state.transcript.done.length,
        reprinted: true,
      };
  }
}

const builderActivity: Record<string, string> = {
  DESIGNING_PHASE: 'designing',
  IMPLEMENTING_PHASE: 'implementing',
  INSTALLING_DEPS: 'installing deps',
  STARTING_SERVER: 'starting server',
  VERIFYING: 'verifying',
};

/** The status line's state word: idle / thinking / writing / running tool X / waiting for permission. */
export function activityOf(state: ChatState): string {
  if (state.permissions.length > 0) return 'waiting for permission';
  const live = state.transcript.live;
  for (let i = live.length - 1; i >= 0; i--) {
    const item = live[i]!;
    if (item.kind === 'tool' && item.status === 'running') return `running ${toolLabel(item.tool)}`;
    if (item.kind === 'shell' && !item.result) return 'running shell command';
  }
  if (state.writingFile) return `writing ${state.writingFile}`;
  const builder = builderActivity[state.session.state];
  if (builder) return builder;
  if (state.runActive || !idleStates.has(state.session.state)) {
    const last = live.at(-1);
    return last?.kind === 'assistant' && last.open ? 'writing' : 'thinking';
  }
  return 'idle';
}

/** A turn or a `!command` is running: Ctrl-C cancels it, and a new message has to wait. */
export function isBusy(state: ChatState): boolean {
  const shellRunning = state.transcript.live.some((item) => item.kind === 'shell' && !item.result);
  return shellRunning || state.runActive || !idleStates.has(state.session.state);
}
