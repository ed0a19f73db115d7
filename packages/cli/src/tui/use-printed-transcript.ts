import { useStdout } from 'ink';
import { type Dispatch, useEffect, useLayoutEffect, useRef } from 'react';
import type { ChatAction, ChatState } from './chat-state.ts';
import { renderTranscript } from './render-item.ts';
import type { Theme } from './theme.ts';

const clearScreenAndScrollback = '\u001b[2J\u001b[3J\u001b[H';

/**
 * Prints the transcript afresh when an epoch begins: the saved history at start, another
 * session's, or everything again when the width changed (text above the live area cannot be
 * redrawn, so the screen is cleared first). It is written to the terminal directly: through
 * <Static> a long history would cost hundreds of MB of layout for one frame. Items finishing
 * later go through <Static>, one by one.
 */
export function usePrintedTranscript(
  state: ChatState,
  dispatch: Dispatch<ChatAction>,
  columns: number,
  theme: Theme,
): void {
  const { write } = useStdout();

  const printedWidth = useRef(columns);
  useEffect(() => {
    if (columns === printedWidth.current) return;
    // Once the resizing stops, not at every step of a dragged window edge.
    const timer = setTimeout(() => {
      printedWidth.current = columns;
      dispatch({ type: 'reprint' });
    }, 120);
    return () => clearTimeout(timer);
  }, [columns, dispatch]);

  const printedEpoch = useRef(-1);
  useLayoutEffect(() => {
    if (printedEpoch.current === state.epoch) return;
    printedEpoch.current = state.epoch;
    const items = state.transcript.done.slice(0, state.printedAtStart);
    const clear = state.reprinted ? clearScreenAndScrollback : '';
    const body = items.length ? `${renderTranscript(items, { width: Math.max(20, columns), theme })}\n` : '';
    if (clear || body) write(clear + body);
  }, [state, columns, theme, write]);
}
