import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Spinner } from '../ui/button.tsx';
import { DefaultModelPicker } from './default-model-picker.tsx';
import { type ProviderKind, providerSpec } from './provider-catalog.ts';
import { ProviderRow } from './provider-row.tsx';
import type { ProviderItem } from './providers-api.ts';
import { Section } from './section.tsx';
import { usePreferences } from './use-preferences.ts';
import { useModelCatalog, useProviders } from './use-providers.ts';

const groups: { title: string; kinds: ProviderKind[]; note?: string }[] = [
  { title: 'Hosted providers', kinds: ['hosted', 'server-only'] },
  { title: 'On your machine', kinds: ['local'] },
  {
    title: 'Your own endpoint',
    kinds: ['endpoint'],
    note: 'One OpenAI-compatible endpoint per account; its models are named openai-compatible/<model>.',
  },
];

export function ProvidersSection() {
  const providers = useProviders();
  const catalog = useModelCatalog();
  const preferences = usePreferences();
  const error = providers.error ?? catalog.error ?? preferences.error;
  const models = catalog.data?.items ?? [];
  const inGroup = (kinds: ProviderKind[]) => (item: ProviderItem) =>
    kinds.includes(providerSpec(item.provider).kind);
  return (
    <Section
      id="models"
      title="Models & providers"
      description="Keys are stored encrypted on the server and never sent back: a saved key shows only its last characters."
    >
      <ErrorAlert>{errorMessage(error)}</ErrorAlert>
      {!providers.data || !catalog.data || !preferences.data ? (
        !error && <Spinner label="Loading providers" />
      ) : (
        <>
          <DefaultModelPicker
            providers={providers.data}
            models={models}
            defaultModel={preferences.data.defaultModel}
          />
          {groups.map((group) => (
            <div key={group.title} className="flex flex-col gap-2">
              <h3 className="text-sm font-semibold text-zinc-700 dark:text-zinc-300">{group.title}</h3>
              {group.note && <p className="text-xs text-zinc-500 dark:text-zinc-400">{group.note}</p>}
              <ul className="flex flex-col gap-2">
                {providers.data.filter(inGroup(group.kinds)).map((item) => (
                  <ProviderRow
                    key={item.provider}
                    item={item}
                    models={models}
                    defaultModel={preferences.data.defaultModel}
                  />
                ))}
              </ul>
            </div>
          ))}
        </>
      )}
    </Section>
  );
}
