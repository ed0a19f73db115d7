import type {
  Attachment,
  EventDataOf,
  FinishReason,
  RunStatus,
  SessionMode,
  SessionState,
  Usage,
} from '@aura/protocol';

/** Everything the IDE shows about one session, folded from its events (see reducer.ts). */
export interface SessionView {
  /** The last event applied; events with seq ≤ this are duplicates. */
  lastSeq: number;
  title: string | null;
  state: SessionState;
  run: RunView | null;
  /** The conversation, in event order. Messages and prompts live in their items. */
  items: TimelineItem[];
  /**
   * Where to find things in `items`. Entries are only ever added, so updating a message copies
   * the items array (cheap) but never these maps (which grow with the session).
   */
  messageAt: Record<string, number>;
  /** The item holding each permission request: the assistant message that asked, or its own. */
  permissionAt: Record<string, number>;
  /** The message each tool call belongs to. */
  toolCallIn: Record<string, string>;
  /** Files the agent is streaming or has written, by path. */
  files: Record<string, FileWriteView>;
  /** What the agent's tools did to the workspace, oldest first: the file tree and editor follow it. */
  fileChanges: FileChange[];
  /** The path each running write or edit call is changing, by tool call id. */
  fileWrites: Record<string, string>;
  builder: BuilderView;
  previewUrl: string | null;
  previewErrors: PreviewErrorView[];
  todos: EventDataOf<'todo_updated'>['items'];
  checkpoints: EventDataOf<'checkpoint_created'>[];
  /** Session totals after the latest model step. */
  usage: EventDataOf<'usage'>['session'] | null;
  /** The latest run's own totals, summed step by step while it runs; null before any run. */
  turnUsage: EventDataOf<'usage'>['session'] | null;
  /** A provider call being retried right now. */
  retry: EventDataOf<'provider_retry'> | null;
}

export type PreviewErrorView = EventDataOf<'preview_error'> & { seq: number; ts: number };

export interface RunView {
  runId: string;
  model: string;
  mode: SessionMode;
  maxSteps: number;
  status: 'running' | RunStatus;
  steps: number;
  error: string | null;
}

export type MessageItem = { kind: 'message'; seq: number; message: MessageView };
export type PermissionItem = { kind: 'permission'; seq: number; request: PermissionView };

export type TimelineItem =
  | MessageItem
  | PermissionItem
  | { kind: 'error'; seq: number; message: string; errorKind: string | null; retryable: boolean }
  | { kind: 'run_end'; seq: number; runId: string; status: RunStatus; error: string | null }
  | { kind: 'compacted'; seq: number; prunedToolOutputs: number };

export type MessagePart =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool'; call: ToolCallView }
  | { type: 'permission'; request: PermissionView };

export interface MessageView {
  id: string;
  role: 'user' | 'assistant';
  ts: number;
  /** User messages: their text and attachments. Assistant messages: parts in stream order. */
  parts: MessagePart[];
  attachments: Attachment[];
  model: string | null;
  scripted: boolean;
  /** Until message_done (or the run's end) the assistant is still writing. */
  streaming: boolean;
  /** A model step ended: the next text starts a new part instead of running on from the last. */
  stepEnded: boolean;
  finishReason: FinishReason | null;
  usage: Usage | null;
  checkpointId: string | null;
}

export type ToolCallStatus = 'running' | 'completed' | 'error' | 'interrupted';

export interface ToolCallView {
  toolCallId: string;
  messageId: string;
  tool: string;
  input: unknown;
  status: ToolCallStatus;
  output: string | null;
  durationMs: number | null;
  metadata: Record<string, unknown> | null;
}

export type PermissionStatus = 'pending' | 'allowed_once' | 'allowed_always' | 'rejected' | 'expired';

export interface PermissionView {
  requestId: string;
  tool: string;
  input: unknown;
  subject: string;
  description: string;
  status: PermissionStatus;
  message: string | null;
}

export interface FileWriteView {
  path: string;
  status: 'writing' | 'written';
  /** What has streamed so far; null for files reported written without streaming (edits, patches). */
  content: string | null;
  bytes: number | null;
}

/** What a tool did on disk. */
export type DiskChange =
  | { kind: 'written' | 'deleted'; path: string }
  | { kind: 'moved'; path: string; to: string }
  /** A command ran (exec, an MCP tool): any file may have changed. */
  | { kind: 'unknown' };

/** A disk change with the event and the run that made it. */
export type FileChange = DiskChange & { seq: number; runId: string | null };

export type PhaseStatus =
  | 'designing'
  | 'designed'
  | 'implementing'
  | 'installing'
  | 'starting'
  | 'verifying'
  | 'done'
  | 'failed'
  | 'cancelled';

export interface PhaseView {
  index: number;
  status: PhaseStatus;
  name: string | null;
  description: string | null;
  files: { path: string; purpose: string }[];
}

export interface BuilderView {
  /** Whether this session has run the app builder. */
  active: boolean;
  phases: PhaseView[];
  /** Every builder state the session passed through, with when. */
  history: { state: SessionState; ts: number }[];
  /** Verification problems sent back for another implementation round. */
  fixRounds: number;
  deps: EventDataOf<'deps_installed'> | null;
  complete: EventDataOf<'generation_complete'> | null;
  /** Files the latest build wrote, once per phase, in the order each was first written in it. */
  writes: { path: string; phase: number }[];
}

export const emptySessionView: SessionView = {
  lastSeq: 0,
  title: null,
  state: 'IDLE',
  run: null,
  items: [],
  messageAt: {},
  permissionAt: {},
  toolCallIn: {},
  files: {},
  fileChanges: [],
  fileWrites: {},
  builder: { active: false, phases: [], history: [], fixRounds: 0, deps: null, complete: null, writes: [] },
  previewUrl: null,
  previewErrors: [],
  todos: [],
  checkpoints: [],
  usage: null,
  turnUsage: null,
  retry: null,
};
