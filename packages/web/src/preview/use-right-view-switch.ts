import { type RefObject, useEffect } from 'react';
import { useParentPanel } from 'react-resizable-panels';
import { rightView } from './right-view.ts';

/**
 * Lets the preview panel switch the right-hand area: "code" collapses the panel it sits in (the
 * editor beside it takes the room), "preview" expands it again. The view is read back from the
 * panel's width, so dragging it shut or open, or a layout restored from storage, count too.
 * False when the panel is not in a resizable layout and cannot switch.
 */
export function useRightViewSwitch(root: RefObject<HTMLElement | null>): boolean {
  const panel = useParentPanel();

  useEffect(() => {
    if (!panel) return;
    return rightView.attach((view) => (view === 'code' ? panel.collapse() : panel.expand()));
  }, [panel]);

  useEffect(() => {
    const element = root.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) rightView.report(entry.contentRect.width > 0 ? 'preview' : 'code');
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [root]);

  return panel !== null;
}
