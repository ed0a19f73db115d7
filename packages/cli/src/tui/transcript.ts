import type { EventDataOf, EventEnvelope, Message, TodoItem, ToolPart } from '@aura/protocol';
import type { ShellResult } from '../chat/backend.ts';

export type NoteTone = 'info' | 'dim' | 'warn' | 'error' | 'success';
export type ToolStatus = 'running' | 'ok' | 'error' | 'denied' | 'stopped';

/** One block of the transcript. `open` items may still change; closed ones never do. */
export type Item =
  /** `files`: what is attached, by name. */
  | { kind: 'user'; id: string; text: string; files?: string[] }
  | { kind: 'assistant'; id: string; messageId: string; text: string; open: boolean }
  | { kind: 'reasoning'; id: string; messageId: string; text: string; open: boolean }
  | {
      kind: 'tool';
      id: string;
      toolCallId: string;
      tool: string;
      input: unknown;
      status: ToolStatus;
      output?: string;
      metadata?: Record<string, unknown>;
      /** How the person answered the permission prompt for this call. */
      answer?: string;
    }
  | { kind: 'shell'; id: string; command: string; result?: ShellResult }
  | { kind: 'todos'; id: string; items: TodoItem[] }
  /** `hug`: printed right under the block before it, without a blank line. */
  | { kind: 'note'; id: string; tone: NoteTone; text: string; hug?: boolean };

/**
 * The transcript as two lists: `done` only grows and each of its items is printed once; `live` is
 * the part of the current turn that can still change, redrawn below it. An item moves to `done`
 * when it and everything before it is finished, so the printed order is always the real order.
 */
export interface Transcript {
  done: Item[];
  live: Item[];
  /** Numbers the items this client creates, for unique keys. */
  counter: number;
  /** Whether the scripted-model notice was shown in this session. */
  scriptedNoticeShown: boolean;
  /** An `error` event already explained the failure the run's end reports. */
  errorShownThisRun: boolean;
}

export const emptyTranscript: Transcript = {
  done: [],
  live: [],
  counter: 0,
  scriptedNoticeShown: false,
  errorShownThisRun: false,
};

const isOpen = (item: Item) =>
  ((item.kind === 'assistant' || item.kind === 'reasoning') && item.open) ||
  (item.kind === 'tool' && item.status === 'running') ||
  (item.kind === 'shell' && !item.result);

function settle(t: Transcript): Transcript {
  let count = 0;
  while (count < t.live.length && !isOpen(t.live[count]!)) count += 1;
  if (count === 0) return t;
  return { ...t, done: [...t.done, ...t.live.slice(0, count)], live: t.live.slice(count) };
}

/** An item before it has an id (applied to each kind of the union, so each keeps its fields). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type NewItem = WithoutId<Item>;

/** Appends an item to the live part (it moves up to `done` as soon as it can). */
export function addItem(t: Transcript, item: NewItem, id = `i${t.counter + 1}`): Transcript {
  return settle({ ...t, counter: t.counter + 1, live: [...t.live, { ...item, id } as Item] });
}

export function addNote(t: Transcript, tone: NoteTone, text: string, hug = false): Transcript {
  return addItem(t, { kind: 'note', tone, text, ...(hug ? { hug } : {}) });
}

function updateLive(t: Transcript, match: (item: Item) => boolean, change: (item: Item) => Item): Transcript {
  return settle({ ...t, live: t.live.map((item) => (match(item) ? change(item) : item)) });
}

/** Changes a live item by id (a finished `!cmd`); items already printed stay as they are. */
export function updateItem(t: Transcript, id: string, change: (item: Item) => Item): Transcript {
  return updateLive(t, (item) => item.id === id, change);
}

/** Streaming text blocks end when anything else follows them. */
function closeTextBlocks(t: Transcript): Transcript {
  return updateLive(
    t,
    (item) => (item.kind === 'assistant' || item.kind === 'reasoning') && item.open,
    (item) => ({ ...item, open: false }) as Item,
  );
}

function appendDelta(t: Transcript, kind: 'assistant' | 'reasoning', messageId: string, delta: string) {
  const last = t.live.at(-1);
  if (last && last.kind === kind && last.open && last.messageId === messageId) {
    return { ...t, live: [...t.live.slice(0, -1), { ...last, text: last.text + delta }] };
  }
  return addItem(closeTextBlocks(t), { kind, messageId, text: delta, open: true });
}

