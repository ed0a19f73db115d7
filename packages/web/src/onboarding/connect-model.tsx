import { useId, useState } from 'react';
import type { CatalogModel } from '../settings/models-api.ts';
import { keyOnlyProviders, providerSpec } from '../settings/provider-catalog.ts';
import { ProviderForm } from '../settings/provider-form.tsx';
import type { ProviderItem } from '../settings/providers-api.ts';
import { inputClass } from '../ui/field.tsx';

type Method = 'key' | 'ollama' | 'endpoint';

const methods: { value: Method; label: string; provider?: string }[] = [
  { value: 'key', label: 'Hosted provider' },
  { value: 'ollama', label: 'Ollama', provider: 'ollama' },
  { value: 'endpoint', label: 'OpenAI-compatible', provider: 'openai-compatible' },
];

interface ConnectModelProps {
  providers: readonly ProviderItem[];
  models: readonly CatalogModel[];
  defaultModel: string | null;
  onConnected: (provider: string) => void;
}

/** The three ways to connect a first model, each with its test. */
export function ConnectModel({ providers, models, defaultModel, onConnected }: ConnectModelProps) {
  const id = useId();
  const [method, setMethod] = useState<Method>('key');
  const hosted = keyOnlyProviders.filter((spec) => providers.some((p) => p.provider === spec.id));
  const [hostedId, setHostedId] = useState(hosted[0]?.id ?? '');
  const offered = methods.filter((m) =>
    m.provider ? providers.some((p) => p.provider === m.provider) : hosted.length > 0,
  );
  const providerId = methods.find((m) => m.value === method)?.provider ?? hostedId;
  const item = providers.find((p) => p.provider === providerId);

  return (
    <div className="flex flex-col gap-4">
      <fieldset className="flex w-fit flex-wrap rounded-lg border border-zinc-200 p-0.5 dark:border-zinc-800">
        <legend className="sr-only">How to connect</legend>
        {offered.map(({ value, label }) => (
          <label
            key={value}
            className="cursor-pointer rounded-md px-3 py-1.5 text-sm text-zinc-600 has-checked:bg-zinc-100 has-checked:font-medium has-checked:text-zinc-900 has-focus-visible:outline-2 has-focus-visible:outline-indigo-500 dark:text-zinc-400 dark:has-checked:bg-zinc-800 dark:has-checked:text-zinc-100"
          >
            <input
              type="radio"
              name={`${id}-method`}
              value={value}
              checked={method === value}
              onChange={() => setMethod(value)}
              className="sr-only"
            />
            {label}
          </label>
        ))}
      </fieldset>
      {method === 'key' && (
        <div className="flex flex-col gap-1.5">
          <label htmlFor={`${id}-provider`} className="text-sm font-medium text-zinc-700 dark:text-zinc-300">
            Provider
          </label>
          <select
            id={`${id}-provider`}
            value={hostedId}
            onChange={(e) => setHostedId(e.target.value)}
            className={`${inputClass} max-w-xs`}
          >
            {hosted.map((spec) => (
              <option key={spec.id} value={spec.id}>
                {spec.label}
              </option>
            ))}
          </select>
        </div>
      )}
      {item && (
        <>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{providerSpec(item.provider).blurb}</p>
          <ProviderForm
            key={item.provider}
            item={item}
            models={models}
            defaultModel={defaultModel}
            onSaved={onConnected}
          />
        </>
      )}
    </div>
  );
}
