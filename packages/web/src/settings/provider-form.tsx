import { type FormEvent, useId, useState } from 'react';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { Field } from '../ui/field.tsx';
import type { CatalogModel } from './models-api.ts';
import { providerSpec } from './provider-catalog.ts';
import { type DraftErrors, type ProviderDraft, planSave, planTest } from './provider-draft.ts';
import { providerStatus } from './provider-status.ts';
import type { ProviderItem } from './providers-api.ts';
import { TestResultView } from './test-result-view.tsx';
import { useUpdatePreferences } from './use-preferences.ts';
import { useRemoveProvider, useSaveProvider, useTestProvider } from './use-providers.ts';

interface ProviderFormProps {
  item: ProviderItem;
  models: readonly CatalogModel[];
  /** The user's default model: a provider needing a model offers to become it while there is none. */
  defaultModel: string | null;
  onSaved?: (provider: string) => void;
}

/**
 * A provider's key, base URL and test. The key field is write-only: what is saved comes back
 * only as the server's hint, and the field is emptied once it is saved.
 */
export function ProviderForm({ item, models, defaultModel, onSaved }: ProviderFormProps) {
  const spec = providerSpec(item.provider);
  const id = useId();
  const suggestions = models
    .filter((m) => m.provider === item.provider)
    .map((m) => m.id.slice(item.provider.length + 1));
  const [draft, setDraft] = useState<ProviderDraft>(() => ({
    apiKey: '',
    baseUrl: item.key?.baseUrl ?? spec.baseUrlDefault ?? '',
    model: defaultModel?.startsWith(`${item.provider}/`)
      ? defaultModel.slice(item.provider.length + 1)
      : (suggestions[0] ?? ''),
    makeDefault: defaultModel === null,
  }));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [saved, setSaved] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const save = useSaveProvider(item.provider);
  const preferences = useUpdatePreferences();
  const remove = useRemoveProvider(item.provider);
  const test = useTestProvider(item.provider);

  const update = <K extends keyof ProviderDraft>(field: K, value: ProviderDraft[K]) => {
    setDraft((current) => ({ ...current, [field]: value }));
    setSaved(false);
    test.reset();
  };

  const runTest = () => {
    const plan = planTest(spec, providerStatus(item, models).usable, draft);
    setErrors(plan.ok ? {} : plan.errors);
    if (plan.ok) test.mutate(plan.value);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const plan = planSave(spec, item.key, draft);
    setErrors(plan.ok ? {} : plan.errors);
    if (!plan.ok) return;
    try {
      await save.mutateAsync(plan.value.input);
      if (plan.value.defaultModel) await preferences.mutateAsync({ defaultModel: plan.value.defaultModel });
    } catch {
      return; // The failed mutation's error is shown below.
    }
    // Forget the typed key, here and in the mutation's memory.
    save.reset();
    setDraft((current) => ({ ...current, apiKey: '' }));
    setSaved(true);
    onSaved?.(item.provider);
  };

  const offerDefault = spec.testNeedsModel && defaultModel === null;
  const busy = save.isPending || preferences.isPending;

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4" aria-label={`${spec.label} settings`}>
      <div className="grid gap-4 sm:grid-cols-2">
        {spec.key !== 'none' && (
          <Field
            label={spec.key === 'optional' ? 'API key (optional)' : 'API key'}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={draft.apiKey}
            onChange={(e) => update('apiKey', e.target.value)}
            placeholder={item.key?.hint ? `Saved key ${item.key.hint}` : spec.keyPlaceholder}
            hint={
              item.key?.hint
                ? `A key ending ${item.key.hint} is saved. Enter a new one to replace it.`
                : 'Stored encrypted on the server and never shown again.'
            }
            error={errors.apiKey}
          />
        )}
        {spec.baseUrl !== 'none' && (
          <Field
            label={spec.baseUrl === 'optional' ? 'Base URL (optional)' : 'Base URL'}
            type="url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            value={draft.baseUrl}
            onChange={(e) => update('baseUrl', e.target.value)}
            placeholder={spec.baseUrlPlaceholder ?? spec.baseUrlDefault}
            hint={
              spec.versionPath
                ? `Given without a path, ${spec.versionPath} is added.`
                : 'Only for a proxy or gateway in front of the provider.'
            }
            error={errors.baseUrl}
          />
        )}
        {spec.testNeedsModel && (
          <div className="flex flex-col gap-2">
            <Field
              label="Model"
              list={`${id}-models`}
              autoComplete="off"
              spellCheck={false}
              value={draft.model}
              onChange={(e) => update('model', e.target.value)}
              placeholder={suggestions[0] ?? 'llama-3.1-8b-instruct'}
              hint={`As the endpoint names it; runs use it as ${item.provider}/<model>.`}
              error={errors.model}
            />
            <datalist id={`${id}-models`}>
              {suggestions.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
            {offerDefault && (
              <label className="flex items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
                <input
                  type="checkbox"
                  checked={draft.makeDefault}
                  onChange={(e) => update('makeDefault', e.target.checked)}
                  className="size-4 accent-indigo-600"
                />
                Make it my default model
              </label>
            )}
          </div>
        )}
      </div>

      <ErrorAlert>{errors.form ?? errorMessage(save.error ?? preferences.error ?? remove.error)}</ErrorAlert>
      <TestResultView test={test} />

      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" variant="primary" busy={busy}>
          Save
        </Button>
        <Button onClick={runTest} busy={test.isPending}>
          Test
        </Button>
        {saved && (
          <span role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            Saved.
          </span>
        )}
        {item.key && !confirmRemove && (
          <Button variant="ghost" className="ml-auto" onClick={() => setConfirmRemove(true)}>
            Remove
          </Button>
        )}
        {item.key && confirmRemove && (
          <span className="ml-auto flex items-center gap-2 text-sm">
            Remove your {spec.label} settings?
            <Button
              variant="danger"
              busy={remove.isPending}
              onClick={() => remove.mutate(undefined, { onSuccess: () => setConfirmRemove(false) })}
            >
              Remove
            </Button>
            <Button variant="ghost" onClick={() => setConfirmRemove(false)}>
              Keep
            </Button>
          </span>
        )}
      </div>
    </form>
  );
}