/** Closes everything still open when a run ends, however it ended. */
function closeAll(t: Transcript): Transcript {
  return updateLive(
    t,
    () => true,
    (item) => {
      if (item.kind === 'tool' && item.status === 'running') return { ...item, status: 'stopped' };
      if ((item.kind === 'assistant' || item.kind === 'reasoning') && item.open)
        return { ...item, open: false };
      return item;
    },
  );
}

function runEndNote(t: Transcript, data: EventEnvelope<'run_finished'>['data']): Transcript {
  switch (data.status) {
    case 'cancelled':
      return addNote(t, 'warn', 'cancelled — what was done so far is saved.');
    case 'error':
      return t.errorShownThisRun ? t : addNote(t, 'error', `error: ${data.error ?? 'the run failed'}`);
    case 'max_steps':
      return addNote(
        t,
        'warn',
        `stopped after ${data.steps} steps (the step limit). Send "continue" to go on.`,
      );
    case 'stuck':
      return addNote(t, 'warn', 'stopped: the agent kept repeating the same failing call.');
    case 'interrupted':
      return addNote(t, 'warn', `interrupted: ${data.error ?? 'the run was stopped before it finished'}`);
    default:
      return t;
  }
}

const builderStateNames: Record<string, string> = {
  DESIGNING_PHASE: 'designing the next phase',
  IMPLEMENTING_PHASE: 'implementing',
  INSTALLING_DEPS: 'installing dependencies',
  STARTING_SERVER: 'starting the dev server',
  VERIFYING: 'verifying',
  COMPLETE: 'complete',
};

/**
 * A permission answer goes under the call it was about (the newest running call of that tool);
 * an answer for something else (a `!cmd`) becomes a note of its own.
 */
export function recordAnswer(
  t: Transcript,
  tool: string | undefined,
  data: EventDataOf<'permission_resolved'>,
): Transcript {
  const said = data.reply === 'once' ? 'allowed once' : data.reply === 'always' ? 'always allowed' : 'denied';
  const answer = `${said}${data.message ? `: ${data.message}` : ''}`;
  const call = t.live.findLast(
    (i) => i.kind === 'tool' && i.status === 'running' && i.tool === tool && !i.answer,
  );
  if (call)
    return updateLive(
      t,
      (i) => i === call,
      (i) => ({ ...i, answer }) as Item,
    );
  return addNote(t, data.reply === 'reject' ? 'warn' : 'dim', `  → ${answer}`, true);
}

