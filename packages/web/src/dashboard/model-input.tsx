import { useId } from 'react';
import { inputClass } from '../ui/field.tsx';
import { useModels } from './use-dashboard.ts';

/**
 * A model id with the configured ones suggested; free text, because openai-compatible and
 * ollama models, and the labelled scripted demos, have ids no list can know. Empty means the
 * server's default.
 */
export function ModelInput({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const id = useId();
  const { data } = useModels();
  const available = data?.items.filter((m) => m.available) ?? [];
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-xs font-medium text-zinc-500 dark:text-zinc-400">
        Model
      </label>
      <input
        id={id}
        list={`${id}-list`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder="Server default"
        spellCheck={false}
        className={`${inputClass} w-56 py-1 text-xs`}
      />
      <datalist id={`${id}-list`}>
        {available.map((m) => (
          <option key={m.id} value={m.id} />
        ))}
      </datalist>
      {value.startsWith('script:') && (
        <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-900/50 dark:text-amber-200">
          scripted
        </span>
      )}
    </div>
  );
}
