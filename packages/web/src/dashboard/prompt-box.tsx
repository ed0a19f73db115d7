import { type FormEvent, type KeyboardEvent, useId, useState } from 'react';
import { Button } from '../ui/button.tsx';
import { SparkIcon } from '../ui/icons.tsx';
import { readSetting, writeSetting } from '../ui/storage.ts';
import { ModelInput } from './model-input.tsx';
import { startApp } from './start-app.ts';
import { StartError } from './start-error.tsx';
import { useStartApp } from './use-start-app.ts';

const modelKey = 'aura.model';

/** The big "describe your app" box: a new project, built from the description. */
export function PromptBox() {
  const id = useId();
  const [description, setDescription] = useState('');
  const [model, setModel] = useState(() => readSetting(modelKey) ?? '');
  const start = useStartApp(() => startApp(description, model.trim() || undefined));

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!description.trim() || start.isPending) return;
    writeSetting(modelKey, model.trim() || null);
    start.mutate();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) submit();
  };

  return (
    <form
      onSubmit={submit}
      className="flex flex-col gap-3 rounded-2xl border border-zinc-200 bg-white p-4 shadow-sm focus-within:border-indigo-400 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <label htmlFor={id} className="text-lg font-semibold tracking-tight">
        What do you want to build?
      </label>
      <textarea
        id={id}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        onKeyDown={onKeyDown}
        rows={4}
        placeholder="A habit tracker with a weekly calendar view, streaks and a dark mode…"
        aria-describedby={`${id}-hint`}
        className="min-h-24 w-full resize-y bg-transparent text-base placeholder:text-zinc-400 focus:outline-none"
      />
      <StartError error={start.error} />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <ModelInput value={model} onChange={setModel} />
        <div className="flex items-center gap-3">
          <span id={`${id}-hint`} className="hidden text-xs text-zinc-500 sm:inline">
            Ctrl/⌘ + Enter
          </span>
          <Button type="submit" variant="primary" busy={start.isPending} disabled={!description.trim()}>
            {!start.isPending && <SparkIcon />}
            Build it
          </Button>
        </div>
      </div>
    </form>
  );
}
