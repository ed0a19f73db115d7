import type { FinishReason, PermissionReply } from '@aura/protocol';
import { AttachmentChips } from '../chat/attachments/attachment-chips.tsx';
import { fromProtocol } from '../chat/attachments/attachments.ts';
import { CopyButton } from '../chat/copy-button.tsx';
import { formatCost, formatTokens } from '../chat/format.ts';
import { Markdown } from '../chat/markdown/markdown.tsx';
import { isScripted, scriptedLabel } from '../chat/models/model-catalog.ts';
import { ToolCard } from '../chat/tools/tool-card.tsx';
import type { MessagePart, MessageView } from '../state/session-view.ts';
import { Spinner } from '../ui/button.tsx';
import { PermissionPrompt } from './permission-prompt.tsx';

export type PermissionReplyHandler = (
  requestId: string,
  reply: Omit<PermissionReply, 'requestId'>,
) => Promise<unknown>;

interface ChatMessageProps {
  message: MessageView;
  onPermissionReply: PermissionReplyHandler;
}

/** Finish reasons worth a word under the answer; a normal stop or tool call needs none. */
const finishNote: Partial<Record<FinishReason, string>> = {
  length: 'The answer was cut off at the model’s output limit.',
  'content-filter': 'The provider’s content filter stopped the answer.',
  'max-steps': 'Stopped after the maximum number of steps.',
  stuck: 'Stopped: the agent kept repeating a failing step.',
};

export function ChatMessage({ message, onPermissionReply }: ChatMessageProps) {
  if (message.role === 'user') return <UserMessage message={message} />;
  const lastIndex = message.parts.length - 1;
  const answer = message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n\n');
  return (
    <article aria-label="Aura" className="min-w-0 space-y-2 text-sm">
      {message.scripted && (
        <span className="inline-block rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-900/50 dark:text-amber-200">
          {message.model && isScripted(message.model) ? scriptedLabel(message.model) : 'Scripted replay'} — a
          recording, not a model
        </span>
      )}
      {message.parts.map((part, index) => (
        <Part
          // biome-ignore lint/suspicious/noArrayIndexKey: parts only ever get appended or updated in place
          key={`${part.type}-${index}`}
          part={part}
          live={message.streaming && index === lastIndex}
          onPermissionReply={onPermissionReply}
        />
      ))}
      {message.streaming && message.parts.length === 0 && <Spinner label="Thinking" />}
      {!message.streaming && <MessageFooter message={message} answer={answer} />}
    </article>
  );
}

function Part({
  part,
  live,
  onPermissionReply,
}: {
  part: MessagePart;
  live: boolean;
  onPermissionReply: PermissionReplyHandler;
}) {
  switch (part.type) {
    case 'text':
      return <Markdown text={part.text} streaming={live} />;
    case 'reasoning':
      return (
        <details className="group text-xs text-zinc-500">
          <summary className="flex cursor-pointer items-center gap-1.5 select-none">
            {live ? <Spinner /> : null}
            {live ? 'Thinking…' : 'Reasoning'}
          </summary>
          <p className="mt-1 border-l-2 border-zinc-200 pl-2 whitespace-pre-wrap dark:border-zinc-800">
            {part.text}
          </p>
        </details>
      );
    case 'tool':
      return <ToolCard call={part.call} />;
    case 'permission':
      return (
        <PermissionPrompt
          request={part.request}
          onReply={(reply) => onPermissionReply(part.request.requestId, reply)}
        />
      );
  }
}

function MessageFooter({ message, answer }: { message: MessageView; answer: string }) {
  const note = message.finishReason ? finishNote[message.finishReason] : undefined;
  const { usage } = message;
  return (
    <>
      {note && <p className="text-xs text-amber-700 dark:text-amber-300">{note}</p>}
      <div className="flex items-center gap-2 text-xs text-zinc-400">
        {answer && <CopyButton text={answer} label="Copy answer" className="-ml-1.5" />}
        {usage && (
          <span title={`${usage.inputTokens} input and ${usage.outputTokens} output tokens`}>
            {formatTokens(usage.inputTokens + usage.outputTokens)} tokens · {formatCost(usage.costUsd)}
          </span>
        )}
      </div>
    </>
  );
}

function UserMessage({ message }: { message: MessageView }) {
  const text = message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
  return (
    <article aria-label="You" className="flex flex-col items-end gap-1.5">
      {message.attachments.length > 0 && (
        <AttachmentChips attachments={message.attachments.map(fromProtocol)} large />
      )}
      <div className="max-w-[85%] rounded-2xl rounded-br-sm bg-indigo-600 px-3.5 py-2 text-sm break-words whitespace-pre-wrap text-white">
        {text}
      </div>
    </article>
  );
}
