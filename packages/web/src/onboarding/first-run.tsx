import { useState } from 'react';
import { useCurrentUser } from '../auth/current-user.tsx';
import { Link } from '../router/link.tsx';
import { providerSpec } from '../settings/provider-catalog.ts';
import { hasUsableProvider } from '../settings/provider-status.ts';
import { usePreferences } from '../settings/use-preferences.ts';
import { useModelCatalog, useProviders } from '../settings/use-providers.ts';
import { Button } from '../ui/button.tsx';
import { ConnectModel } from './connect-model.tsx';
import { hideFirstRun, isFirstRunHidden } from './first-run-hidden.ts';
import { ScriptedDemoCard } from './scripted-demo-card.tsx';

/**
 * The dashboard's "connect a model" step, while no provider can serve a run: a key, an Ollama
 * address or an OpenAI-compatible endpoint, and the scripted demo when the server offers it.
 */
export function FirstRun() {
  const user = useCurrentUser();
  const providers = useProviders();
  const catalog = useModelCatalog();
  const preferences = usePreferences();
  const [hidden, setHidden] = useState(() => isFirstRunHidden(user.id));
  const [connected, setConnected] = useState<string | null>(null);

  if (connected) {
    return (
      <div
        role="status"
        className="flex flex-wrap items-center gap-3 rounded-2xl border border-emerald-300 bg-emerald-50 p-4 text-sm dark:border-emerald-900/70 dark:bg-emerald-950/30"
      >
        <span className="flex-1">
          <strong className="font-semibold">{providerSpec(connected).label} is connected.</strong> Describe an
          app below and Aura builds it.
        </span>
        <Button variant="ghost" onClick={() => setConnected(null)}>
          Close
        </Button>
      </div>
    );
  }
  if (hidden || !providers.data || !catalog.data || !preferences.data) return null;
  if (hasUsableProvider(providers.data, catalog.data.items)) return null;
  const demo = catalog.data.scriptedAllowed ? catalog.data.demo : null;

  const hide = () => {
    hideFirstRun(user.id);
    setHidden(true);
  };

  return (
    <section
      aria-labelledby="first-run-heading"
      className="flex flex-col gap-5 rounded-2xl border border-indigo-200 bg-indigo-50/50 p-5 dark:border-indigo-900/60 dark:bg-indigo-950/20"
    >
      <div className="flex flex-wrap items-start gap-3">
        <div className="flex flex-1 flex-col gap-1">
          <h2 id="first-run-heading" className="text-lg font-semibold tracking-tight">
            Connect a model
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Aura needs a model to build with. Add a key for a hosted provider, point it at Ollama, or at any
            OpenAI-compatible endpoint. You can change this later in{' '}
            <Link
              href="/settings"
              className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
            >
              Settings
            </Link>
            .
          </p>
        </div>
        <Button variant="ghost" onClick={hide}>
          Not now
        </Button>
      </div>
      <ConnectModel
        providers={providers.data}
        models={catalog.data.items}
        defaultModel={preferences.data.defaultModel}
        onConnected={setConnected}
      />
      {demo && <ScriptedDemoCard demo={demo} />}
    </section>
  );
}
