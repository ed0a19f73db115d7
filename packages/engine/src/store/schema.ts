import type { EventType, FinishReason, MessageRole, SessionMode, SessionState } from '@aura/protocol';
import type { Generated } from 'kysely';

/**
 * The one TypeScript view of the schema that `migrations.ts` creates. Column names are snake_case;
 * timestamps are epoch milliseconds; JSON values are stored as text on both backends.
 * Enum-like columns are typed with the protocol unions: every write goes through `validate.ts`.
 */
export interface SessionsTable {
  id: string;
  title: string | null;
  directory: string;
  model: string | null;
  mode: SessionMode;
  state: SessionState;
  project_id: string | null;
  user_id: string | null;
  created_at: number;
  updated_at: number;
  /** Highest event seq handed out; bumped in the same transaction that inserts the events. */
  last_seq: Generated<number>;
  /** Highest message seq handed out (insertion order of messages). */
  message_seq: Generated<number>;
  /** created_at of the newest message; keeps message created_at strictly increasing per session. */
  last_message_at: Generated<number>;
}

export interface MessagesTable {
  id: string;
  session_id: string;
  seq: number;
  role: MessageRole;
  /** JSON: MessagePart[] */
  parts: string;
  model: string | null;
  finish_reason: FinishReason | null;
  /** JSON: Usage | null */
  usage: string | null;
  /** Text of the text parts, for search. */
  search_text: string;
  created_at: number;
}

export interface EventsTable {
  session_id: string;
  seq: number;
  ts: number;
  type: EventType;
  /** JSON: the event's data */
  data: string;
}

export interface UsageRecordsTable {
  session_id: string;
  message_id: string;
  step: number;
  model: string;
  input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cached_input_tokens: number;
  cost_usd: number | null;
  created_at: number;
}

export interface SettingsTable {
  scope: string;
  key: string;
  /** JSON */
  value: string;
  updated_at: number;
}

/** user_id columns below hold Better Auth user ids; no FK, Better Auth migrates its own tables. */
export interface ProjectsTable {
  id: string;
  user_id: string;
  name: string;
  description: string | null;
  template: string | null;
  sandbox_id: string | null;
  preview_url: string | null;
  thumbnail: string | null;
  /** Absolute path on the server host; internal, never sent to clients. */
  workspace: string;
  /** 1: the sandbox has the network (the default), 0: loopback only. */
  network: number;
  created_at: number;
  updated_at: number;
}

export interface ProviderKeysTable {
  user_id: string;
  provider: string;
  /** Encrypted by the caller; the store never sees the key itself. */
  ciphertext: string;
  hint: string;
  base_url: string | null;
  created_at: number;
  updated_at: number;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  /** sha-256 of the token, lowercase hex, computed by the caller; unique. */
  token_hash: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
}

/**
 * A device login (RFC 8628) in progress: the terminal client holds the device code, the person
 * types the user code into the IDE. Both are stored as sha-256 digests only.
 */
export interface DeviceCodesTable {
  device_code_hash: string;
  user_code_hash: string;
  /** What the client calls itself (a host name), shown to the person who approves it. */
  client_name: string;
  status: DeviceCodeStatus;
  /** Who approved or denied the request; null while pending. */
  user_id: string | null;
  /** The least time between two polls; grows by 5 s with each `slow_down`. */
  interval_s: number;
  last_polled_at: number | null;
  created_at: number;
  expires_at: number;
}

/** pending → approved | denied; approved → redeemed when the client collects its API token. */
export type DeviceCodeStatus = 'pending' | 'approved' | 'denied' | 'redeemed';

export interface Database {
  sessions: SessionsTable;
  messages: MessagesTable;
  events: EventsTable;
  usage_records: UsageRecordsTable;
  settings: SettingsTable;
  projects: ProjectsTable;
  provider_keys: ProviderKeysTable;
  api_tokens: ApiTokensTable;
  device_codes: DeviceCodesTable;
}
