import { useCallback, useLayoutEffect, useRef } from 'react';
import { BuilderStrip } from './builder-strip.tsx';
import type { PermissionReplyHandler } from './chat-message.tsx';
import { Composer } from './composer.tsx';
import { ConnectionDot } from './connection-banner.tsx';
import { TimelineEntry } from './timeline-item.tsx';
import type { SessionStream } from './use-session-stream.ts';

/** Within this many pixels of the bottom, new content keeps the conversation scrolled down. */
const STICK_PX = 80;

export function ChatPanel({ stream }: { stream: SessionStream }) {
  const { view, queued, send, unqueue } = stream;
  const scroller = useRef<HTMLDivElement>(null);
  const stuck = useRef(true);
  const running = view.run?.status === 'running';
  const replyPermission = useCallback<PermissionReplyHandler>(
    (requestId, reply) => send({ type: 'permission_reply', data: { requestId, ...reply } }),
    [send],
  );

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && stuck.current) element.scrollTop = element.scrollHeight;
  });

  const onScroll = () => {
    const element = scroller.current;
    if (element) stuck.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_PX;
  };

  return (
    <div className="flex h-full min-h-0 flex-col">
      <h2 className="flex items-center justify-between border-b border-zinc-200 px-3 py-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:border-zinc-800">
        <span className="truncate normal-case">{view.title ?? 'Chat'}</span>
        <ConnectionDot status={stream.status} />
      </h2>
      <BuilderStrip builder={view.builder} />
      <div
        ref={scroller}
        onScroll={onScroll}
        role="log"
        aria-label="Conversation"
        aria-live="polite"
        className="flex min-h-0 flex-1 flex-col gap-4 overflow-y-auto p-4"
      >
        {view.items.length === 0 && queued.length === 0 && (
          <p className="m-auto text-center text-sm text-zinc-500">Ask Aura to build or change something.</p>
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
                <button type="button" className="underline" onClick={() => unqueue(item.id)}>
                  Don’t send
                </button>
              </span>
            </div>
          ) : null,
        )}
      </div>
      <Composer
        running={running}
        onSend={(text) => send({ type: 'send', data: { text } })}
        onStop={() => send({ type: 'cancel', data: {} }, { queue: false })}
      />
    </div>
  );
}