/** How one event changes the transcript (events that only change the status line leave it as is). */
export function applyEvent(t: Transcript, event: EventEnvelope): Transcript {
  switch (event.type) {
    case 'message_user':
      return addItem(closeTextBlocks(t), {
        kind: 'user',
        text: event.data.text,
        ...attachedFiles(event.data.attachments ?? []),
      });
    case 'message_start':
      if (!event.data.scripted || t.scriptedNoticeShown) return t;
      return {
        ...addNote(t, 'dim', `scripted model ${event.data.model}: replaying a script, not a real model`),
        scriptedNoticeShown: true,
      };
    case 'text_delta':
      return appendDelta(t, 'assistant', event.data.messageId, event.data.delta);
    case 'reasoning_delta':
      return appendDelta(t, 'reasoning', event.data.messageId, event.data.delta);
    case 'tool_call':
      return addItem(closeTextBlocks(t), {
        kind: 'tool',
        toolCallId: event.data.toolCallId,
        tool: event.data.tool,
        input: event.data.input,
        status: 'running',
      });
    case 'tool_result': {
      const { toolCallId, ok, output, metadata } = event.data;
      return updateLive(
        t,
        (item) => item.kind === 'tool' && item.toolCallId === toolCallId,
        (item) => ({ ...item, status: ok ? 'ok' : 'error', output, metadata }) as Item,
      );
    }
    case 'message_done': {
      const closed = closeTextBlocks(t);
      if (event.data.finishReason === 'length')
        return addNote(closed, 'warn', 'the answer was cut off: the model reached its output limit.');
      if (event.data.finishReason === 'content-filter')
        return addNote(closed, 'warn', "the provider's content filter stopped the answer.");
      return closed;
    }
    case 'run_started':
      return { ...t, errorShownThisRun: false };
    case 'run_finished':
      return runEndNote(closeAll(t), event.data);
    case 'error':
      return {
        ...addNote(t, event.data.kind === 'verification' ? 'warn' : 'error', `error: ${event.data.message}`),
        errorShownThisRun: true,
      };
    case 'provider_retry': {
      const { reason, delayMs, attempt } = event.data;
      return addNote(
        t,
        'dim',
        `${reason}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt})`,
        true,
      );
    }
    case 'context_compacted':
      return addNote(
        t,
        'dim',
        `context compacted: ${event.data.prunedToolOutputs} old tool outputs pruned (about ${event.data.estimatedTokensBefore} tokens before)`,
      );
    case 'todo_updated':
      return addItem(t, { kind: 'todos', items: event.data.items });
    case 'checkpoint_created': {
      const files = event.data.files.length;
      return addNote(
        t,
        'dim',
        `checkpoint saved (${files} file${files === 1 ? '' : 's'} changed; /undo reverts)`,
      );
    }
    case 'state_change': {
      const name = builderStateNames[event.data.state];
      return name ? addNote(closeTextBlocks(t), 'info', `▸ ${name}`) : t;
    }
    case 'phase_designed': {
      const files = event.data.files.map((f) => f.path).join(', ') || 'no files listed';
      return addNote(t, 'info', `phase ${event.data.phase + 1}: ${event.data.name} — ${files}`);
    }
    case 'files_written':
      return event.data.files.length ? addNote(t, 'dim', `wrote ${event.data.files.join(', ')}`) : t;
    case 'deps_installed':
      return addNote(
        t,
        'dim',
        `dependencies installed: ${event.data.command} (${(event.data.durationMs / 1000).toFixed(1)} s)`,
      );
    case 'server_started':
      return addNote(t, 'success', `dev server at ${event.data.url}`);
    case 'generation_complete':
      return addNote(
        t,
        'success',
        `built ${event.data.files.length} files in ${event.data.phases} phase${event.data.phases === 1 ? '' : 's'}`,
      );
    case 'preview_error':
      return addNote(t, 'warn', `preview ${event.data.kind}: ${event.data.message}`);
    default:
      return t;
  }
}

/** A user item's `files`: what each attachment is called (its file name, else its media type). */
function attachedFiles(attachments: readonly { filename?: string | undefined; mediaType: string }[]) {
  return attachments.length ? { files: attachments.map((a) => a.filename ?? a.mediaType) } : {};
}

const toolStatusOfPart: Record<ToolPart['state'], ToolStatus> = {
  running: 'stopped',
  completed: 'ok',
  error: 'error',
  denied: 'denied',
};

/**
 * Saved messages as closed transcript items, for a session opened with --continue or /session;
 * `heading`, when given, is a note printed before them.
 */
export function transcriptFromMessages(messages: Message[], heading?: string): Transcript {
  const done: Item[] = [];
  const id = () => `i${done.length + 1}`;
  if (heading) done.push({ kind: 'note', id: id(), tone: 'info', text: heading });
  for (const message of messages) {
    if (message.role === 'user') {
      const text = message.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n\n');
      const files = message.parts.flatMap((p) => (p.type === 'file' ? [p] : []));
      done.push({ kind: 'user', id: id(), text, ...attachedFiles(files) });
      continue;
    }
    for (const part of message.parts) {
      if (part.type === 'text' && part.text.trim())
        done.push({ kind: 'assistant', id: id(), messageId: message.id, text: part.text, open: false });
      else if (part.type === 'reasoning' && part.text.trim())
        done.push({ kind: 'reasoning', id: id(), messageId: message.id, text: part.text, open: false });
      else if (part.type === 'tool')
        done.push({
          kind: 'tool',
          id: id(),
          toolCallId: part.toolCallId,
          tool: part.tool,
          input: part.input,
          status: toolStatusOfPart[part.state],
          ...(part.output === undefined ? {} : { output: part.output }),
          ...(part.metadata ? { metadata: part.metadata } : {}),
        });
    }
  }
  return { ...emptyTranscript, done, counter: done.length };
}
