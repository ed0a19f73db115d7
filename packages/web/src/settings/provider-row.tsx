import { useId, useState } from 'react';
import { Button } from '../ui/button.tsx';
import type { CatalogModel } from './models-api.ts';
import { providerSpec } from './provider-catalog.ts';
import { ProviderForm } from './provider-form.tsx';
import { providerStatus } from './provider-status.ts';
import type { ProviderItem } from './providers-api.ts';
import { StatusBadge } from './status-badge.tsx';

interface ProviderRowProps {
  item: ProviderItem;
  models: readonly CatalogModel[];
  defaultModel: string | null;
}

/** One provider: what it is, whether it is set up, and its form on demand. */
export function ProviderRow({ item, models, defaultModel }: ProviderRowProps) {
  const spec = providerSpec(item.provider);
  const status = providerStatus(item, models);
  const [open, setOpen] = useState(false);
  const formId = useId();
  return (
    <li className="flex flex-col gap-4 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-start gap-3">
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <h4 className="text-sm font-semibold">{spec.label}</h4>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">{spec.blurb}</p>
          <StatusBadge status={status} />
        </div>
        {spec.kind !== 'server-only' && (
          <Button aria-expanded={open} aria-controls={formId} onClick={() => setOpen(!open)}>
            {open ? 'Close' : status.state === 'connected' ? 'Change' : 'Set up'}
          </Button>
        )}
      </div>
      {open && (
        <div id={formId} className="border-t border-zinc-200 pt-4 dark:border-zinc-800">
          <ProviderForm item={item} models={models} defaultModel={defaultModel} />
        </div>
      )}
    </li>
  );
}
