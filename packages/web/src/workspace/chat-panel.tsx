import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { scrollWithin } from '../chat/scroll-within.ts';
import { UsageSummary } from '../chat/usage-summary.tsx';
import { useActiveFile } from '../editor/index.ts';
import { pendingPermissions } from '../state/selectors.ts';
import { ArrowDownIcon, ShieldIcon } from '../ui/icons.tsx';
import { BuilderStrip } from './builder-strip.tsx';
import type { PermissionReplyHandler } from './chat-message.tsx';
import { Composer, type OutgoingMessage } from './composer.tsx';
import { ConnectionDot } from './connection-banner.tsx';
import { permissionElementId } from './permission-prompt.tsx';
import { TimelineEntry } from './timeline-item.tsx';
import type { SessionStream } from './use-session-stream.ts';

/** Within this many pixels of the bottom, new content keeps the conversation scrolled down. */
const STICK_PX = 80;

export function ChatPanel({ stream, projectId }: { stream: SessionStream; projectId: string }) {
  const { view, queued, send, unqueue } = stream;
  const currentFile = useActiveFile()?.path ?? null;
  const scroller = useRef<HTMLDivElement>(null);
  const stuck = useRef(true);
  const [awayFromEnd, setAwayFromEnd] = useState(false);
  const running = view.run?.status === 'running';
  const waiting = pendingPermissions(view);

  const replyPermission = useCallback<PermissionReplyHandler>(
    (requestId, reply) => send({ type: 'permission_reply', data: { requestId, ...reply } }),
    [send],
  );

  const sendMessage = ({ text, attachments, model }: OutgoingMessage) =>
    send({
      type: 'send',
      data: { text, ...(attachments.length > 0 ? { attachments } : {}), ...(model ? { model } : {}) },
    });

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && stuck.current) element.scrollTop = element.scrollHeight;
  });

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    stuck.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_PX;
    setAwayFromEnd(!stuck.current);
  };

  const toEnd = () => {
    const element = scroller.current;
    if (!element) return;
    stuck.current = true;
    setAwayFromEnd(false);
    element.scrollTo({ top: element.scrollHeight, behavior: 'smooth' });
  };

  const review = () => {
    const prompt = document.getElementById(permissionElementId(waiting[0]?.requestId ?? ''));
    if (!prompt || !scroller.current) return;
    scrollWithin(scroller.current, prompt, 'center');
    prompt.focus({ preventScroll: true });
  };

  return (
    <div className="flex h-full min-h-0 flex-col">
      <h2 className="flex items-center justify-between gap-2 border-b border-zinc-200 px-3 py-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:border-zinc-800">
        <span className="truncate normal-case">{view.title ?? 'Chat'}</span>
        <ConnectionDot status={stream.status} />
      </h2>
      <BuilderStrip builder={view.builder} files={view.files} previewUrl={view.previewUrl} />
      <div className="relative flex min-h-0 flex-1 flex-col">
        <div
          ref={scroller}
          onScroll={onScroll}
          role="log"
          aria-label="Conversation"
          aria-live="polite"
          aria-busy={running}
          className="min-h-0 flex-1 space-y-4 overflow-y-auto p-4"
        >
          {view.items.length === 0 && queued.length === 0 && (
            <p className="pt-[20vh] text-center text-sm text-zinc-500">
              Ask Aura to build or change something.
            </p>
          )}
          {view.items.map((item) => (
            <TimelineEntry key={`${item.kind}-${item.seq}`} item={item} onPermissionReply={replyPermission} />
          ))}
          {view.retry && (
            <p className="text-center text-xs text-zinc-500">
              The model provider is busy ({view.retry.reason}); trying again, attempt {view.retry.attempt}.
            </p>
          )}
          {queued.map((item) =>
            item.command.type === 'send' ? (
              <div key={item.id} className="flex flex-col items-end gap-1">
                <div className="max-w-[85%] rounded-2xl rounded-br-sm bg-indigo-600/50 px-3.5 py-2 text-sm whitespace-pre-wrap text-white">
                  {item.command.data.text}
                </div>
                <span className="flex items-center gap-2 text-xs text-zinc-500">
                  Waiting for the connection
                  {item.command.data.attachments?.length
                    ? ` · ${item.command.data.attachments.length} attached`
                    : ''}
                  <button type="button" className="underline" onClick={() => unqueue(item.id)}>
                    Don’t send
                  </button>
                </span>
              </div>
            ) : null,
          )}
        </div>
        {awayFromEnd && (
          <button
            type="button"
            onClick={toEnd}
            className="absolute bottom-3 left-1/2 flex -translate-x-1/2 items-center gap-1 rounded-full border border-zinc-200 bg-white px-3 py-1 text-xs font-medium shadow-md hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
          >
            <ArrowDownIcon className="size-3.5" />
            Latest
          </button>
        )}
      </div>
      {waiting.length > 0 && (
        <div
          role="status"
          className="flex items-center gap-2 border-t border-amber-300 bg-amber-50 px-3 py-1.5 text-xs text-amber-900 dark:border-amber-800/70 dark:bg-amber-950/40 dark:text-amber-100"
        >
          <ShieldIcon className="size-4" />
          <span className="min-w-0 flex-1 truncate">
            Aura is waiting for your permission{waiting.length > 1 ? ` (${waiting.length} requests)` : ''}.
          </span>
          <button type="button" onClick={review} className="font-medium underline">
            Review<span className="sr-only"> the permission request</span>
          </button>
        </div>
      )}
      <Composer
        projectId={projectId}
        running={running}
        currentFile={currentFile}
        sessionModel={view.run?.model || null}
        status={<UsageSummary session={view.usage} turn={view.turnUsage} running={running} />}
        onSend={sendMessage}
        onStop={() => send({ type: 'cancel', data: {} }, { queue: false })}
      />
    </div>
  );
}
