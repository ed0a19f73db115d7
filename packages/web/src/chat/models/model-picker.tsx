import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { isScripted, modelCatalogQuery, modelGroups, scriptedLabel } from './model-catalog.ts';

/** The select's value for "type an id": no model id can be empty-prefixed like this. */
const TYPE_AN_ID = ' type';

interface ModelPickerProps {
  /** The model for the next message; empty keeps the session's. */
  value: string;
  onChange: (model: string) => void;
  /** What the session last ran with, for the default choice's label. */
  sessionModel: string | null;
}

const displayName = (model: string) => (isScripted(model) ? scriptedLabel(model) : model);

/**
 * The model for the next message: configured models, the labelled scripted demo when the server
 * allows it, or any id typed by hand (Ollama, OpenAI-compatible, another script).
 */
export function ModelPicker({ value, onChange, sessionModel }: ModelPickerProps) {
  const id = useId();
  const catalog = useQuery(modelCatalogQuery);
  const [typing, setTyping] = useState(false);
  const groups = modelGroups(catalog.data, [sessionModel ?? '', value]);
  const effective = value || sessionModel || '';
  const control =
    'h-7 max-w-48 min-w-0 truncate rounded-md border border-zinc-300 bg-white px-1.5 text-xs text-zinc-700 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200';

  return (
    <div className="flex min-w-0 items-center gap-1.5">
      <label htmlFor={id} className="sr-only">
        Model
      </label>
      {typing ? (
        <input
          id={id}
          value={value}
          onChange={(event) => onChange(event.target.value.trim())}
          onBlur={() => setTyping(false)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' || event.key === 'Escape') {
              event.preventDefault();
              setTyping(false);
            }
          }}
          placeholder="provider/model"
          spellCheck={false}
          // biome-ignore lint/a11y/noAutofocus: typing an id is what the person just chose to do
          autoFocus
          className={control}
        />
      ) : (
        <select
          id={id}
          value={value}
          onChange={(event) => {
            if (event.target.value === TYPE_AN_ID) setTyping(true);
            else onChange(event.target.value);
          }}
          title={effective ? displayName(effective) : 'The server’s default model'}
          className={control}
        >
          <option value="">
            {sessionModel ? `Session model (${displayName(sessionModel)})` : 'Default model'}
          </option>
          {groups.map((group) => (
            <optgroup key={group.label} label={group.label}>
              {group.options.map((option) => (
                <option key={option.value} value={option.value} disabled={option.disabled}>
                  {option.label}
                </option>
              ))}
            </optgroup>
          ))}
          <option value={TYPE_AN_ID}>Type a model id…</option>
        </select>
      )}
      {isScripted(effective) && (
        <span className="hidden shrink-0 rounded bg-amber-100 @sm:inline px-1.5 py-0.5 text-[0.7rem] font-medium text-amber-800 dark:bg-amber-900/50 dark:text-amber-200">
          scripted
        </span>
      )}
    </div>
  );
}
