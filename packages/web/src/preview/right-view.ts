import { useCallback, useSyncExternalStore } from 'react';

/** What the workspace's right-hand area shows: the running app, or the code (the editor). */
export type RightView = 'preview' | 'code';

type Switcher = (view: RightView) => void;

/**
 * The one place the preview panel and the editor meet. The preview panel owns the switch (it
 * collapses or expands itself, so the editor takes or gives back the room) and reports the view
 * it ends up in; anyone else, the editor's toolbar say, reads the view and asks for a change.
 */
class RightViewStore {
  #view: RightView = 'preview';
  #switcher: Switcher | undefined;
  readonly #listeners = new Set<() => void>();

  readonly get = (): RightView => this.#view;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  show(view: RightView): void {
    this.#switcher?.(view);
  }

  /** The preview panel takes the switch; the returned function hands it back. */
  attach(switcher: Switcher): () => void {
    this.#switcher = switcher;
    return () => {
      if (this.#switcher === switcher) this.#switcher = undefined;
    };
  }

  report(view: RightView): void {
    if (view === this.#view) return;
    this.#view = view;
    for (const listener of this.#listeners) listener();
  }
}

export const rightView = new RightViewStore();

/** The right-hand area's view, and a way to ask for the other one. */
export function useRightView(): [RightView, (view: RightView) => void] {
  const view = useSyncExternalStore(rightView.subscribe, rightView.get);
  return [view, useCallback((next: RightView) => rightView.show(next), [])];
}
