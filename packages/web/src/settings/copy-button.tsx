import { type RefObject, useState } from 'react';
import { Button } from '../ui/button.tsx';
import { onMac } from './shortcuts/platform.ts';

type CopyState = 'idle' | 'copied' | 'manual';

/**
 * Copies `text`. Where the clipboard API is missing (a plain-http address other than localhost)
 * it selects the text in `field` instead, for the person to copy.
 */
export function CopyButton({ text, field }: { text: string; field: RefObject<HTMLInputElement | null> }) {
  const [state, setState] = useState<CopyState>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      field.current?.select();
      setState('manual');
    }
  };
  return (
    <>
      <Button variant="primary" onClick={copy}>
        {state === 'copied' ? 'Copied' : 'Copy'}
      </Button>
      <span role="status" className="sr-only">
        {state === 'copied' ? 'Copied to the clipboard' : ''}
      </span>
      {state === 'manual' && (
        <span className="text-xs text-zinc-600 dark:text-zinc-400">
          Selected: press {onMac ? '⌘' : 'Ctrl'}+C to copy.
        </span>
      )}
    </>
  );
}
