import { useId, useRef } from 'react';
import { Button } from '../ui/button.tsx';
import { inputClass } from '../ui/field.tsx';
import { CopyButton } from './copy-button.tsx';
import type { CreatedApiToken } from './tokens-api.ts';

/** The new token, shown this once: the server keeps only its hash. */
export function TokenCreated({ created, onDone }: { created: CreatedApiToken; onDone: () => void }) {
  const id = useId();
  const field = useRef<HTMLInputElement>(null);
  return (
    <div className="flex flex-col gap-3 rounded-xl border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-900/70 dark:bg-emerald-950/30">
      <label htmlFor={id} className="text-sm font-semibold">
        Your new token “{created.name}”
      </label>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        Copy it now: it will not be shown again. The terminal client and scripts send it as{' '}
        <code className="font-mono text-xs">Authorization: Bearer &lt;token&gt;</code>.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <input
          ref={field}
          id={id}
          readOnly
          value={created.token}
          autoComplete="off"
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
          className={`${inputClass} min-w-0 flex-1 font-mono text-xs`}
        />
        <CopyButton text={created.token} field={field} />
      </div>
      <div>
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
