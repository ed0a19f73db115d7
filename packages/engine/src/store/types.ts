import type { EventEnvelope, EventInput, Message, SessionInfo, Usage } from '@aura/protocol';
import type { CreateMessageInput, ListMessagesOptions, MessagePatch } from './messages.ts';
import type { CreateSessionInput, ListSessionsOptions, SessionPatch } from './sessions.ts';
import type { UsageInput } from './usage.ts';

export type {
  CreateMessageInput,
  CreateSessionInput,
  ListMessagesOptions,
  ListSessionsOptions,
  MessagePatch,
  SessionPatch,
  UsageInput,
};

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';

  /** Starts in state IDLE, mode `chat` unless given. Throws ConflictError if `id` is taken. */
  createSession(input: CreateSessionInput): Promise<SessionInfo>;
  getSession(id: string): Promise<SessionInfo | undefined>;
  /** Newest `updatedAt` first (appending events or messages counts as an update); default limit 100. */
  listSessions(opts?: ListSessionsOptions): Promise<SessionInfo[]>;
  updateSession(id: string, patch: SessionPatch): Promise<SessionInfo | undefined>;
  /** Cascades to messages, events and usage. */
  deleteSession(id: string): Promise<boolean>;
  /** Title or message text contains `query`, ignoring case; default limit 20. */
  searchSessions(query: string, opts?: { limit?: number }): Promise<SessionInfo[]>;

  /** Throws NotFoundError (`Session <id> not found`) for a missing session. */
  createMessage(input: CreateMessageInput): Promise<Message>;
  updateMessage(id: string, patch: MessagePatch): Promise<Message | undefined>;
  getMessage(id: string): Promise<Message | undefined>;
  /**
   * Oldest first, ordered by createdAt then insertion sequence. createdAt is unique within a
   * session, so it is an exact cursor. With only `before` and `limit`, returns the newest `limit`
   * messages before the cursor (paging back); otherwise the oldest after `after`.
   */
  listMessages(sessionId: string, opts?: ListMessagesOptions): Promise<Message[]>;

  /**
   * Persists an event and returns its envelope: seq = previous max + 1 for that session, atomically,
   * even with concurrent appends from several processes. Throws NotFoundError for a missing session.
   */
  appendEvent(sessionId: string, event: EventInput): Promise<EventEnvelope>;
  /** One transaction, consecutive seqs. */
  appendEvents(sessionId: string, events: EventInput[]): Promise<EventEnvelope[]>;
  /** Ascending seq; `since` is exclusive. */
  listEvents(sessionId: string, opts?: { since?: number; limit?: number }): Promise<EventEnvelope[]>;

  /** Idempotent per (sessionId, messageId, step): recording a step again replaces it. */
  recordUsage(row: UsageInput): Promise<void>;
  /** Sums; costUsd sums known costs and is null only if no row had a price. */
  sessionUsage(sessionId: string): Promise<Usage & { steps: number }>;

  /** Key/value settings per scope (later: permission "always" rules). */
  getSetting(scope: string, key: string): Promise<unknown | undefined>;
  /** Stores any JSON value; `undefined` deletes the setting. */
  setSetting(scope: string, key: string, value: unknown): Promise<void>;

  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** SQLite file (created with its directory if missing) or ':memory:'. */
  sqlitePath?: string;
  /** PostgreSQL connection string; wins over sqlitePath. */
  databaseUrl?: string;
  /** PostgreSQL schema to keep the tables in (created if missing); default: the search_path's first. */
  schema?: string;
}
