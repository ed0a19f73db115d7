import type { PermissionReply } from '@aura/protocol';
import { useId, useState } from 'react';
import { ToolInput } from '../chat/tools/tool-details.tsx';
import type { PermissionView } from '../state/session-view.ts';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { inputClass } from '../ui/field.tsx';
import { CheckIcon, CrossIcon, ShieldIcon } from '../ui/icons.tsx';

const outcome: Record<Exclude<PermissionView['status'], 'pending'>, string> = {
  allowed_once: 'Allowed once',
  allowed_always: 'Always allowed in this project',
  rejected: 'Rejected',
  expired: 'Not answered before the run ended',
};

/** The id of a pending prompt's element, so "review" elsewhere can bring it into view. */
export const permissionElementId = (requestId: string) => `permission-${requestId}`;

interface PermissionPromptProps {
  request: PermissionView;
  onReply: (reply: Omit<PermissionReply, 'requestId'>) => Promise<unknown>;
}

/**
 * The agent asks before a tool call the rules say to ask about. It shows what the call would do
 * (the command, the diff of a write), and takes: allow once; always allow (this exact subject, in
 * this project, from now on); or reject. An optional note goes back to the agent with the answer,
 * most usefully to say why a call was rejected.
 */
export function PermissionPrompt({ request, onReply }: PermissionPromptProps) {
  const id = useId();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<PermissionReply['reply'] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const reply = async (answer: PermissionReply['reply']) => {
    setBusy(answer);
    setError(null);
    try {
      const message = note.trim();
      await onReply(message ? { reply: answer, message } : { reply: answer });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  if (request.status !== 'pending') {
    const allowed = request.status === 'allowed_once' || request.status === 'allowed_always';
    return (
      <p className="flex min-w-0 items-center gap-1.5 text-xs text-zinc-500">
        {allowed ? (
          <CheckIcon className="size-3.5 text-emerald-600 dark:text-emerald-400" />
        ) : (
          <CrossIcon className="size-3.5 text-red-600 dark:text-red-400" />
        )}
        <span className="shrink-0">{outcome[request.status]}:</span>
        <span className="min-w-0 truncate font-mono" title={request.subject}>
          {request.subject}
        </span>
        {request.message && <span className="min-w-0 truncate italic">— “{request.message}”</span>}
      </p>
    );
  }

  return (
    <section
      id={permissionElementId(request.requestId)}
      tabIndex={-1}
      aria-labelledby={`${id}-title`}
      className="flex min-w-0 flex-col gap-2.5 rounded-xl border border-amber-300 bg-amber-50 p-3 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-amber-400 dark:border-amber-800/70 dark:bg-amber-950/30"
    >
      <h3 id={`${id}-title`} className="flex items-start gap-2 font-medium">
        <ShieldIcon className="mt-0.5 size-4 text-amber-600 dark:text-amber-400" />
        <span className="min-w-0">
          Aura wants to use <code className="font-mono">{request.tool}</code>
          <span className="block text-xs font-normal break-words text-zinc-600 dark:text-zinc-400">
            {request.description}
          </span>
        </span>
      </h3>
      <div className="min-w-0 rounded-lg bg-white/70 p-2 dark:bg-zinc-900/70">
        <ToolInput tool={request.tool} input={request.input} />
      </div>
      <label htmlFor={`${id}-note`} className="sr-only">
        Note for the agent (optional)
      </label>
      <textarea
        id={`${id}-note`}
        rows={1}
        placeholder="Optional note for the agent, e.g. why you reject it or what to do instead"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        className={`${inputClass} field-sizing-content max-h-32 resize-none py-1.5 text-xs`}
      />
      <div className="flex flex-wrap items-center gap-2">
        <Button
          variant="primary"
          busy={busy === 'once'}
          disabled={busy !== null}
          onClick={() => reply('once')}
        >
          Allow once
        </Button>
        <Button
          busy={busy === 'always'}
          disabled={busy !== null}
          onClick={() => reply('always')}
          aria-describedby={`${id}-always`}
        >
          Always allow
        </Button>
        <Button
          variant="ghost"
          busy={busy === 'reject'}
          disabled={busy !== null}
          onClick={() => reply('reject')}
        >
          {note.trim() ? 'Reject with note' : 'Reject'}
        </Button>
      </div>
      <p id={`${id}-always`} className="text-xs text-zinc-500">
        “Always” stops asking about <span className="font-mono break-all">{request.subject}</span> in this
        project.
      </p>
      <ErrorAlert>{errorMessage(error)}</ErrorAlert>
    </section>
  );
}
