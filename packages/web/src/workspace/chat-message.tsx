import type { PermissionReply } from '@aura/protocol';
import type { MessageView, ToolCallView } from '../state/session-view.ts';
import { Spinner } from '../ui/button.tsx';
import { PermissionPrompt } from './permission-prompt.tsx';
import { toolSummary } from './tool-summary.ts';

export type PermissionReplyHandler = (
  requestId: string,
  reply: Omit<PermissionReply, 'requestId'>,
) => Promise<unknown>;

interface ChatMessageProps {
  message: MessageView;
  onPermissionReply: PermissionReplyHandler;
}

export function ChatMessage({ message, onPermissionReply }: ChatMessageProps) {
  if (message.role === 'user') {
    return (
      <div className="flex justify-end">
        <div className="max-w-[85%] rounded-2xl rounded-br-sm bg-indigo-600 px-3.5 py-2 text-sm whitespace-pre-wrap text-white">
          {message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('')}
        </div>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-2 text-sm">
      {message.scripted && (
        <span className="self-start rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-900/50 dark:text-amber-200">
          Scripted replay{message.model ? ` · ${message.model}` : ''}
        </span>
      )}
      {message.parts.map((part, index) => {
        const key = `${part.type}-${index}`;
        if (part.type === 'text') {
          return (
            <p key={key} className="leading-relaxed whitespace-pre-wrap">
              {part.text}
            </p>
          );
        }
        if (part.type === 'reasoning') {
          return (
            <details key={key} className="text-xs text-zinc-500">
              <summary className="cursor-pointer select-none">Reasoning</summary>
              <p className="mt-1 whitespace-pre-wrap">{part.text}</p>
            </details>
          );
        }
        if (part.type === 'tool') return <ToolLine key={key} call={part.call} />;
        return (
          <PermissionPrompt
            key={key}
            request={part.request}
            onReply={(reply) => onPermissionReply(part.request.requestId, reply)}
          />
        );
      })}
      {message.streaming && message.parts.length === 0 && <Spinner label="Thinking" />}
    </div>
  );
}

const statusText: Record<ToolCallView['status'], string> = {
  running: 'running',
  completed: 'done',
  error: 'failed',
  interrupted: 'interrupted',
};

const statusClass: Record<ToolCallView['status'], string> = {
  running: 'text-indigo-600 dark:text-indigo-400',
  completed: 'text-emerald-600 dark:text-emerald-400',
  error: 'text-red-600 dark:text-red-400',
  interrupted: 'text-zinc-500',
};

/** A compact line per tool call; the expandable card comes with the full chat panel. */
function ToolLine({ call }: { call: ToolCallView }) {
  const summary = toolSummary(call.tool, call.input);
  return (
    <div className="flex items-center gap-2 rounded-lg border border-zinc-200 px-2.5 py-1.5 font-mono text-xs dark:border-zinc-800">
      {call.status === 'running' ? <Spinner /> : null}
      <span className="font-semibold">{call.tool}</span>
      <span className="min-w-0 flex-1 truncate text-zinc-600 dark:text-zinc-400" title={summary}>
        {summary}
      </span>
      <span className={statusClass[call.status]}>{statusText[call.status]}</span>
    </div>
  );
}
