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

export interface Database {
  sessions: SessionsTable;
  messages: MessagesTable;
  events: EventsTable;
  usage_records: UsageRecordsTable;
  settings: SettingsTable;
}
