import type { EventEnvelope, EventInput, Message, SessionInfo, Usage } from '@aura/protocol';
import type { Kysely } from 'kysely';
import type { ApiTokenInfo, CreateApiTokenInput } from './api-tokens.ts';
import type {
  CreateDeviceCodeInput,
  DeviceCodePoll,
  DeviceCodeRequest,
  DeviceCodeStatus,
} from './device-codes.ts';
import type { CreateMessageInput, ListMessagesOptions, MessagePatch } from './messages.ts';
import type { CreateProjectInput, ListProjectsOptions, ProjectPatch, ProjectRecord } from './projects.ts';
import type { ProviderKeyInfo, SetProviderKeyInput } from './provider-keys.ts';
import type { Database } from './schema.ts';
import type { ImportSessionInput } from './session-import.ts';
import type { SessionSearchHit } from './session-search.ts';
import type { CreateSessionInput, ListSessionsOptions, SessionPatch } from './sessions.ts';
import type { UsageInput } from './usage.ts';

export type {
  ApiTokenInfo,
  CreateApiTokenInput,
  CreateDeviceCodeInput,
  CreateMessageInput,
  CreateProjectInput,
  CreateSessionInput,
  DeviceCodePoll,
  DeviceCodeRequest,
  DeviceCodeStatus,
  ImportSessionInput,
  ListMessagesOptions,
  ListProjectsOptions,
  ListSessionsOptions,
  MessagePatch,
  ProjectPatch,
  ProjectRecord,
  ProviderKeyInfo,
  SessionPatch,
  SessionSearchHit,
  SetProviderKeyInput,
  UsageInput,
};

/** The store's tables as Kysely sees them (snake_case columns, epoch-ms timestamps, JSON as text). */
export type StoreDatabase = Database;

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
  /** searchSessions, with the newest matching message of each session and a snippet of it. */
  searchSessionHits(query: string, opts?: { limit?: number }): Promise<SessionSearchHit[]>;
  /**
   * Writes a whole session (messages, events renumbered 1..N, usage rows) in one transaction: all
   * of it or nothing. Throws ConflictError when the session id or a message id is taken.
   */
  importSession(input: ImportSessionInput): Promise<SessionInfo>;
  /**
   * Sessions left mid-run (RUNNING, WAITING_PERMISSION or a builder phase) by a process that died: marks them INTERRUPTED
   * (bumping updatedAt) and returns them. Call at startup, before this process starts any run; it
   * cannot tell a dead process's runs from those of another server still alive on the same database.
   */
  markInterruptedSessions(): Promise<SessionInfo[]>;

  /**
   * Owner is a Better Auth user id. Names are trimmed, 1-200 characters; `workspace` must be an
   * absolute path. Throws ConflictError if `id` is taken.
   */
  createProject(input: CreateProjectInput): Promise<ProjectRecord>;
  getProject(id: string): Promise<ProjectRecord | undefined>;
  /**
   * The owner's projects only, newest `updatedAt` first, default limit 100; `total` counts every
   * match ignoring limit/offset. `search` matches name or description, ignoring case.
   */
  listProjects(opts: ListProjectsOptions): Promise<{ items: ProjectRecord[]; total: number }>;
  /** Bumps updatedAt when anything changes; undefined for a missing project. */
  updateProject(id: string, patch: ProjectPatch): Promise<ProjectRecord | undefined>;
  /**
   * Deletes the project and its sessions (with their messages, events and usage) in one
   * transaction. Leaves the workspace directory alone.
   */
  /** Workspaces of the projects whose sandbox network is switched off. */
  networkOffWorkspaces(): Promise<string[]>;
  deleteProject(id: string): Promise<boolean>;
  /** Bumps updatedAt to now; no-op for a missing project. */
  touchProject(id: string): Promise<void>;

  /**
   * Upserts the user's key for `provider`. `ciphertext` is encrypted by the caller; `hint` is at
   * most 16 characters; `baseUrl` must be an http(s) URL.
   */
  setProviderKey(input: SetProviderKeyInput): Promise<ProviderKeyInfo>;
  /** Ordered by provider; never includes the ciphertext. */
  listProviderKeys(userId: string): Promise<ProviderKeyInfo[]>;
  getProviderKeyCiphertext(
    userId: string,
    provider: string,
  ): Promise<{ ciphertext: string; baseUrl: string | null } | undefined>;
  /** Every sealed key of a user, ordered by provider, in one query. */
  listProviderKeyCiphertexts(
    userId: string,
  ): Promise<{ provider: string; ciphertext: string; baseUrl: string | null }[]>;
  deleteProviderKey(userId: string, provider: string): Promise<boolean>;

  /**
   * `tokenHash` is the token's sha-256 in lowercase hex (InvalidInputError otherwise). Throws
   * ConflictError when the hash is already stored.
   */
  createApiToken(input: CreateApiTokenInput): Promise<ApiTokenInfo>;
  /** The unexpired token with this hash and its owner, setting lastUsedAt = now; else undefined. */
  findApiTokenByHash(tokenHash: string): Promise<(ApiTokenInfo & { userId: string }) | undefined>;
  /** Newest first, expired ones included. */
  listApiTokens(userId: string): Promise<ApiTokenInfo[]>;
  /** Deletes only a token `userId` owns. */
  deleteApiToken(userId: string, id: string): Promise<boolean>;

  /**
   * Starts a device login (RFC 8628) from the sha-256 digests of its codes; sweeps codes that
   * expired over an hour ago. Throws ConflictError when the user code is taken.
   */
  createDeviceCode(input: CreateDeviceCodeInput): Promise<void>;
  /** The pending, unexpired device login with this user code, for its approver to see. */
  findPendingDeviceCode(userCodeHash: string): Promise<DeviceCodeRequest | undefined>;
  /** Approves or denies a pending, unexpired device login as `userId`; false when there is none. */
  decideDeviceCode(userCodeHash: string, userId: string, decision: 'approved' | 'denied'): Promise<boolean>;
  /**
   * The client's poll: counts it (too soon after the last one: `slow_down`, interval + 5 s) and
   * redeems an approval exactly once, even across server processes.
   */
  pollDeviceCode(deviceCodeHash: string): Promise<DeviceCodePoll>;

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

  /**
   * The store's Kysely instance, so Better Auth can share its connection and transactions
   * (`{ db: store.kysely, type: store.dialect }`). Typed with the store's tables because that is
   * what the instance was built with (Kysely's table type is invariant, so a narrower type would be
   * a cast); the database also holds Better Auth's tables, which this type does not describe.
   * Write the store's tables only through the methods above: they validate and keep the counters.
   * Unusable after close().
   */
  readonly kysely: Kysely<StoreDatabase>;

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
