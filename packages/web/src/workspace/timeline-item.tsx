import type { RunStatus } from '@aura/protocol';
import { memo } from 'react';
import type { TimelineItem } from '../state/session-view.ts';
import { AlertIcon } from '../ui/icons.tsx';
import { ChatMessage, type PermissionReplyHandler } from './chat-message.tsx';
import { PermissionPrompt } from './permission-prompt.tsx';

const runEndText: Record<RunStatus, string> = {
  completed: 'Done.',
  cancelled: 'Stopped.',
  error: 'The run failed.',
  max_steps: 'Stopped after the maximum number of steps.',
  stuck: 'Stopped: the agent kept repeating a failing step.',
  interrupted: 'Interrupted when the server stopped. Send a message to continue.',
};

interface TimelineItemProps {
  item: TimelineItem;
  onPermissionReply: PermissionReplyHandler;
}

/** Memoized: while an answer streams, only the item that changed renders again. */
export const TimelineEntry = memo(function TimelineEntry({ item, onPermissionReply }: TimelineItemProps) {
  switch (item.kind) {
    case 'message':
      return <ChatMessage message={item.message} onPermissionReply={onPermissionReply} />;
    case 'permission':
      return (
        <PermissionPrompt
          request={item.request}
          onReply={(reply) => onPermissionReply(item.request.requestId, reply)}
        />
      );
    case 'error':
      return (
        <div
          role="alert"
          className="flex min-w-0 gap-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200"
        >
          <AlertIcon className="mt-0.5 size-4" />
          <div className="flex min-w-0 flex-col gap-0.5">
            {item.errorKind === 'verification' && (
              <span className="font-medium">The build check found a problem; Aura is fixing it.</span>
            )}
            <p className="max-h-60 overflow-y-auto break-words whitespace-pre-wrap">{item.message}</p>
          </div>
        </div>
      );
    case 'run_end':
      return (
        <p className="text-center text-xs text-zinc-500">
          {runEndText[item.status]}
          {item.error && item.status !== 'error' ? ` ${item.error}` : ''}
        </p>
      );
    case 'compacted':
      return (
        <p className="text-center text-xs text-zinc-500">
          Older tool output was summarized to stay within the model’s context.
        </p>
      );
  }
});
