import type { SessionView } from './session-view.ts';

type Container =
  | 'items'
  | 'messageAt'
  | 'permissionAt'
  | 'toolCallIn'
  | 'files'
  | 'fileChanges'
  | 'fileWrites'
  | 'previewErrors'
  | 'checkpoints';

/**
 * A working copy of a view for folding one batch of events. Each collection is copied the first
 * time the batch writes to it and then updated in place, so a batch of thousands of deltas costs
 * one copy per collection instead of one per event; the view it started from is never touched.
 */
export class Draft {
  readonly view: SessionView;
  readonly #owned = new Set<Container>();

  constructor(base: SessionView) {
    this.view = { ...base };
  }

  own<K extends Container>(key: K): SessionView[K] {
    if (!this.#owned.has(key)) {
      const value = this.view[key];
      this.view[key] = (Array.isArray(value) ? [...value] : { ...value }) as SessionView[K];
      this.#owned.add(key);
    }
    return this.view[key];
  }
}
