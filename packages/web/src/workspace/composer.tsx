import { type FormEvent, type KeyboardEvent, useId, useState } from 'react';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';

interface ComposerProps {
  running: boolean;
  onSend: (text: string) => Promise<unknown>;
  onStop: () => Promise<unknown>;
}

/** The message box: Enter sends, Shift+Enter starts a new line; Stop while a run is going. */
export function Composer({ running, onSend, onStop }: ComposerProps) {
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [stopping, setStopping] = useState(false);

  const send = (event?: Pick<FormEvent, 'preventDefault'>) => {
    event?.preventDefault();
    const message = text.trim();
    if (!message || running) return;
    setText('');
    setError(null);
    onSend(message).catch((e: unknown) => {
      setError(e);
      // Give the words back unless something new has been typed meanwhile.
      setText((current) => current || message);
    });
  };

  const stop = () => {
    setStopping(true);
    onStop()
      .catch((e: unknown) => setError(e))
      .finally(() => setStopping(false));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) send(event);
  };

  return (
    <form onSubmit={send} className="flex flex-col gap-2 border-t border-zinc-200 p-3 dark:border-zinc-800">
      <ErrorAlert>{errorMessage(error)}</ErrorAlert>
      <label htmlFor={id} className="sr-only">
        Message
      </label>
      <textarea
        id={id}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        rows={3}
        placeholder={
          running ? 'Aura is working… you can type your next message' : 'Ask for a change or a new feature'
        }
        className="w-full resize-none rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900"
      />
      <div className="flex justify-end gap-2">
        {running ? (
          <Button variant="danger" onClick={stop} busy={stopping}>
            Stop
          </Button>
        ) : (
          <Button type="submit" variant="primary" disabled={!text.trim()}>
            Send
          </Button>
        )}
      </div>
    </form>
  );
}
