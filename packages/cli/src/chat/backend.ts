import type { Attachment, EventEnvelope, Message, SessionInfo, Usage } from '@aura/protocol';

/** How the person answered a permission prompt (the same shape as the protocol's permission_reply). */
export interface PermissionAnswer {
  reply: 'once' | 'always' | 'reject';
  message?: string;
}

/** What `!cmd` produced. `denied` is set when a permission rule (or the person) refused it. */
export interface ShellResult {
  ok: boolean;
  exitCode: number | null;
  output: string;
  denied?: boolean;
}

/**
 * What the chat TUI drives: one session at a time, either in this process (LocalChatBackend,
 * the engine on the local store) or on an Aura server (RemoteChatBackend, over REST + SSE with a
 * token). The TUI knows nothing else about where the session lives.
 *
 * Errors the person can act on (unknown model, no such session, nothing to undo) are thrown as
 * `ChatError` with a message meant to be shown as is.
 */
export interface ChatBackend {
  readonly kind: 'local' | 'remote';
  /** Where the session lives, for the status line: the workspace directory or the server URL. */
  readonly location: string;
  /** The current session as last known (model, title, usage, state). */
  session(): SessionInfo;
  /** The current session's saved messages, oldest first, for the transcript when it opens. */
  messages(): Promise<Message[]>;
  /**
   * Live events of the current session, each once, in `seq` order, from after the saved
   * messages. Also fires `session_switched` (not a protocol event) through `onSessionChange`.
   */
  onEvent(listener: (event: EventEnvelope) => void): () => void;
  onSessionChange(listener: (session: SessionInfo) => void): () => void;
  /**
   * Starts a turn; resolves once it has started (its progress arrives as events). Attachments
   * whose `url` is a workspace path are read where the workspace is, when the turn starts.
   */
  send(text: string, attachments?: readonly Attachment[]): Promise<void>;
  /** Cancels the running turn, if any. */
  cancel(): Promise<void>;
  replyPermission(requestId: string, answer: PermissionAnswer): Promise<void>;
  /** Model ids the person can switch to (configured providers first). */
  models(): Promise<string[]>;
  /** Switches the session's model for the next turns; rejects an id that cannot be resolved. */
  setModel(model: string): Promise<void>;
  listSessions(limit?: number): Promise<SessionInfo[]>;
  /** `/clear`: a fresh session in the same workspace or project. */
  newSession(): Promise<SessionInfo>;
  /** `/session ID`: continue another session. */
  openSession(id: string): Promise<SessionInfo>;
  /** `/undo`: restores the workspace to before the last turn that changed files; says what it did. */
  undo(): Promise<string>;
  /** `/compact`: shrinks what the model is sent next (old tool outputs); says what it saved. */
  compact(): Promise<string>;
  usage(): Promise<Usage & { steps: number }>;
  /** Workspace paths for `@file` completion, those starting with `prefix` first; at most `limit`. */
  files(prefix: string, limit?: number): Promise<string[]>;
  /** `!cmd`: runs a command in the workspace under the permission rules for `exec`. */
  shell(command: string): Promise<ShellResult>;
  close(): Promise<void>;
}

/** A failure the person can act on, shown in the transcript as is. */
export class ChatError extends Error {
  override name = 'ChatError';
}
