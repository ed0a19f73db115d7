import { useSyncExternalStore } from 'react';
import { type WorkbenchState, workbench } from './workbench.ts';

/** A slice of the workbench's state; `select` must return the same value for the same state. */
export function useWorkbench<T>(select: (state: WorkbenchState) => T): T {
  return useSyncExternalStore(workbench.subscribe, () => select(workbench.getState()));
}
