import type { PermissionReply } from '@aura/protocol';
import { useState } from 'react';
import type { PermissionView } from '../state/session-view.ts';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { inputClass } from '../ui/field.tsx';

const outcome: Record<Exclude<PermissionView['status'], 'pending'>, string> = {
  allowed_once: 'Allowed once',
  allowed_always: 'Always allowed',
  rejected: 'Rejected',
  expired: 'Not answered before the run ended',
};

interface PermissionPromptProps {
  request: PermissionView;
  onReply: (reply: Omit<PermissionReply, 'requestId'>) => Promise<unknown>;
}

export function PermissionPrompt({ request, onReply }: PermissionPromptProps) {
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const reply = async (answer: PermissionReply['reply']) => {
    setBusy(true);
    setError(null);
    try {
      await onReply(message.trim() ? { reply: answer, message: message.trim() } : { reply: answer });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="flex min-w-0 flex-col gap-2 rounded-xl border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800/70 dark:bg-amber-950/30">
      <legend className="float-left font-medium">{request.description}</legend>
      <code className="rounded bg-white/70 px-2 py-1 font-mono text-xs break-all dark:bg-zinc-900/70">
        {request.subject}
      </code>
      {request.status === 'pending' ? (
        <>
          <input
            aria-label="Message to the agent (optional)"
            placeholder="Optional note for the agent, e.g. why you reject it"
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            className={`${inputClass} py-1 text-xs`}
          />
          <div className="flex flex-wrap gap-2">
            <Button variant="primary" busy={busy} onClick={() => reply('once')}>
              Allow once
            </Button>
            <Button disabled={busy} onClick={() => reply('always')}>
              Always allow
            </Button>
            <Button variant="ghost" disabled={busy} onClick={() => reply('reject')}>
              Reject
            </Button>
          </div>
          <ErrorAlert>{errorMessage(error)}</ErrorAlert>
        </>
      ) : (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          {outcome[request.status]}
          {request.message ? ` — “${request.message}”` : ''}
        </p>
      )}
    </fieldset>
  );
}
