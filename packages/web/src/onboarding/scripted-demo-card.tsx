import { StartError } from '../dashboard/start-error.tsx';
import { useStartApp } from '../dashboard/use-start-app.ts';
import type { ScriptedDemo } from '../settings/models-api.ts';
import { Button } from '../ui/button.tsx';
import { startDemo } from './start-demo.ts';

/** The server's bundled demo: a recorded build replayed through the real agent, never a model. */
export function ScriptedDemoCard({ demo }: { demo: ScriptedDemo }) {
  const start = useStartApp(() => startDemo(demo));
  return (
    <div className="flex flex-col gap-3 rounded-xl border border-dashed border-amber-400 bg-amber-50/60 p-4 dark:border-amber-700 dark:bg-amber-950/20">
      <div className="flex flex-wrap items-center gap-2">
        <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-900/50 dark:text-amber-200">
          scripted demo
        </span>
        <h3 className="text-sm font-semibold">Try the scripted demo (no model, no key)</h3>
      </div>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        Replays a recorded session, “{demo.prompt}”, through Aura’s real agent loop, tools, sandbox and
        preview. {demo.label}. It builds the same app every time.
      </p>
      <StartError error={start.error} />
      <div>
        <Button onClick={() => start.mutate()} busy={start.isPending}>
          Start the scripted demo
        </Button>
      </div>
    </div>
  );
}
