export { ConflictError, InvalidInputError, NotFoundError, StoreError } from './errors.ts';
export { type IdPrefix, newId } from './ids.ts';
export { toProjectInfo } from './projects.ts';
export { openStore } from './store.ts';
export type * from './types.ts';
