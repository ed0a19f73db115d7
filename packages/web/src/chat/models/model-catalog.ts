import { request } from '../../api/http.ts';
import { queryKeys } from '../../api/query-keys.ts';

/** GET /api/models, with the fields the model picker needs. */
export interface ModelCatalog {
  items: { id: string; provider: string; available: boolean }[];
  scriptedAllowed: boolean;
  /** The bundled scripted demo, when the server allows scripted models. */
  demo: { model: string; prompt: string; mode: string; label: string } | null;
}

export const modelCatalogQuery = {
  queryKey: queryKeys.models,
  queryFn: () => request<ModelCatalog>('/api/models'),
  staleTime: 60_000,
};

export interface ModelOption {
  value: string;
  label: string;
  disabled: boolean;
}

export interface ModelGroup {
  label: string;
  options: ModelOption[];
}

export const isScripted = (model: string) => model.startsWith('script:');

/** A scripted model's label: its file name, never the server's full path. */
export function scriptedLabel(model: string): string {
  return `Scripted demo · ${model.slice('script:'.length).split('/').at(-1)}`;
}

/**
 * The picker's choices: the models whose provider is configured, grouped by provider; scripted
 * demos (only when the server allows them, and labelled as recordings); the models that need a key
 * first, disabled; and any `extra` ids (the session's model, one typed by hand) not listed yet.
 */
export function modelGroups(catalog: ModelCatalog | undefined, extra: readonly string[]): ModelGroup[] {
  const items = catalog?.items ?? [];
  const byProvider = new Map<string, ModelOption[]>();
  for (const item of items.filter((m) => m.available)) {
    const options = byProvider.get(item.provider) ?? [];
    options.push({ value: item.id, label: item.id, disabled: false });
    byProvider.set(item.provider, options);
  }
  const groups: ModelGroup[] = [...byProvider].map(([provider, options]) => ({ label: provider, options }));

  const known = new Set(items.map((m) => m.id));
  const scripted: ModelOption[] = [];
  if (catalog?.scriptedAllowed && catalog.demo) {
    scripted.push({ value: catalog.demo.model, label: catalog.demo.label, disabled: false });
    known.add(catalog.demo.model);
  }
  const others: ModelOption[] = [];
  for (const id of new Set(extra)) {
    if (!id || known.has(id)) continue;
    if (isScripted(id)) scripted.push({ value: id, label: scriptedLabel(id), disabled: false });
    else others.push({ value: id, label: id, disabled: false });
  }
  if (others.length > 0) groups.push({ label: 'Other', options: others });
  if (scripted.length > 0) groups.push({ label: 'Scripted (recordings, not models)', options: scripted });

  const missing = items.filter((m) => !m.available);
  if (missing.length > 0)
    groups.push({
      label: 'Needs a key (Settings)',
      options: missing.map((m) => ({ value: m.id, label: m.id, disabled: true })),
    });
  return groups;
}
