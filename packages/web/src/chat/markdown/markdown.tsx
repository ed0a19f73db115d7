import { memo } from 'react';
import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { splitBlocks } from './blocks.ts';
import { finishedComponents, liveComponents } from './markdown-components.tsx';

const remarkPlugins = [remarkGfm];

interface MarkdownProps {
  text: string;
  /** More text is still arriving: the last block is the live one. */
  streaming?: boolean;
}

/**
 * An answer's markdown (GFM: tables, task lists, strikethrough, autolinks), rendered block by
 * block so that, while it streams, each delta re-parses only the block it lands in. Spacing is by
 * block margins, not flex gaps: a growing last block then re-lays out itself, not all its siblings.
 */
export const Markdown = memo(function Markdown({ text, streaming = false }: MarkdownProps) {
  const blocks = splitBlocks(text);
  return (
    <div className="min-w-0 space-y-3 leading-relaxed break-words">
      {blocks.map((block, index) => (
        <MarkdownBlock
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks only grow at the end, so a position names the same block on every delta
          key={index}
          source={block}
          live={streaming && index === blocks.length - 1}
        />
      ))}
    </div>
  );
});

/** Memoized on its text: a finished block renders once, however long the answer keeps streaming. */
const MarkdownBlock = memo(function MarkdownBlock({ source, live }: { source: string; live: boolean }) {
  return (
    <ReactMarkdown remarkPlugins={remarkPlugins} components={live ? liveComponents : finishedComponents}>
      {source}
    </ReactMarkdown>
  );
});
