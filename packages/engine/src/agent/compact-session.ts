import type { Message, MessagePart } from '@aura/protocol';
import { type EventBus, SessionEvents } from '../bus/index.ts';
import { isRunState, NotFoundError, type Store } from '../store/index.ts';
import { estimateTokens, MIN_PRUNED_CHARS } from './compaction.ts';
import { toModelMessages } from './history.ts';

export interface CompactSessionResult {
  prunedToolOutputs: number;
  /** Rough size of the conversation sent to the model, before and after (four characters a token). */
  tokensBefore: number;
  tokensAfter: number;
}

const DEFAULT_KEEP_RECENT_TURNS = 2;
const PRUNED_PREFIX = '[output pruned by /compact';

/**
 * `/compact`: replaces, in the stored messages, the outputs of tool calls made before the last
 * `keepRecentTurns` user messages with a one-line note, so every later turn sends the model less.
 * Text, tool inputs and recent outputs stay. Refuses while a run is writing the session.
 */
export async function compactSession(
  store: Store,
  sessionId: string,
  opts: { keepRecentTurns?: number } = {},
): Promise<CompactSessionResult> {
  const keep = opts.keepRecentTurns ?? DEFAULT_KEEP_RECENT_TURNS;
  if (!Number.isInteger(keep) || keep < 0) {
    throw new Error(`keepRecentTurns must be a non-negative whole number, got ${String(keep)}`);
  }
  const session = await store.getSession(sessionId);
  if (!session) throw new NotFoundError('Session', sessionId);
  if (isRunState(session.state)) {
    throw new Error(
      `Session ${sessionId} has a run in progress (${session.state}); compact it once the run has finished or been cancelled.`,
    );
  }
  const messages = await store.listMessages(sessionId);
  const cutoff = cutoffIndex(messages, keep);
  const compacted = messages.map((message, index) => (index < cutoff ? pruneMessage(message) : message));

  let prunedToolOutputs = 0;
  for (const [index, message] of compacted.entries()) {
    const original = messages[index];
    if (message === original) continue;
    prunedToolOutputs += message.parts.filter((part, i) => part !== original?.parts[i]).length;
    await store.updateMessage(message.id, { parts: message.parts });
  }
  return {
    prunedToolOutputs,
    tokensBefore: estimateTokens(toModelMessages(messages)),
    tokensAfter: estimateTokens(toModelMessages(compacted)),
  };
}

/** Index of the first message of the last `keep` user turns (everything before it is old). */
function cutoffIndex(messages: readonly Message[], keep: number): number {
  if (keep === 0) return messages.length;
  let seen = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === 'user' && ++seen === keep) return i;
  }
  return 0;
}

/** The same message (identity kept) when nothing in it is worth pruning. */
function pruneMessage(message: Message): Message {
  let changed = false;
  const parts = message.parts.map((part): MessagePart => {
    if (part.type !== 'tool' || part.output === undefined) return part;
    if (part.output.length < MIN_PRUNED_CHARS || part.output.startsWith(PRUNED_PREFIX)) return part;
    changed = true;
    return { ...part, output: prunedNote(part.output) };
  });
  return changed ? { ...message, parts } : message;
}

function prunedNote(output: string): string {
  const lines = output.split('\n').length;
  return `${PRUNED_PREFIX}: ${lines} line${lines === 1 ? '' : 's'}; run the tool again if you need it]`;
}

/** `compactSession`, then a `context_compacted` event for every client watching, when it pruned anything. */
export async function compactAndAnnounce(
  store: Store,
  bus: EventBus,
  sessionId: string,
): Promise<CompactSessionResult> {
  const result = await compactSession(store, sessionId);
  if (result.prunedToolOutputs > 0) {
    const events = new SessionEvents(store, bus, sessionId);
    events.emit({
      type: 'context_compacted',
      data: { prunedToolOutputs: result.prunedToolOutputs, estimatedTokensBefore: result.tokensBefore },
    });
    await events.flush();
  }
  return result;
}
