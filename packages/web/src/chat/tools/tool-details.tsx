import { type ReactNode, useState } from 'react';
import type { ToolCallView } from '../../state/session-view.ts';
import { CheckIcon } from '../../ui/icons.tsx';
import { DiffView } from '../diff/diff-view.tsx';
import { type ToolDiff, toolDiff } from '../diff/tool-diff.ts';

/** Output beyond this many characters waits behind "show all". */
const INITIAL_OUTPUT_CHARS = 8_000;

const block =
  'max-h-80 overflow-auto rounded-md bg-zinc-50 px-2.5 py-2 font-mono text-xs leading-5 whitespace-pre-wrap break-words dark:bg-zinc-900';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="flex min-w-0 flex-col gap-1">
      <h4 className="text-[0.7rem] font-semibold tracking-wide text-zinc-500 uppercase">{title}</h4>
      {children}
    </section>
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface TodoItem {
  content: string;
  status: string;
}

function todoItems(input: unknown): TodoItem[] | null {
  if (!isRecord(input) || !Array.isArray(input.items)) return null;
  return input.items.filter(
    (item): item is TodoItem =>
      isRecord(item) && typeof item.content === 'string' && typeof item.status === 'string',
  );
}

/** What a call asks for, shown the way that tool is best read. Also used by permission prompts. */
export function ToolInput({ tool, input, diff }: { tool: string; input: unknown; diff?: ToolDiff | null }) {
  const shownDiff = diff === undefined ? toolDiff(tool, input, null) : diff;
  if (shownDiff) return <DiffView files={shownDiff.files} />;
  const fields = isRecord(input) ? input : {};
  if (tool === 'exec' && typeof fields.command === 'string') {
    return (
      <pre className={block}>
        <span className="text-zinc-400 select-none">$ </span>
        {fields.command}
      </pre>
    );
  }
  const todos = tool === 'todo' ? todoItems(input) : null;
  if (todos) return <TodoList items={todos} />;
  return <pre className={block}>{JSON.stringify(input, null, 2) ?? 'undefined'}</pre>;
}

function TodoList({ items }: { items: TodoItem[] }) {
  return (
    <ul className="flex flex-col gap-1 text-xs">
      {items.map((item) => (
        <li key={item.content} className="flex items-center gap-2">
          <span
            className={`flex size-4 items-center justify-center rounded border ${
              item.status === 'completed'
                ? 'border-emerald-500 bg-emerald-500 text-white'
                : item.status === 'in_progress'
                  ? 'border-indigo-500'
                  : 'border-zinc-300 dark:border-zinc-600'
            }`}
          >
            {item.status === 'completed' && <CheckIcon className="size-3" />}
            {item.status === 'in_progress' && <span className="size-1.5 rounded-full bg-indigo-500" />}
          </span>
          <span className={item.status === 'completed' ? 'text-zinc-500 line-through' : ''}>
            {item.content}
          </span>
          <span className="sr-only">({item.status.replace('_', ' ')})</span>
        </li>
      ))}
    </ul>
  );
}

function ToolOutput({ output, failed }: { output: string; failed: boolean }) {
  const [all, setAll] = useState(false);
  const long = output.length > INITIAL_OUTPUT_CHARS;
  return (
    <>
      <pre className={`${block} ${failed ? 'text-red-700 dark:text-red-300' : ''}`}>
        {long && !all ? `${output.slice(0, INITIAL_OUTPUT_CHARS)}…` : output || '(no output)'}
      </pre>
      {long && (
        <button
          type="button"
          onClick={() => setAll((value) => !value)}
          className="self-start text-xs font-medium text-indigo-600 hover:underline dark:text-indigo-400"
        >
          {all ? 'Show less' : `Show all ${output.length.toLocaleString('en-US')} characters`}
        </button>
      )}
    </>
  );
}

/** An expanded tool card: the change or the input, then what came back. */
export function ToolDetails({ call, diff }: { call: ToolCallView; diff: ToolDiff | null }) {
  const diffTitle =
    diff?.source === 'result' ? 'Change' : call.status === 'running' ? 'Proposed change' : 'Requested change';
  return (
    <div className="flex min-w-0 flex-col gap-3">
      <Section title={diff ? diffTitle : 'Input'}>
        <ToolInput tool={call.tool} input={call.input} diff={diff} />
      </Section>
      {call.output !== null && (
        <Section title={call.status === 'error' ? 'Error' : 'Output'}>
          <ToolOutput output={call.output} failed={call.status === 'error'} />
        </Section>
      )}
    </div>
  );
}
