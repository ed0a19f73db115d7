import { type FormEvent, useId, useState } from 'react';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { Field, inputClass } from '../ui/field.tsx';
import type { CatalogModel } from './models-api.ts';
import { providerSpec } from './provider-catalog.ts';
import { usableModels } from './provider-status.ts';
import type { ProviderItem } from './providers-api.ts';
import { useUpdatePreferences } from './use-preferences.ts';
import { validateModelId } from './validate.ts';

const CUSTOM = 'custom';

interface DefaultModelPickerProps {
  providers: readonly ProviderItem[];
  models: readonly CatalogModel[];
  defaultModel: string | null;
}

const priceLabel = (model: CatalogModel) =>
  model.price ? ` · $${model.price.input} in / $${model.price.output} out per 1M tokens` : '';

/** The model runs use when none is picked: a listed one, or any `provider/model` id. */
export function DefaultModelPicker({ providers, models, defaultModel }: DefaultModelPickerProps) {
  const id = useId();
  const choices = usableModels(providers, models);
  const listed = defaultModel === null || choices.some((m) => m.id === defaultModel);
  const [custom, setCustom] = useState(!listed);
  const [text, setText] = useState(listed ? '' : (defaultModel ?? ''));
  const [problem, setProblem] = useState<string>();
  const update = useUpdatePreferences();
  const byProvider = Map.groupBy(choices, (m) => m.provider);

  const choose = (value: string) => {
    setProblem(undefined);
    if (value === CUSTOM) {
      setCustom(true);
      return;
    }
    setCustom(false);
    update.mutate({ defaultModel: value || null });
  };

  const saveCustom = (event: FormEvent) => {
    event.preventDefault();
    const invalid = validateModelId(text);
    setProblem(invalid);
    if (!invalid) update.mutate({ defaultModel: text.trim() });
  };

  return (
    <div className="flex flex-col gap-3 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-col gap-1">
        <label htmlFor={id} className="text-sm font-semibold">
          Default model
        </label>
        <p id={`${id}-hint`} className="text-xs text-zinc-600 dark:text-zinc-400">
          New apps and messages use it when you pick no model. Only providers that are set up are listed.
        </p>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <select
          id={id}
          aria-describedby={`${id}-hint`}
          value={custom ? CUSTOM : (defaultModel ?? '')}
          onChange={(e) => choose(e.target.value)}
          className={`${inputClass} max-w-md`}
        >
          <option value="">Server default</option>
          {[...byProvider].map(([provider, list]) => (
            <optgroup key={provider} label={providerSpec(provider).label}>
              {list.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.id}
                  {priceLabel(m)}
                </option>
              ))}
            </optgroup>
          ))}
          <option value={CUSTOM}>Another model id…</option>
        </select>
        {update.isPending && <span className="text-sm text-zinc-500">Saving…</span>}
        {update.isSuccess && !custom && (
          <span role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            Saved.
          </span>
        )}
      </div>
      {custom && (
        <form onSubmit={saveCustom} noValidate className="flex flex-wrap items-end gap-3">
          <Field
            label="Model id"
            className="min-w-64 flex-1"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="ollama/qwen2.5-coder or openai-compatible/llama-3.1-8b"
            spellCheck={false}
            autoComplete="off"
            error={problem}
          />
          <Button type="submit" variant="primary" busy={update.isPending}>
            Save
          </Button>
          {update.isSuccess && (
            <span role="status" className="pb-2 text-sm text-emerald-700 dark:text-emerald-400">
              Saved.
            </span>
          )}
        </form>
      )}
      <ErrorAlert>{errorMessage(update.error)}</ErrorAlert>
    </div>
  );
}
