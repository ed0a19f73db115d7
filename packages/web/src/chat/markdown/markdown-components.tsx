import type { Components, ExtraProps } from 'react-markdown';
import { ImageIcon } from '../../ui/icons.tsx';
import { CodeBlock } from './code-block.tsx';

type HastElement = NonNullable<ExtraProps['node']>;

/** The code and the fence's language of a `<pre><code>` block. */
function fencedCode(pre: HastElement | undefined): { code: string; info: string | null } {
  const code = pre?.children[0];
  if (code?.type !== 'element' || code.tagName !== 'code') return { code: '', info: null };
  const classes = code.properties.className;
  const language = Array.isArray(classes)
    ? classes.map(String).find((name) => name.startsWith('language-'))
    : undefined;
  const text = code.children.map((child) => (child.type === 'text' ? child.value : '')).join('');
  return { code: text.replace(/\n$/, ''), info: language?.slice('language-'.length) ?? null };
}

const link =
  'font-medium text-indigo-600 underline underline-offset-2 hover:text-indigo-500 dark:text-indigo-400';

/**
 * How the chat renders markdown elements. `live` is for the block still streaming: its code is
 * highlighted now and then rather than on every delta.
 */
function componentsFor(live: boolean): Components {
  return {
    pre: ({ node }) => <CodeBlock {...fencedCode(node)} live={live} />,
    code: ({ children }) => (
      <code className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.85em] dark:bg-zinc-800">
        {children}
      </code>
    ),
    a: ({ href, children }) => (
      <a href={href} target="_blank" rel="noreferrer noopener" className={link}>
        {children}
      </a>
    ),
    // An image the model names is not fetched: loading it would tell its server what the page shows.
    img: ({ src, alt }) => (
      <a
        href={typeof src === 'string' ? src : undefined}
        target="_blank"
        rel="noreferrer noopener"
        className={link}
      >
        <ImageIcon className="mr-1 inline size-4 align-[-3px]" />
        {alt || 'image'}
      </a>
    ),
    h1: ({ children }) => <h3 className="text-base font-semibold">{children}</h3>,
    h2: ({ children }) => <h3 className="text-base font-semibold">{children}</h3>,
    h3: ({ children }) => <h4 className="font-semibold">{children}</h4>,
    h4: ({ children }) => <h5 className="font-semibold">{children}</h5>,
    h5: ({ children }) => <h6 className="font-semibold">{children}</h6>,
    h6: ({ children }) => <h6 className="font-semibold">{children}</h6>,
    ul: ({ children, className }) => (
      <ul
        className={`flex flex-col gap-1 pl-5 ${className?.includes('contains-task-list') ? 'list-none pl-1' : 'list-disc'}`}
      >
        {children}
      </ul>
    ),
    ol: ({ children, start }) => (
      <ol start={start} className="flex list-decimal flex-col gap-1 pl-5">
        {children}
      </ol>
    ),
    li: ({ children }) => <li className="[&>ol]:mt-1 [&>p+p]:mt-2 [&>ul]:mt-1">{children}</li>,
    blockquote: ({ children }) => (
      <blockquote className="flex flex-col gap-2 border-l-2 border-zinc-300 pl-3 text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
        {children}
      </blockquote>
    ),
    hr: () => <hr className="border-zinc-200 dark:border-zinc-800" />,
    table: ({ children }) => (
      <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table className="w-full border-collapse text-left text-xs">{children}</table>
      </div>
    ),
    th: ({ children, style }) => (
      <th
        style={style}
        className="border-b border-zinc-200 bg-zinc-50 px-2.5 py-1.5 font-semibold dark:border-zinc-800 dark:bg-zinc-900"
      >
        {children}
      </th>
    ),
    td: ({ children, style }) => (
      <td style={style} className="border-t border-zinc-100 px-2.5 py-1.5 align-top dark:border-zinc-800/70">
        {children}
      </td>
    ),
  };
}

export const finishedComponents = componentsFor(false);
export const liveComponents = componentsFor(true);
