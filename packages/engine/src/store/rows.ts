import type { EventEnvelope, Message, MessagePart, SessionInfo, Usage } from '@aura/protocol';
import type { Selectable } from 'kysely';
import type { EventsTable, MessagesTable, SessionsTable } from './schema.ts';
import { fromJson } from './validate.ts';

/** Row ↔ wire-type mapping. JSON columns are only ever written from validated values. */

export type UsageTotals = Usage & { steps: number };

export const emptyUsage = (): UsageTotals => ({
  inputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  cachedInputTokens: 0,
  costUsd: null,
  steps: 0,
});

export type SessionRow = Selectable<SessionsTable>;
export type MessageRow = Omit<Selectable<MessagesTable>, 'search_text'>;

export function toSessionInfo(row: SessionRow, usage: UsageTotals): SessionInfo {
  return {
    id: row.id,
    title: row.title,
    directory: row.directory,
    projectId: row.project_id,
    userId: row.user_id,
    model: row.model,
    mode: row.mode,
    state: row.state,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    lastSeq: Number(row.last_seq),
    usage,
  };
}

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    sessionId: row.session_id,
    role: row.role,
    parts: fromJson(row.parts) as MessagePart[],
    model: row.model,
    finishReason: row.finish_reason,
    usage: row.usage === null ? null : (fromJson(row.usage) as Usage),
    createdAt: Number(row.created_at),
  };
}

export function toEnvelope(row: Selectable<EventsTable>): EventEnvelope {
  // type and data were validated together on append.
  return {
    seq: Number(row.seq),
    sessionId: row.session_id,
    ts: Number(row.ts),
    type: row.type,
    data: fromJson(row.data),
  } as EventEnvelope;
}

/** The text parts of a message, joined, as stored in messages.search_text. */
export function searchText(parts: readonly MessagePart[]): string {
  return parts
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('\n')
    .replaceAll('\0', '');
}
