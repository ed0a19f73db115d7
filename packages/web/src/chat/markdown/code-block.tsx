import { CopyButton } from '../copy-button.tsx';
import { HighlightedCode } from '../highlight/highlighted-code.tsx';
import { languageOf } from '../highlight/languages.ts';

interface CodeBlockProps {
  code: string;
  /** The fence's info string (`ts`, `bash`…), as written. */
  info: string | null;
  live: boolean;
}

/** A fenced code block: its language, a copy button, and the highlighted code. */
export function CodeBlock({ code, info, live }: CodeBlockProps) {
  const label = info?.trim().split(/\s+/)[0] ?? '';
  return (
    <figure className="min-w-0 overflow-hidden rounded-lg border border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900">
      <figcaption className="flex items-center justify-between border-b border-zinc-200 py-0.5 pr-1 pl-3 font-mono text-xs text-zinc-500 dark:border-zinc-800">
        <span>{label || 'text'}</span>
        <CopyButton text={code} label={`Copy ${label || 'code'}`} />
      </figcaption>
      <pre className="overflow-x-auto px-3 py-2 font-mono text-[0.8rem] leading-relaxed">
        <HighlightedCode code={code} language={languageOf(info)} live={live} />
      </pre>
    </figure>
  );
}
