import { type CSSProperties, Fragment, memo } from 'react';
import type { LanguageId } from './languages.ts';
import type { HighlightedLines } from './tokens.ts';
import { useHighlighted } from './use-highlighted.ts';

/** Token colours come from the variables each token carries, for the light or the dark theme. */
const tokenColorClass = '[&_span]:text-(--shiki-light) dark:[&_span]:text-(--shiki-dark)';

interface HighlightedCodeProps {
  code: string;
  language: LanguageId | null;
  /** Still streaming: highlighted now and then, with the newest text plain until the next pass. */
  live?: boolean;
}

/** The `<code>` of a code block: highlighted tokens, then whatever they do not cover yet. */
export function HighlightedCode({ code, language, live = false }: HighlightedCodeProps) {
  const result = useHighlighted(code, language, live);
  const covered = result && code.startsWith(result.code) ? result : null;
  return (
    <code className={tokenColorClass}>
      {covered && <TokenLines lines={covered.lines} />}
      {covered ? code.slice(covered.code.length) : code}
    </code>
  );
}

/** Memoized on the lines: while code streams, only the plain tail after them renders again. */
const TokenLines = memo(function TokenLines({ lines }: { lines: HighlightedLines }) {
  return lines.map((line, index) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: lines never reorder; the index is their identity
    <Fragment key={index}>
      {index > 0 && '\n'}
      {line.map((token, at) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: tokens of a line never reorder either
        <span key={at} style={token.style as CSSProperties | undefined}>
          {token.content}
        </span>
      ))}
    </Fragment>
  ));
});
