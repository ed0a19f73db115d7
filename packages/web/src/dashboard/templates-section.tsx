import { useState } from 'react';
import type { TemplateInfo } from '../api/projects.ts';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { TemplateDialog } from './template-dialog.tsx';
import { useTemplates } from './use-dashboard.ts';

export function TemplatesSection() {
  const { data: templates, error, isPending } = useTemplates();
  const [chosen, setChosen] = useState<TemplateInfo | null>(null);
  if (!isPending && !error && templates.length === 0) return null;
  return (
    <section aria-labelledby="templates-heading" className="flex flex-col gap-3">
      <h2 id="templates-heading" className="text-sm font-semibold text-zinc-700 dark:text-zinc-300">
        Or start from a template
      </h2>
      <ErrorAlert>{errorMessage(error)}</ErrorAlert>
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {templates?.map((template) => (
          <li key={template.name}>
            <button
              type="button"
              onClick={() => setChosen(template)}
              className="flex h-full w-full flex-col gap-1 rounded-xl border border-zinc-200 bg-white p-3 text-left transition-colors hover:border-indigo-400 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-indigo-500"
            >
              <span className="text-sm font-medium">
                {template.name}
                {template.default && <span className="ml-2 text-xs font-normal text-zinc-500">default</span>}
              </span>
              <span className="line-clamp-2 text-xs text-zinc-600 dark:text-zinc-400">
                {template.description}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <TemplateDialog template={chosen} onClose={() => setChosen(null)} />
    </section>
  );
}
